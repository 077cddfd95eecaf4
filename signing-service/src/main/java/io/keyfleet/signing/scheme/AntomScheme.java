package io.keyfleet.signing.scheme;

import io.keyfleet.signing.api.MessageKind;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Antom (Alipay+ / global open API): SHA256withRSA ("RSA256"), base64, then URL-encoded (UTF-8).
 *
 * <ul>
 *   <li>Request: {@code method}, {@code path}, {@code clientId}, {@code body}, optional {@code timestamp} (the
 *       request-time, Unix ms; now when absent). Signed content: {@code METHOD path\nclientId.requestTime.body}.
 *       Attach {@code Signature: algorithm=RSA256,keyVersion=N,signature=…}, {@code client-id} and
 *       {@code request-time}. N is the caller's {@code keyVersionLabel}, else the signing key version's number.</li>
 *   <li>Response: the request's {@code method} and {@code path}, headers {@code client-id}, {@code response-time} and
 *       {@code signature}, and {@code body}: the same content with the response time.</li>
 *   <li>Notification (and request check): headers {@code client-id}, {@code request-time}, {@code signature}.</li>
 * </ul>
 *
 * <p>As Antom's SDK ({@code SignatureTool}, {@code WebhookTool}) does: {@code algorithm} is not read (the signature is
 * checked as SHA256withRSA whatever it says); {@code keyVersion} is a label, not signed and not required (reported as {@link SignedMessage#keyVersionLabel()}, never used to pick a key); the signature value is
 * URL-decoded and then base64-decoded, so a raw base64 value without {@code +} verifies, and one with {@code +} (which
 * URL-decoding turns into a space) is judged a bad signature, not a malformed message. Only a value URL-decoding refuses
 * (a broken {@code %} escape), which the SDK cannot judge either, is malformed.
 */
public final class AntomScheme implements SignatureScheme {

    public static final String NAME = "antom";

    /** What a {@code keyVersion} label may be when we write one: digits, as the SDK's Integer keyVersion. */
    private static final Pattern LABEL = Pattern.compile("[0-9]{1,9}");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String algorithm() {
        return "SHA256withRSA";
    }

    @Override
    public Attachments sign(MessageParts parts, MessageSigner signer) {
        String clientId = Parts.required(parts.clientId(), "clientId");
        String label = parts.keyVersionLabel() != null ? parts.keyVersionLabel() : Integer.toString(signer.keyVersion());
        if (!LABEL.matcher(label).matches()) {
            throw new MalformedMessageException("keyVersionLabel must be 1-9 digits, e.g. 1");
        }
        String requestTime = parts.timestamp() != null ? parts.timestamp() : Long.toString(System.currentTimeMillis());
        String content = content(parts.method(), parts.path(), clientId, requestTime, parts.body());
        String signature = URLEncoder.encode(Parts.base64(signer.sign(Parts.utf8(content))), StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Signature", "algorithm=RSA256,keyVersion=" + label + ",signature=" + signature);
        headers.put("client-id", clientId);
        headers.put("request-time", requestTime);
        return new Attachments(headers, Map.of());
    }

    @Override
    public SignedMessage parse(MessageKind kind, MessageParts parts) {
        String timeHeader = kind == MessageKind.RESPONSE ? "response-time" : "request-time";
        String time = Parts.required(parts.header(timeHeader), "headers." + timeHeader);
        String clientId = Parts.required(parts.header("client-id"), "headers.client-id");
        Map<String, String> signatureFields = fields(Parts.required(parts.header("signature"), "headers.signature"));
        String encoded = Parts.required(signatureFields.get("signature"), "headers.signature: signature=");
        String decoded;
        try {
            decoded = URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("headers.signature: signature= is not URL-encoded (a broken % escape)");
        }
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(decoded);
        } catch (IllegalArgumentException e) {
            // judged, not malformed: the SDK verifies these bytes and says no (a raw value's '+' became a space above)
            signature = new byte[0];
        }
        String content = content(parts.method(), parts.path(), clientId, time, parts.body());
        return new SignedMessage(Parts.utf8(content), signature, signatureFields.get("keyVersion"), Parts.millisOrIso(time, "headers." + timeHeader),
                parts.notificationId());
    }

    /** {@code METHOD path\nclientId.time.body} */
    static String content(String method, String path, String clientId, String time, String body) {
        return Parts.required(method, "method") + " " + Parts.required(path, "path") + "\n" + clientId + "." + time + "."
                + (body == null ? "" : body);
    }

    /** {@code algorithm=RSA256,keyVersion=1,signature=…} into its fields. */
    private static Map<String, String> fields(String header) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new MalformedMessageException("headers.signature must look like algorithm=RSA256,keyVersion=1,signature=…");
            }
            fields.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return fields;
    }
}
