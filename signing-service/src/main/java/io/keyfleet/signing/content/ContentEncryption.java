package io.keyfleet.signing.content;

import io.keyfleet.kit.problem.ProblemException;
import io.keyfleet.signing.content.ContentApi.DecryptRequest;
import io.keyfleet.signing.content.ContentApi.DecryptResult;
import io.keyfleet.signing.content.ContentApi.EncryptRequest;
import io.keyfleet.signing.content.ContentApi.EncryptResult;
import io.keyfleet.signing.keycache.AppSecretCache;
import io.keyfleet.signing.keycache.AppSecretCache.Secret;
import io.keyfleet.signing.keycache.AppSecretCache.SecretRef;
import io.keyfleet.signing.keycache.AppSecretCache.Version;
import io.keyfleet.signing.scheme.AlipayAesContent;
import io.keyfleet.signing.scheme.MalformedMessageException;
import io.keyfleet.signing.api.SignatureApi.KeyRef;
import io.keyfleet.signing.support.SigningConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Alipay's content encryption with an app's AES content key: the CURRENT version encrypts; decryption uses the version
 * asked for, or else tries the CURRENT version and then the PREVIOUS ones within their grace. AES-CBC has no integrity
 * check, so a wrong key passes the padding check about once in 256 tries: without a version asked for, a version whose
 * output is well-formed in the charset is preferred to one whose output is not, and one whose output is not is
 * answered as the SDK answers it (U+FFFD for what does not decode) only when no version gives a well-formed one.
 */
@ApplicationScoped
public class ContentEncryption {

    @Inject
    AppSecretCache secrets;

    @Inject
    SigningConfig config;

    public EncryptResult encrypt(String tenantId, EncryptRequest request) {
        requireSize(request.plaintext().length());
        AlipayAesContent.Type type = type(request.encryptType());
        SecretRef ref = ref(tenantId, request.key());
        Secret secret = secrets.get(ref);
        Version current = secret.current();
        if (current == null) {
            throw new ProblemException(409, "KEY_RETIRED", "Secret cannot encrypt", "The " + ref.environment() + " content key of app '"
                    + ref.appId() + "' at '" + ref.provider() + "' has no current version.");
        }
        String ciphertext;
        try {
            ciphertext = AlipayAesContent.encrypt(request.plaintext(), current.bytes(), charset(request.charset()), type);
        } catch (MalformedMessageException e) {
            throw unusableKey(e);
        }
        return new EncryptResult(type.name(), secret.secretId(), current.number, ciphertext);
    }

    public DecryptResult decrypt(String tenantId, DecryptRequest request) {
        requireSize(request.ciphertext().length());
        AlipayAesContent.Type type = type(request.encryptType());
        Charset charset = charset(request.charset());
        byte[] ciphertext;
        try {
            ciphertext = AlipayAesContent.ciphertextBytes(request.ciphertext(), type);
        } catch (MalformedMessageException e) {
            throw ProblemException.badRequest("MALFORMED", e.getMessage());
        }
        SecretRef ref = ref(tenantId, request.key());
        Secret secret = secrets.get(ref);
        Instant now = Instant.now();
        List<Version> candidates;
        if (request.keyVersion() != null) {
            Version asked = usableVersion(secret, request.keyVersion(), now);
            if (asked == null && request.keyVersion() > secret.currentVersion()) {
                secret = secrets.reload(ref); // rotated since it was read
                asked = usableVersion(secret, request.keyVersion(), now);
            }
            if (asked == null) {
                throw new ProblemException(409, "KEY_VERSION_NOT_USABLE", "Secret version cannot decrypt", "Version "
                        + request.keyVersion() + " of this content key is unknown, revoked or past its grace period.");
            }
            candidates = List.of(asked);
        } else {
            candidates = secret.usable(now);
        }

        Version lenient = null;
        String lenientText = null;
        for (Version version : candidates) {
            byte[] plaintext;
            try {
                plaintext = AlipayAesContent.decrypt(ciphertext, version.bytes(), type);
            } catch (MalformedMessageException e) {
                throw unusableKey(e);
            }
            if (plaintext == null) {
                continue;
            }
            String strict = strictlyDecoded(plaintext, charset);
            if (strict != null) {
                return new DecryptResult(type.name(), secret.secretId(), version.number, strict);
            }
            if (lenient == null) {
                lenient = version;
                lenientText = new String(plaintext, charset);
            }
        }
        if (lenient != null) {
            return new DecryptResult(type.name(), secret.secretId(), lenient.number, lenientText);
        }
        throw ProblemException.badRequest("DECRYPT_FAILED", candidates.size() == 1
                ? "The ciphertext does not decrypt with version " + candidates.get(0).number + " of this content key (its padding is wrong): "
                + "another key encrypted it, or it was changed."
                : "The ciphertext does not decrypt with any usable version of this content key (its padding is wrong): another key "
                + "encrypted it, or it was changed.");
    }

    /** key-service checks a content key's length when it is stored; one that is not an AES key is never used. */
    private static ProblemException unusableKey(MalformedMessageException e) {
        return new ProblemException(409, "KEY_MISMATCH", "Secret cannot be used", "The content key held for this app is not an AES key: "
                + e.getMessage() + ".");
    }

    private static Version usableVersion(Secret secret, int number, Instant now) {
        return secret.versions().stream().filter(v -> v.number == number && v.usable(now)).findFirst().orElse(null);
    }

    /** The text when the bytes are well-formed in the charset, else null. */
    private static String strictlyDecoded(byte[] bytes, Charset charset) {
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private void requireSize(long chars) {
        if (chars > config.maxMessageChars()) {
            throw new ProblemException(413, "MESSAGE_TOO_LARGE", "Message too large", "The text has " + chars
                    + " characters; the limit is " + config.maxMessageChars() + ".");
        }
    }

    private static SecretRef ref(String tenantId, KeyRef key) {
        if (key.appId() == null) {
            throw ProblemException.badRequest("MALFORMED", "key.appId is required: the content key is the app's.");
        }
        return new SecretRef(tenantId, key.provider(), key.appId(), key.environment().toUpperCase(Locale.ROOT), AppSecretCache.AES);
    }

    private static AlipayAesContent.Type type(String name) {
        return name == null ? AlipayAesContent.Type.AES : AlipayAesContent.Type.valueOf(name.toUpperCase(Locale.ROOT));
    }

    private static Charset charset(String name) {
        return name == null ? java.nio.charset.StandardCharsets.UTF_8 : Charset.forName(name);
    }
}
