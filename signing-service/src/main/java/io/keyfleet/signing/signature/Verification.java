package io.keyfleet.signing.signature;

import io.keyfleet.signing.crypto.RsaProvider;
import io.keyfleet.kit.crypto.AlipayCertificates;
import io.keyfleet.signing.crypto.RsaVerifier;
import io.keyfleet.signing.keycache.AppSecretCache;
import io.keyfleet.signing.keycache.CachedKey;
import io.keyfleet.signing.keycache.CertificateCache;
import io.keyfleet.signing.scheme.AlipayRsa2CertScheme;
import io.keyfleet.signing.scheme.AlipayRsa2Scheme;
import io.keyfleet.signing.keycache.KeyCache;
import io.keyfleet.signing.scheme.MalformedMessageException;
import io.keyfleet.signing.api.MessageKind;
import io.keyfleet.signing.scheme.RefusedMessageException;
import io.keyfleet.signing.scheme.SignatureScheme;
import io.keyfleet.signing.scheme.SignedMessage;
import io.keyfleet.signing.api.SignatureApi.VerifyRequest;
import io.keyfleet.signing.api.SignatureApi.VerifyResult;
import io.keyfleet.signing.support.SigningConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * Checks a received message: requests with the app's own public key, responses and notifications with the
 * provider's; keyfleet-hmac messages, of every kind, with the app's HMAC secret (an app secret in key-service). Order:
 * the parts are read (MALFORMED), the signature is checked against the key's usable versions, newest first (BAD_SIGNATURE, or KEY_RETIRED when only a retired version matches; no scheme names a Keyfleet version),
 * then, for notifications, the time (STALE_TIMESTAMP) and the id (REPLAYED) — an id is remembered only once its
 * signature was good, so forgeries cannot burn real ids. A message its scheme refuses before any signature check
 * (e.g. DUPLICATE_RESPONSE_NODE, UNSIGNED_ERROR_RESPONSE) is a result with that reason.
 */
@ApplicationScoped
public class Verification {

    @Inject
    KeyCache keys;

    @Inject
    RsaProvider rsa;

    @Inject
    SigningConfig config;

    @Inject
    NotificationReplays replays;

    @Inject
    AppSecretCache secrets;

    @Inject
    CertificateCache certificates;

    /**
     * A malformed message is a {@link MalformedMessageException}; everything else is a result, which reports the key label
     * the message carried (Antom's keyVersion) but never chose a key by it.
     */
    public VerifyResult verify(String tenantId, VerifyRequest request) {
        SignatureScheme scheme = Signing.scheme(request.scheme());
        Signing.requireSize(request.message(), config);
        String environment = request.key().environment().toUpperCase(Locale.ROOT);
        SignedMessage message;
        try {
            message = scheme.parse(request.kind(), Signing.message(request.message(), request.key().appId()));
        } catch (RefusedMessageException e) {
            return VerifyResults.refused(e.reason(), e.getMessage(), e.providerCode());
        }

        if (scheme instanceof AlipayRsa2CertScheme && request.kind() != MessageKind.REQUEST) {
            VerifyResult signature = checkCertificate(new CertificateCache.ProviderRef(tenantId, request.key().provider(), environment),
                    request.kind(), message);
            return VerifyResults.withKeyVersionLabel(judge(tenantId, scheme, request.kind(), signature, message), message.keyVersionLabel());
        }

        VerifyResult signature;
        if (Signing.isHmac(scheme)) {
            if (request.key().appId() == null) {
                throw new MalformedMessageException("key.appId is required to check a keyfleet-hmac signature: the secret is the app's");
            }
            signature = checkHmac(secrets.get(new AppSecretCache.SecretRef(tenantId, request.key().provider(), request.key().appId(),
                    environment, AppSecretCache.HMAC_SHA256)), message);
        } else if (request.kind() == MessageKind.REQUEST) {
            if (request.key().appId() == null) {
                throw new MalformedMessageException("key.appId is required to check a request signed with an app key");
            }
            signature = checkSignature(keys.appKey(new KeyCache.AppKeyRef(tenantId, request.key().provider(), request.key().appId(),
                    environment)), message);
        } else {
            signature = checkSignature(keys.providerKey(new KeyCache.ProviderKeyRef(tenantId, request.key().provider(), environment)),
                    message);
        }
        return VerifyResults.withKeyVersionLabel(judge(tenantId, scheme, request.kind(), signature, message), message.keyVersionLabel());
    }

    private VerifyResult judge(String tenantId, SignatureScheme scheme, MessageKind kind, VerifyResult signature, SignedMessage message) {
        if (!signature.valid() || kind != MessageKind.NOTIFICATION) {
            return signature;
        }
        SigningConfig.Notifications rules = config.notifications();
        if (rules.refuseStale() && message.timestamp() != null) {
            Duration age = Duration.between(message.timestamp(), Instant.now());
            if (age.abs().compareTo(rules.maxAge()) > 0) {
                return VerifyResults.invalid(signature.keyVersion(), "STALE_TIMESTAMP", "The notification was signed at "
                        + message.timestamp() + ", more than " + rules.maxAge() + " from now.");
            }
        }
        if (rules.refuseReplays()) {
            String id = message.notificationId() != null ? message.notificationId() : "sig:" + sha256(message.signature());
            if (!replays.firstTime(tenantId, scheme.name(), id)) {
                return VerifyResults.invalid(signature.keyVersion(), "REPLAYED", "Notification '" + id + "' was already accepted.");
            }
        }
        return signature;
    }

    /** keyfleet-hmac: the app's HMAC secret versions held (CURRENT, PREVIOUS within grace), CURRENT first. */
    private static VerifyResult checkHmac(AppSecretCache.Secret secret, SignedMessage message) {
        for (AppSecretCache.Version version : secret.usable(Instant.now())) {
            for (byte[] content : message.candidates()) {
                if (version.hmac().verify(content, message.signature())) {
                    return VerifyResults.ok(version.number);
                }
            }
        }
        return VerifyResults.invalid(null, "BAD_SIGNATURE", "The signature does not match the message under any usable version of the app's HMAC secret.");
    }

    private VerifyResult checkSignature(CachedKey key, SignedMessage message) {
        Instant now = Instant.now();
        Integer retiredMatch = null;
        for (CachedKey.Version version : key.newestFirst()) {
            boolean usable = version.usable(now);
            if (!usable && retiredMatch != null) {
                continue;
            }
            if (verifies(version, message)) {
                if (usable) {
                    return VerifyResults.ok(version.number);
                }
                retiredMatch = version.number;
            }
        }
        if (retiredMatch != null) {
            return VerifyResults.invalid(retiredMatch, "KEY_RETIRED", "The message was signed with key version " + retiredMatch
                    + ", which is revoked or past its grace period.");
        }
        return VerifyResults.invalid(null, "BAD_SIGNATURE", "The signature does not match the message under any usable key version.");
    }

    /**
     * Certificate mode (alipay-rsa2-cert): a response is checked with the provider certificate whose SN it names in
     * {@code alipay_cert_sn} (CERT_SN_MISSING without one, UNKNOWN_CERT_SN when none held has it, after one re-read from
     * key-service), which must be valid now and chain to the root bundle (CERT_EXPIRED, CERT_NOT_YET_VALID,
     * CERT_NOT_CHAINED). A notification names no certificate: the held ones are tried, and one that matches but is not
     * good any more gives its reason.
     */
    private VerifyResult checkCertificate(CertificateCache.ProviderRef ref, MessageKind kind, SignedMessage message) {
        CertificateCache.ProviderCertificates held = certificates.provider(ref);
        Instant now = Instant.now();
        if (kind == MessageKind.RESPONSE) {
            String sn = message.certSn();
            if (AlipayRsa2Scheme.blank(sn)) {
                return VerifyResults.ofCertificate(false, null, "CERT_SN_MISSING", "The response names no alipay_cert_sn; in certificate"
                        + " mode it says which of the provider's certificates signed it.");
            }
            X509Certificate certificate = held.bySn().get(sn);
            if (certificate == null) {
                held = certificates.reread(ref);
                certificate = held.bySn().get(sn);
            }
            if (certificate == null) {
                return VerifyResults.ofCertificate(false, sn, "UNKNOWN_CERT_SN", "No " + ref.environment() + " certificate of '"
                        + ref.provider() + "' held has SN " + sn + "; if the provider changed its certificate, import the new one in"
                        + " key-service (PUT /v1/provider-certificates).");
            }
            try {
                held.requireGood(certificate, now);
            } catch (AlipayCertificates.CertificateProblem e) {
                return VerifyResults.ofCertificate(false, sn, e.code, e.getMessage());
            }
            return verifies(certificate.getPublicKey(), message) ? VerifyResults.ofCertificate(true, sn, null, null)
                    : VerifyResults.ofCertificate(false, sn, "BAD_SIGNATURE", "The signature does not match the response under"
                    + " certificate " + sn + ".");
        }
        VerifyResult notGood = null;
        for (Map.Entry<String, X509Certificate> entry : held.bySn().entrySet()) {
            if (!verifies(entry.getValue().getPublicKey(), message)) {
                continue;
            }
            try {
                held.requireGood(entry.getValue(), now);
                return VerifyResults.ofCertificate(true, entry.getKey(), null, null);
            } catch (AlipayCertificates.CertificateProblem e) {
                notGood = VerifyResults.ofCertificate(false, entry.getKey(), e.code, e.getMessage());
            }
        }
        return notGood != null ? notGood : VerifyResults.ofCertificate(false, null, "BAD_SIGNATURE",
                "The signature does not match the message under any certificate held.");
    }

    private boolean verifies(PublicKey key, SignedMessage message) {
        if (!"RSA".equals(key.getAlgorithm())) {
            return false; // RSA2 is SHA256withRSA: a certificate of another key type never verifies it
        }
        RsaVerifier verifier;
        try {
            verifier = new RsaVerifier(key, rsa.provider());
        } catch (IllegalStateException e) {
            return false;
        }
        for (byte[] content : message.candidates()) {
            if (verifier.verify(content, message.signature())) {
                return true;
            }
        }
        return false;
    }

    /** The signature matches the content or one of the alternative forms the scheme names. */
    private boolean verifies(CachedKey.Version version, SignedMessage message) {
        for (byte[] content : message.candidates()) {
            if (version.verifier(rsa.provider()).verify(content, message.signature())) {
                return true;
            }
        }
        return false;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
