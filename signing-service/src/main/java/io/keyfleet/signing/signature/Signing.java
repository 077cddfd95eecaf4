package io.keyfleet.signing.signature;

import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.signing.keycache.CertificateCache;
import io.keyfleet.signing.keycache.KeyCache;
import io.keyfleet.signing.scheme.AlipayRsa2CertScheme;
import io.keyfleet.signing.scheme.MessageParts;
import io.keyfleet.signing.scheme.Attachments;
import io.keyfleet.signing.scheme.MalformedMessageException;
import io.keyfleet.signing.scheme.SignatureScheme;
import io.keyfleet.signing.scheme.SignatureSchemes;
import io.keyfleet.signing.signature.SignatureApi.SignRequest;
import io.keyfleet.signing.signature.SignatureApi.SignResult;
import io.keyfleet.signing.support.SigningConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;

/** Signs the parts of an outgoing request with the app's current key version. */
@ApplicationScoped
public class Signing {

    @Inject
    KeyCache keys;

    @Inject
    SigningConfig config;

    @Inject
    BodyLimits limits;

    @Inject
    CertificateCache certificates;

    public SignResult sign(String tenantId, SignRequest request) {
        SignatureScheme scheme = scheme(request.scheme());
        if (scheme.algorithm().startsWith("Hmac")) {
            throw ProblemException.unprocessable("SCHEME_NOT_SERVED", "'" + scheme.name() + "' signs with a credential's SecretKey,"
                    + " which key-service does not hand to signing-service yet; sign it where the SecretKey is held.");
        }
        requireSize(request.request(), config);
        if (request.key().appId() == null) {
            throw ProblemException.badRequest("MALFORMED", "key.appId is required to sign.");
        }
        limits.check(scheme, request.request().body());
        KeyCache.AppKeyRef ref = new KeyCache.AppKeyRef(tenantId, request.key().provider(), request.key().appId(),
                request.key().environment().toUpperCase(Locale.ROOT));
        KeyCache.SigningKey key = keys.signingKey(ref);
        MessageParts parts = request.request().toMessage(ref.appId());
        if (scheme instanceof AlipayRsa2CertScheme) {
            // certificate mode: the SNs of the signing version's app certificate and of the root bundle are signed too
            CertificateCache.CertSns sns = certificates.forSigning(new CertificateCache.ProviderRef(tenantId, ref.provider(),
                    ref.environment()), key.keyId(), key.version());
            parts = AlipayRsa2CertScheme.withCertSns(parts, sns.appCertSn(), sns.rootCertSn());
        }
        Attachments attachments;
        try {
            attachments = scheme.sign(parts, key.signer());
        } catch (MalformedMessageException e) {
            throw ProblemException.badRequest("MALFORMED", e.getMessage());
        }
        return new SignResult(scheme.name(), key.keyId(), key.version(), attachments.headers(), attachments.params());
    }

    /** 413 MESSAGE_TOO_LARGE past keyfleet.signing.max-message-chars. */
    static void requireSize(SignatureApi.Parts parts, SigningConfig config) {
        long chars = parts.chars();
        if (chars > config.maxMessageChars()) {
            throw new ProblemException(413, "MESSAGE_TOO_LARGE", "Message too large", "The message's body and parameters have "
                    + chars + " characters; the limit is " + config.maxMessageChars() + ".");
        }
    }

    static SignatureScheme scheme(String name) {
        return SignatureSchemes.byName(name).orElseThrow(() -> ProblemException.badRequest("UNKNOWN_SCHEME",
                "Unknown scheme '" + name + "'; known: " + String.join(", ", SignatureSchemes.names()) + "."));
    }
}
