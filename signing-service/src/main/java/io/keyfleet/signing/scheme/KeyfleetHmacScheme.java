package io.keyfleet.signing.scheme;

import io.keyfleet.auth.RequestSignature;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The suite's own request signing with a SecretId/SecretKey pair, exactly what key-service verifies
 * ({@link RequestSignature}): HMAC-SHA256 over {@code METHOD\nPATH\nQUERY\nTIMESTAMP\nNONCE\nSHA256HEX(body)}, base64.
 * Parts: {@code method}, {@code path}, {@code query}, {@code body}, optional {@code timestamp} (Unix seconds) and
 * {@code nonce}. Attaches {@value #TIMESTAMP}, {@value #NONCE} and {@value #SIGNATURE}.
 */
public final class KeyfleetHmacScheme implements SignatureScheme {

    public static final String NAME = "keyfleet-hmac";
    public static final String TIMESTAMP = "X-Keyfleet-Timestamp";
    public static final String NONCE = "X-Keyfleet-Nonce";
    public static final String SIGNATURE = "X-Keyfleet-Signature";

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
        String signature = Parts.base64(signer.sign(Parts.utf8(canonical(parts, timestamp, nonce))));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(TIMESTAMP, timestamp);
        headers.put(NONCE, nonce);
        headers.put(SIGNATURE, signature);
        return new Attachments(headers, Map.of());
    }

    @Override
    public SignedMessage parse(MessageKind kind, MessageParts parts) {
        String timestamp = Parts.required(parts.header(TIMESTAMP), "headers." + TIMESTAMP);
        String nonce = Parts.required(parts.header(NONCE), "headers." + NONCE);
        byte[] signature = Parts.base64(parts.header(SIGNATURE), "headers." + SIGNATURE);
        return new SignedMessage(Parts.utf8(canonical(parts, timestamp, nonce)), signature, null,
                Parts.epochSeconds(timestamp, "headers." + TIMESTAMP), parts.notificationId() != null ? parts.notificationId() : nonce);
    }

    private static String canonical(MessageParts parts, String timestamp, String nonce) {
        String bodyHash = RequestSignature.sha256Hex(parts.body() == null ? null : Parts.utf8(parts.body()));
        return RequestSignature.canonical(Parts.required(parts.method(), "method"), Parts.required(parts.path(), "path"),
                parts.query(), timestamp, nonce, bodyHash);
    }
}
