package io.keyfleet.signing.keycache;

import io.keyfleet.kit.crypto.AlipayCertificates;
import io.keyfleet.kit.crypto.AlipayCertificates.CertificateProblem;
import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.kit.client.ClientFailure;
import io.keyfleet.keys.api.AppCertificateApi.AppCertificateView;
import io.keyfleet.keys.api.ProviderCertificateApi.ProviderCertificateView;
import io.keyfleet.signing.support.SigningConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Alipay certificate mode: the provider's certificates and root bundle per (tenant, provider, environment), and the
 * app certificates per app key, read from key-service (its own API, with the service credential, as provider keys are)
 * and kept in memory for {@code keyfleet.signing.certificate-refresh} (60 s). There are no certificate events: a
 * certificate imported in key-service is used here within that time, and a response naming an {@code alipay_cert_sn}
 * that is not known here makes one early re-read (at most one per {@link #MIN_REREAD} per provider set), as the SDK
 * downloads a certificate it does not know. While key-service cannot be reached, what is held keeps serving. The SNs
 * are computed here from the PEM text (the SDK's rules, {@link AlipayCertificates}).
 */
@ApplicationScoped
public class CertificateCache {

    private static final Logger LOG = Logger.getLogger(CertificateCache.class);
    static final Duration MIN_REREAD = Duration.ofSeconds(5);

    public record ProviderRef(String tenantId, String provider, String environment) {
    }

    /** The provider's end-entity certificates by SN, the CA certificates given with them, and the root bundle. */
    public record ProviderCertificates(Map<String, X509Certificate> bySn, List<X509Certificate> intermediates, List<X509Certificate> roots,
                                       String rootCertSn, Instant readAt) {

        /** Throws CERT_EXPIRED, CERT_NOT_YET_VALID or CERT_NOT_CHAINED when the certificate is not good now. */
        public void requireGood(X509Certificate certificate, Instant now) {
            AlipayCertificates.requireChain(certificate, intermediates, roots, now, "the provider certificate " + AlipayCertificates.certSn(certificate));
        }
    }

    /** An app key's certificates by key version. */
    record AppCertificates(Map<Integer, List<X509Certificate>> byVersion, Instant readAt) {
    }

    /** What certificate mode attaches to a request signed by one key version. */
    public record CertSns(String appCertSn, String rootCertSn) {
    }

    private final ConcurrentHashMap<ProviderRef, ProviderCertificates> providers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AppCertificates> apps = new ConcurrentHashMap<>();

    @Inject
    KeyService keyService;

    @Inject
    SigningConfig config;

    /** The provider's certificates; a 404 problem PROVIDER_CERTIFICATE_NOT_FOUND when key-service has none. */
    public ProviderCertificates provider(ProviderRef ref) {
        ProviderCertificates held = providers.get(ref);
        if (held != null && held.readAt().plus(config.certificateRefresh()).isAfter(Instant.now())) {
            return held;
        }
        return readProvider(ref, held);
    }

    /** Read again now, unless it was read within {@link #MIN_REREAD}: a response named a certificate not held. */
    public ProviderCertificates reread(ProviderRef ref) {
        ProviderCertificates held = providers.get(ref);
        if (held != null && held.readAt().plus(MIN_REREAD).isAfter(Instant.now())) {
            return held;
        }
        return readProvider(ref, held);
    }

    /** The SNs to attach to a request signed by this app key version; 409 problems when its certificates are missing or bad. */
    public CertSns forSigning(ProviderRef ref, String keyId, int version) {
        ProviderCertificates provider = provider(ref);
        AppCertificates app = apps.get(keyId);
        Instant now = Instant.now();
        if (app == null || app.readAt().plus(config.certificateRefresh()).isBefore(now)
                || (!app.byVersion().containsKey(version) && app.readAt().plus(MIN_REREAD).isBefore(now))) {
            app = readApp(ref.tenantId(), keyId, app);
        }
        List<X509Certificate> chain = app.byVersion().get(version);
        if (chain == null) {
            throw ProblemException.conflict("APP_CERTIFICATE_MISSING", "Certificate mode needs the app's public-key certificate of"
                    + " key version " + version + "; import it in key-service (PUT /v1/keys/" + keyId + "/certificates).");
        }
        X509Certificate certificate = chain.get(0);
        List<X509Certificate> intermediates = new ArrayList<>(chain.subList(1, chain.size()));
        intermediates.addAll(provider.intermediates());
        try {
            AlipayCertificates.requireChain(certificate, intermediates, provider.roots(), Instant.now(),
                    "the app certificate of key version " + version);
        } catch (CertificateProblem e) {
            throw ProblemException.conflict(e.code, e.getMessage());
        }
        return new CertSns(AlipayCertificates.certSn(certificate), provider.rootCertSn());
    }

    private ProviderCertificates readProvider(ProviderRef ref, ProviderCertificates held) {
        List<ProviderCertificateView> views;
        try {
            views = keyService.providerCertificates(ref.tenantId(), ref.provider(), ref.environment());
        } catch (ClientFailure e) {
            if (held != null) {
                LOG.infof("Could not read the %s certificates of %s from key-service (%s); the held ones keep serving",
                        ref.environment(), ref.provider(), e.getMessage());
                return held;
            }
            throw new ProblemException(e.unreachable() ? 503 : 502, "KEY_SERVICE_UNAVAILABLE", "Certificates not available",
                    "The provider's certificates are not known here yet and key-service could not be asked: " + e.getMessage());
        }
        if (views.isEmpty()) {
            providers.remove(ref);
            throw ProblemException.notFound("PROVIDER_CERTIFICATE_NOT_FOUND", "No " + ref.environment() + " certificates of '"
                    + ref.provider() + "' are stored; set them in key-service (PUT /v1/provider-certificates).");
        }
        ProviderCertificateView view = views.get(0);
        ProviderCertificates read;
        try {
            Map<String, X509Certificate> bySn = new LinkedHashMap<>();
            List<X509Certificate> intermediates = new ArrayList<>();
            for (X509Certificate c : AlipayCertificates.parsePem(view.certificatePem(), "certificate")) {
                if (AlipayCertificates.isCa(c)) {
                    intermediates.add(c);
                } else {
                    bySn.put(AlipayCertificates.certSn(c), c);
                }
            }
            List<X509Certificate> roots = AlipayCertificates.parsePem(view.rootCertificatePem(), "rootCertificate");
            read = new ProviderCertificates(Map.copyOf(bySn), List.copyOf(intermediates), List.copyOf(roots),
                    AlipayCertificates.rootCertSn(roots), Instant.now());
        } catch (CertificateProblem e) {
            throw new ProblemException(502, "KEY_SERVICE_ERROR", "Certificates not available", "key-service's certificates could not be read: "
                    + e.getMessage());
        }
        providers.put(ref, read);
        return read;
    }

    private AppCertificates readApp(String tenantId, String keyId, AppCertificates held) {
        List<AppCertificateView> views;
        try {
            views = keyService.appCertificates(tenantId, keyId);
        } catch (ClientFailure e) {
            if (held != null) {
                return held;
            }
            throw new ProblemException(e.unreachable() ? 503 : 502, "KEY_SERVICE_UNAVAILABLE", "Certificates not available",
                    "The app's certificates are not known here yet and key-service could not be asked: " + e.getMessage());
        }
        Map<Integer, List<X509Certificate>> byVersion = new LinkedHashMap<>();
        try {
            for (AppCertificateView view : views) {
                byVersion.put(view.keyVersion(), List.copyOf(AlipayCertificates.parsePem(view.certificatePem(), "certificate")));
            }
        } catch (CertificateProblem e) {
            throw new ProblemException(502, "KEY_SERVICE_ERROR", "Certificates not available", "key-service's certificates could not be read: "
                    + e.getMessage());
        }
        AppCertificates read = new AppCertificates(Map.copyOf(byVersion), Instant.now());
        apps.put(keyId, read);
        return read;
    }
}
