package io.keyfleet.keys.certificate;

import io.keyfleet.keys.api.CertificateInfo;
import io.keyfleet.keys.audit.AuditLog;
import io.keyfleet.keys.keypair.AppKey;
import io.keyfleet.keys.keypair.AppKeyVersion;
import io.keyfleet.keys.keypair.AppKeys;
import io.keyfleet.keys.api.Environment;
import io.keyfleet.keys.api.KeyState;
import io.keyfleet.keys.support.TenantQuery;
import io.keyfleet.keys.tenant.Tenants;
import io.keyfleet.kit.crypto.AlipayCertificates;
import io.keyfleet.kit.crypto.AlipayCertificates.CertificateProblem;
import io.keyfleet.kit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Alipay public-key certificate mode: the provider's certificates and root bundle per tenant, provider and environment,
 * and each app key version's certificate. Everything is checked on import: PEM certificates only, every certificate
 * valid now and chained (signatures checked) to a self-signed certificate of the root bundle, and an app certificate's
 * public key is its key version's.
 */
@ApplicationScoped
public class Certificates {

    @Inject
    Tenants tenants;

    @Inject
    AppKeys appKeys;

    @Inject
    AuditLog auditLog;

    /** The provider's end-entity certificates (non-CA) and the CA certificates given with them, checked against the root bundle. */
    public record ProviderSet(List<X509Certificate> leaves, List<X509Certificate> intermediates, List<X509Certificate> roots,
                              String rootCertSn) {

        public static ProviderSet read(String certificatePem, String rootPem, Instant now) {
            List<X509Certificate> all = AlipayCertificates.parsePem(certificatePem, "certificate");
            List<X509Certificate> roots = AlipayCertificates.parsePem(rootPem, "rootCertificate");
            List<X509Certificate> leaves = new ArrayList<>();
            List<X509Certificate> intermediates = new ArrayList<>();
            for (X509Certificate c : all) {
                (AlipayCertificates.isCa(c) ? intermediates : leaves).add(c);
            }
            if (leaves.isEmpty()) {
                throw new CertificateProblem("CERT_MALFORMED", "certificate has only CA certificates; give the provider's"
                        + " public-key certificate (e.g. alipayCertPublicKey_RSA2.crt).");
            }
            String rootSn = AlipayCertificates.rootCertSn(roots);
            if (rootSn.isEmpty()) {
                throw new CertificateProblem("CERT_MALFORMED", "rootCertificate has no RSA-signed certificate, so it has no"
                        + " alipay_root_cert_sn; give the provider's root bundle (e.g. alipayRootCert.crt).");
            }
            for (X509Certificate leaf : leaves) {
                AlipayCertificates.requireChain(leaf, intermediates, roots, now, "the provider certificate "
                        + AlipayCertificates.certSn(leaf));
            }
            return new ProviderSet(leaves, intermediates, roots, rootSn);
        }
    }

    /** Sets or replaces the provider's certificates of this environment as a whole. */
    @Transactional
    public ProviderCertificate putProvider(String tenantId, String provider, Environment environment, String certificatePem,
                                           String rootPem) {
        tenants.require(tenantId);
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ProviderSet set = checked(() -> ProviderSet.read(certificatePem, rootPem, now));
        ProviderCertificate stored = ProviderCertificate.<ProviderCertificate>find("tenantId = ?1 and provider = ?2 and environment = ?3",
                tenantId, provider, environment).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
        boolean created = stored == null;
        if (created) {
            stored = new ProviderCertificate();
            stored.id = UUID.randomUUID();
            stored.tenantId = tenantId;
            stored.provider = provider;
            stored.environment = environment;
            stored.createdAt = now;
        }
        stored.certificatePem = certificatePem.strip();
        stored.rootPem = rootPem.strip();
        stored.rootCertSn = set.rootCertSn();
        stored.updatedAt = now;
        if (created) {
            stored.persist();
        }
        auditLog.record(created ? "provider-certificate.set" : "provider-certificate.replace", tenantId, stored.id.toString(), "OK",
                provider + " " + environment + " " + set.leaves().size() + " certificate(s)");
        return stored;
    }

    public List<ProviderCertificate> listProvider(String tenantId, String provider, Environment environment) {
        TenantQuery filter = TenantQuery.of(tenantId).whereEquals("provider", provider).whereEquals("environment", environment);
        return ProviderCertificate.list(filter.query() + " order by provider, environment", filter.parameters());
    }

    public ProviderCertificate requireProvider(String tenantId, UUID id) {
        ProviderCertificate found = ProviderCertificate.find("id = ?1 and tenantId = ?2", id, tenantId).firstResult();
        if (found == null) {
            throw ProblemException.notFound("PROVIDER_CERTIFICATE_NOT_FOUND", "No provider certificates '" + id + "' exist for this tenant.");
        }
        return found;
    }

    /** Sets or replaces the certificate of one version of an app key (the CURRENT one when {@code version} is null). */
    @Transactional
    public AppKeyCertificate putApp(String tenantId, UUID keyId, Integer version, String certificatePem) {
        AppKey key = appKeys.require(tenantId, keyId);
        AppKeyVersion keyVersion = appKeys.requireVersion(key, version == null ? key.currentVersion : version);
        if (keyVersion.state == KeyState.RETIRED) {
            throw ProblemException.conflict("KEY_RETIRED", "Version " + keyVersion.version + " of key " + keyId
                    + " is retired; a certificate for it would never be used.");
        }
        ProviderCertificate provider = ProviderCertificate.find("tenantId = ?1 and provider = ?2 and environment = ?3",
                tenantId, key.provider, key.environment).firstResult();
        if (provider == null) {
            throw ProblemException.conflict("ROOT_CERTIFICATE_MISSING", "No " + key.environment + " certificates of '" + key.provider
                    + "' are stored, so the app certificate cannot be checked against a root; set them first with"
                    + " PUT /v1/provider-certificates.");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        X509Certificate leaf = checked(() -> {
            List<X509Certificate> chain = AlipayCertificates.parsePem(certificatePem, "certificate");
            X509Certificate first = chain.get(0);
            if (AlipayCertificates.isCa(first)) {
                throw new CertificateProblem("CERT_MALFORMED", "certificate must start with the app's public-key certificate"
                        + " (e.g. appCertPublicKey_<appId>.crt), not a CA certificate.");
            }
            AlipayCertificates.requireChain(first, chain.subList(1, chain.size()),
                    AlipayCertificates.parsePem(provider.rootPem, "rootCertificate"), now, "the app certificate");
            return first;
        });
        if (!Arrays.equals(leaf.getPublicKey().getEncoded(), Base64.getDecoder().decode(keyVersion.publicKey))) {
            throw ProblemException.badRequest("CERT_KEY_MISMATCH", "The certificate's public key is not the public key of version "
                    + keyVersion.version + " of key " + keyId + " (fingerprint " + keyVersion.fingerprint + ").");
        }
        AppKeyCertificate stored = AppKeyCertificate.<AppKeyCertificate>findByIdOptional(
                new AppKeyCertificate.CertificateId(keyId, keyVersion.version), LockModeType.PESSIMISTIC_WRITE).orElse(null);
        boolean created = stored == null;
        if (created) {
            stored = new AppKeyCertificate();
            stored.keyId = keyId;
            stored.keyVersion = keyVersion.version;
            stored.createdAt = now;
        }
        stored.certificatePem = certificatePem.strip();
        stored.certSn = AlipayCertificates.certSn(leaf);
        stored.notAfter = leaf.getNotAfter().toInstant();
        stored.updatedAt = now;
        if (created) {
            stored.persist();
        }
        auditLog.record("app-certificate.set", tenantId, keyId.toString(), "OK", "version " + keyVersion.version + " sn " + stored.certSn);
        return stored;
    }

    public List<AppKeyCertificate> listApp(String tenantId, UUID keyId) {
        appKeys.require(tenantId, keyId);
        return AppKeyCertificate.of(keyId);
    }

    private static <T> T checked(java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (CertificateProblem e) {
            throw ProblemException.badRequest(e.code, e.getMessage());
        }
    }

    /** What a certificate is, for reading: its Alipay SN, names, serial and validity. */
    static CertificateInfo info(X509Certificate c) {
        return new CertificateInfo(AlipayCertificates.certSn(c), c.getSubjectX500Principal().getName(), c.getIssuerX500Principal().getName(),
                c.getSerialNumber().toString(), c.getNotBefore().toInstant(), c.getNotAfter().toInstant(), AlipayCertificates.isCa(c));
    }
}
