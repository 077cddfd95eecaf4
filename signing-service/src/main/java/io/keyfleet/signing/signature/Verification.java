package io.keyfleet.signing.signature;

import io.keyfleet.signing.crypto.RsaProvider;
import io.keyfleet.signing.keycache.AppSecretCache;
import io.keyfleet.signing.keycache.CachedKey;
import io.keyfleet.signing.keycache.KeyCache;
import io.keyfleet.signing.scheme.MalformedMessageException;
import io.keyfleet.signing.scheme.MessageKind;
import io.keyfleet.signing.scheme.RefusedMessageException;
import io.keyfleet.signing.scheme.SignatureScheme;
import io.keyfleet.signing.scheme.SignedMessage;
import io.keyfleet.signing.signature.SignatureApi.VerifyRequest;
import io.keyfleet.signing.signature.SignatureApi.VerifyResult;
import io.keyfleet.signing.support.SigningConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

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
            message = scheme.parse(request.kind(), request.message().toMessage(request.key().appId()));
        } catch (RefusedMessageException e) {
            return VerifyResult.refused(e.reason(), e.getMessage(), e.providerCode());
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
        return judge(tenantId, scheme, request.kind(), signature, message).withKeyVersionLabel(message.keyVersionLabel());
    }

    private VerifyResult judge(String tenantId, SignatureScheme scheme, MessageKind kind, VerifyResult signature, SignedMessage message) {
        if (!signature.valid() || kind != MessageKind.NOTIFICATION) {
            return signature;
        }
        SigningConfig.Notifications rules = config.notifications();
        if (rules.refuseStale() && message.timestamp() != null) {
            Duration age = Duration.between(message.timestamp(), Instant.now());
            if (age.abs().compareTo(rules.maxAge()) > 0) {
                return VerifyResult.invalid(signature.keyVersion(), "STALE_TIMESTAMP", "The notification was signed at "
                        + message.timestamp() + ", more than " + rules.maxAge() + " from now.");
            }
        }
        if (rules.refuseReplays()) {
            String id = message.notificationId() != null ? message.notificationId() : "sig:" + sha256(message.signature());
            if (!replays.firstTime(tenantId, scheme.name(), id)) {
                return VerifyResult.invalid(signature.keyVersion(), "REPLAYED", "Notification '" + id + "' was already accepted.");
            }
        }
        return signature;
    }

    /** keyfleet-hmac: the app's HMAC secret versions held (CURRENT, PREVIOUS within grace), CURRENT first. */
    private static VerifyResult checkHmac(AppSecretCache.Secret secret, SignedMessage message) {
        for (AppSecretCache.Version version : secret.usable(Instant.now())) {
            for (byte[] content : message.candidates()) {
                if (version.hmac().verify(content, message.signature())) {
                    return VerifyResult.ok(version.number);
                }
            }
        }
        return VerifyResult.invalid(null, "BAD_SIGNATURE", "The signature does not match the message under any usable version of the app's HMAC secret.");
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
                    return VerifyResult.ok(version.number);
                }
                retiredMatch = version.number;
            }
        }
        if (retiredMatch != null) {
            return VerifyResult.invalid(retiredMatch, "KEY_RETIRED", "The message was signed with key version " + retiredMatch
                    + ", which is revoked or past its grace period.");
        }
        return VerifyResult.invalid(null, "BAD_SIGNATURE", "The signature does not match the message under any usable key version.");
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
