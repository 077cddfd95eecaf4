package io.keyfleet.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed requests with a SecretId/SecretKey pair. The caller sends its SecretId, a timestamp (Unix seconds), a
 * nonce (1-64 characters of [A-Za-z0-9_-]), the format version in {@value SignedRequestHeaders#SIGNATURE_VERSION} and
 * {@code signature = base64(HMAC-SHA256(SecretKey as UTF-8, canonical))}, where canonical in format {@link Version#V2}
 * (header value {@code 2}, what every Keyfleet signer produces) is
 *
 * <pre>
 * v2               the literal text "v2"
 * METHOD           upper case, e.g. POST
 * PATH             as sent, e.g. /v1/keys
 * QUERY            the raw query string without '?', empty if none
 * TENANT           the X-Keyfleet-Tenant header as sent, empty if the request has none
 * TIMESTAMP        e.g. 1760000000
 * NONCE
 * SHA256HEX(body)  lower-case hex; of the empty string when there is no body
 * </pre>
 *
 * joined with single '\n' and no trailing newline. The tenant line binds the request to the tenant it acts for, so a
 * signed request of a credential that may act for several tenants cannot be sent again for another one.
 *
 * <p>{@link Version#V1} (no version header, or {@code 1}) is the first format: the same lines without the {@code v2}
 * and TENANT lines. It is deprecated because it leaves the tenant out; servers accept it only while their operators
 * allow it. The two formats cannot be confused: a v1 string starts with a method (letters only), a v2 string with
 * {@code v2}.
 *
 * <p>The timestamp must be within the signature window (5 minutes by default) of the server's clock either way, and a
 * nonce is accepted only once within that window.
 */
public final class RequestSignature {

    /** The formats of the string to sign, as named by the {@value SignedRequestHeaders#SIGNATURE_VERSION} header. */
    public enum Version {
        /** The first format, without the tenant: deprecated. */
        V1("1"),
        /** The current format: covers the {@value SignedRequestHeaders#TENANT} header. */
        V2("2");

        private final String header;

        Version(String header) {
            this.header = header;
        }

        /** The value of the {@value SignedRequestHeaders#SIGNATURE_VERSION} header that names this format. */
        public String header() {
            return header;
        }

        /**
         * The format a request names: no header (null or blank) is {@link #V1}, the request of a client older than
         * the header.
         *
         * @throws IllegalArgumentException for any other value than 1 or 2
         */
        public static Version of(String headerValue) {
            if (headerValue == null || headerValue.isBlank()) {
                return V1;
            }
            for (Version version : values()) {
                if (version.header.equals(headerValue.strip())) {
                    return version;
                }
            }
            throw new IllegalArgumentException("Unknown signature version; " + SignedRequestHeaders.SIGNATURE_VERSION
                    + " must be " + V2.header + " (or " + V1.header + " for the deprecated first format).");
        }
    }

    private RequestSignature() {
    }

    /**
     * The string to sign in the given format. {@code query} is the raw query string without '?', {@code tenant} the
     * {@value SignedRequestHeaders#TENANT} header as sent; null for either means absent. {@link Version#V1} leaves the
     * tenant out.
     */
    public static String canonical(Version version, String method, String path, String query, String tenant, String timestamp,
                                   String nonce, String bodySha256Hex) {
        String upperMethod = method.toUpperCase(Locale.ROOT);
        String queryLine = query == null ? "" : query;
        String bodyLine = bodySha256Hex.toLowerCase(Locale.ROOT);
        return switch (version) {
            case V1 -> String.join("\n", upperMethod, path, queryLine, timestamp, nonce, bodyLine);
            case V2 -> String.join("\n", "v2", upperMethod, path, queryLine, tenant == null ? "" : tenant, timestamp, nonce, bodyLine);
        };
    }

    /**
     * The headers of {@link SignedRequestHeaders} for a request signed now in the current format with a fresh random
     * nonce: what a client attaches. {@code query} is the raw query string without '?', or null; {@code tenant} the
     * tenant the request acts for, or null for the credential's own. The tenant header is among the headers when a
     * tenant is given, so what is signed and what is sent cannot differ.
     */
    public static Map<String, String> headers(String secretId, String secretKey, String method, String path, String query,
                                              String tenant, byte[] body) {
        String timestamp = Long.toString(Instant.now().getEpochSecond());
        String nonce = ApiKeyFormat.randomBase62(24);
        String canonical = canonical(Version.V2, method, path, query, tenant, timestamp, nonce, sha256Hex(body));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SignedRequestHeaders.SECRET_ID, secretId);
        headers.put(SignedRequestHeaders.TIMESTAMP, timestamp);
        headers.put(SignedRequestHeaders.NONCE, nonce);
        headers.put(SignedRequestHeaders.SIGNATURE_VERSION, Version.V2.header());
        headers.put(SignedRequestHeaders.SIGNATURE, sign(secretKey.getBytes(StandardCharsets.UTF_8), canonical));
        if (tenant != null) {
            headers.put(SignedRequestHeaders.TENANT, tenant);
        }
        return headers;
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
