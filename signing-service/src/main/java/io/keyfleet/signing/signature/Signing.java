package io.keyfleet.signing.signature;

import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.signing.api.SignatureApi.Parts;
import io.keyfleet.signing.api.SignatureApi.SignRequest;
import io.keyfleet.signing.api.SignatureApi.SignResult;
import io.keyfleet.signing.keycache.AppSecretCache;
import io.keyfleet.signing.keycache.CertificateCache;
import io.keyfleet.signing.keycache.KeyCache;
import io.keyfleet.signing.scheme.AlipayRsa2CertScheme;
import io.keyfleet.signing.scheme.MessageParts;
import io.keyfleet.signing.scheme.Attachments;
import io.keyfleet.signing.scheme.MalformedMessageException;
import io.keyfleet.signing.scheme.MessageSigner;
import io.keyfleet.signing.scheme.SignatureScheme;
import io.keyfleet.signing.scheme.SignatureSchemes;
import io.keyfleet.signing.support.SigningConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Map;

/** Signs the parts of an outgoing request with the app's current key version (keyfleet-hmac: its current HMAC secret). */
@ApplicationScoped
public class Signing {

    @Inject
    KeyCache keys;

    @Inject
    AppSecretCache secrets;

    @Inject
    SigningConfig config;

    @Inject
    CertificateCache certificates;

    public SignResult sign(String tenantId, SignRequest request) {
        SignatureScheme scheme = scheme(request.scheme());
        requireSize(request.request(), config);
        if (request.key().appId() == null) {
            throw ProblemException.badRequest("MALFORMED", "key.appId is required to sign.");
        }
        String environment = request.key().environment().toUpperCase(Locale.ROOT);
        String keyId;
        MessageSigner signer;
        MessageParts parts = message(request.request(), request.key().appId());
        if (isHmac(scheme)) {
            AppSecretCache.SecretRef ref = new AppSecretCache.SecretRef(tenantId, request.key().provider(), request.key().appId(),
                    environment, AppSecretCache.HMAC_SHA256);
            AppSecretCache.Secret secret = secrets.get(ref);
            AppSecretCache.Version current = secret.current();
            if (current == null) {
                throw new ProblemException(409, "KEY_RETIRED", "Secret cannot sign", "The " + environment + " HMAC secret of app '"
                        + ref.appId() + "' at '" + ref.provider() + "' has no current version.");
            }
            keyId = secret.secretId();
            signer = current.hmac();
        } else {
            KeyCache.SigningKey key = keys.signingKey(new KeyCache.AppKeyRef(tenantId, request.key().provider(), request.key().appId(),
                    environment));
            keyId = key.keyId();
            signer = key.signer();
            if (scheme instanceof AlipayRsa2CertScheme) {
                // certificate mode: the SNs of the signing version's app certificate and of the root bundle are signed too
                CertificateCache.CertSns sns = certificates.forSigning(new CertificateCache.ProviderRef(tenantId,
                        request.key().provider(), environment), key.keyId(), key.version());
                parts = AlipayRsa2CertScheme.withCertSns(parts, sns.appCertSn(), sns.rootCertSn());
            }
        }
        Attachments attachments;
        try {
            attachments = scheme.sign(parts, signer);
        } catch (MalformedMessageException e) {
            throw ProblemException.badRequest("MALFORMED", e.getMessage());
        }
        return new SignResult(scheme.name(), keyId, signer.keyVersion(), attachments.headers(), attachments.params());
    }

    /** keyfleet-hmac: signed with the app's HMAC_SHA256 secret (key-service's app secrets), not a key pair. */
    static boolean isHmac(SignatureScheme scheme) {
        return scheme.algorithm().startsWith("Hmac");
    }

    /** 413 MESSAGE_TOO_LARGE past keyfleet.signing.max-message-chars. */
    static void requireSize(Parts parts, SigningConfig config) {
        long chars = chars(parts);
        if (chars > config.maxMessageChars()) {
            throw new ProblemException(413, "MESSAGE_TOO_LARGE", "Message too large", "The message's body and parameters have "
                    + chars + " characters; the limit is " + config.maxMessageChars() + ".");
        }
    }

    /** The parts as the schemes read them; {@code defaultAppId} (the key's) where the parts name no app. */
    static MessageParts message(Parts parts, String defaultAppId) {
        return new MessageParts(parts.method(), parts.path(), parts.query(), parts.body(), parts.params(), parts.headers(),
                parts.appId() != null ? parts.appId() : defaultAppId, parts.clientId(), parts.nonce(), parts.timestamp(),
                parts.appAuthToken(), parts.apiMethod(), parts.notificationId(), parts.charset(), parts.notificationForm(),
                parts.keyVersionLabel());
    }

    /** The characters of the body and the parameters: what keyfleet.signing.max-message-chars bounds. */
    static long chars(Parts parts) {
        long total = parts.body() == null ? 0 : parts.body().length();
        if (parts.params() != null) {
            for (Map.Entry<String, String> e : parts.params().entrySet()) {
                total += (e.getKey() == null ? 0 : e.getKey().length()) + (e.getValue() == null ? 0 : e.getValue().length());
            }
        }
        return total;
    }

    static SignatureScheme scheme(String name) {
        return SignatureSchemes.byName(name).orElseThrow(() -> ProblemException.badRequest("UNKNOWN_SCHEME",
                "Unknown scheme '" + name + "'; known: " + String.join(", ", SignatureSchemes.names()) + "."));
    }
}
