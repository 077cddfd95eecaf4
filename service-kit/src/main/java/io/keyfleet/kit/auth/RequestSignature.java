package io.keyfleet.kit.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed requests with a SecretId/SecretKey pair. The caller sends its SecretId, a timestamp (Unix seconds), a
 * nonce (1-64 characters of [A-Za-z0-9_-]) and
 * {@code signature = base64(HMAC-SHA256(SecretKey as UTF-8, canonical))} where canonical is
 *
 * <pre>
 * METHOD           upper case, e.g. POST
 * PATH             as sent, e.g. /v1/keys
 * QUERY            the raw query string without '?', empty if none
 * TIMESTAMP        e.g. 1760000000
 * NONCE
 * SHA256HEX(body)  lower-case hex; of the empty string when there is no body
 * </pre>
 *
 * joined with single '\n' and no trailing newline. The timestamp must be within the signature window (5 minutes by
 * default) of the server's clock either way, and a nonce is accepted only once within that window.
 */
public final class RequestSignature {

    private RequestSignature() {
    }

    public static String canonical(String method, String path, String query, String timestamp, String nonce, String bodySha256Hex) {
        return String.join("\n", method.toUpperCase(java.util.Locale.ROOT), path, query == null ? "" : query, timestamp, nonce,
                bodySha256Hex.toLowerCase(java.util.Locale.ROOT));
    }

    public static String sign(byte[] secretKey, String canonical) {
        return Base64.getEncoder().encodeToString(hmac(secretKey, canonical));
    }

    /** Constant-time check of a presented base64 signature; malformed base64 is simply not equal. */
    public static boolean matches(byte[] secretKey, String canonical, String presentedSignature) {
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(presentedSignature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(secretKey, canonical), presented);
    }

    public static String sha256Hex(byte[] body) {
        return HexFormat.of().formatHex(sha256(body == null ? new byte[0] : body));
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String canonical) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
