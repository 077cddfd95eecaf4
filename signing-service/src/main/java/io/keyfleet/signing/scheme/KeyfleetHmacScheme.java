package io.keyfleet.signing.scheme;

import io.keyfleet.signing.api.MessageKind;
import io.keyfleet.auth.RequestSignature;
import io.keyfleet.auth.RequestSignature.Version;
import io.keyfleet.auth.SignedRequestHeaders;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The suite's own request signing with a SecretId/SecretKey pair, exactly what key-service verifies
 * ({@link RequestSignature}): HMAC-SHA256, base64, over the v2 string
 * {@code v2\nMETHOD\nPATH\nQUERY\nTENANT\nTIMESTAMP\nNONCE\nSHA256HEX(body)}, where TENANT is the request's
 * {@value SignedRequestHeaders#TENANT} header (empty without it). Parts: {@code method}, {@code path}, {@code query},
 * {@code body}, {@code headers} (the tenant header), optional {@code timestamp} (Unix seconds) and {@code nonce}.
 * Attaches {@value #TIMESTAMP}, {@value #NONCE}, {@value #SIGNATURE_VERSION} and {@value #SIGNATURE}. Checking reads
 * the format from {@value #SIGNATURE_VERSION} (absent: the deprecated v1, which leaves the tenant out).
 */
public final class KeyfleetHmacScheme implements SignatureScheme {

    public static final String NAME = "keyfleet-hmac";
    public static final String TIMESTAMP = SignedRequestHeaders.TIMESTAMP;
    public static final String NONCE = SignedRequestHeaders.NONCE;
    public static final String SIGNATURE = SignedRequestHeaders.SIGNATURE;
    public static final String SIGNATURE_VERSION = SignedRequestHeaders.SIGNATURE_VERSION;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String algorithm() {
        return "HmacSHA256";
    }

    @Override
    public Attachments sign(MessageParts parts, MessageSigner signer) {
        String timestamp = parts.timestamp() != null ? parts.timestamp() : Long.toString(System.currentTimeMillis() / 1000);
        String nonce = parts.nonce() != null ? parts.nonce() : UUID.randomUUID().toString().replace("-", "");
        String signature = Parts.base64(signer.sign(Parts.utf8(canonical(Version.V2, parts, timestamp, nonce))));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(TIMESTAMP, timestamp);
        headers.put(NONCE, nonce);
        headers.put(SIGNATURE_VERSION, Version.V2.header());
        headers.put(SIGNATURE, signature);
        return new Attachments(headers, Map.of());
    }

    @Override
    public SignedMessage parse(MessageKind kind, MessageParts parts) {
        String timestamp = Parts.required(parts.header(TIMESTAMP), "headers." + TIMESTAMP);
        String nonce = Parts.required(parts.header(NONCE), "headers." + NONCE);
        byte[] signature = Parts.base64(parts.header(SIGNATURE), "headers." + SIGNATURE);
        Version version;
        try {
            version = Version.of(parts.header(SIGNATURE_VERSION));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("headers." + SIGNATURE_VERSION + ": " + e.getMessage());
        }
        return new SignedMessage(Parts.utf8(canonical(version, parts, timestamp, nonce)), signature, null,
                Parts.epochSeconds(timestamp, "headers." + TIMESTAMP), parts.notificationId() != null ? parts.notificationId() : nonce);
    }

    private static String canonical(Version version, MessageParts parts, String timestamp, String nonce) {
        String bodyHash = RequestSignature.sha256Hex(parts.body() == null ? null : Parts.utf8(parts.body()));
        return RequestSignature.canonical(version, Parts.required(parts.method(), "method"), Parts.required(parts.path(), "path"),
                parts.query(), parts.header(SignedRequestHeaders.TENANT), timestamp, nonce, bodyHash);
    }
}
