package io.keyfleet.signing.scheme;

import io.keyfleet.signing.api.MessageKind;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alipay OpenAPI v3: SHA256withRSA, base64.
 *
 * <ul>
 *   <li>Request: {@code appId}, {@code method}, {@code path} (with {@code query} appended after '?' when given),
 *       {@code body}, optional {@code appAuthToken}, {@code nonce} and {@code timestamp} (Unix ms; made up when absent).
 *       auth-string is {@code app_id=…,nonce=…,timestamp=…}; the signed content is
 *       {@code auth-string\nMETHOD\nURI\nbody\n}, plus {@code appAuthToken\n} when there is one. Attach
 *       {@code Authorization: ALIPAY-SHA256withRSA auth-string,sign=…} (and {@code alipay-app-auth-token}).</li>
 *   <li>Response: headers {@code alipay-timestamp}, {@code alipay-nonce}, {@code alipay-signature} and {@code body};
 *       the signed content is {@code timestamp\nnonce\nbody\n}.</li>
 *   <li>Request check (our sandbox): the same parts with the {@code Authorization} header.</li>
 * </ul>
 */
public final class AlipayV3Scheme implements SignatureScheme {

    public static final String NAME = "alipay-v3";
    static final String AUTH_TYPE = "ALIPAY-SHA256withRSA";
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "ALIPAY-SHA256withRSA (app_id=[^,]*(?:,app_cert_sn=[^,]*)?,nonce=([^,]*),timestamp=([^,]*)),sign=(.*)");

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
        String appId = Parts.required(parts.appId(), "appId");
        String nonce = parts.nonce() != null ? parts.nonce() : UUID.randomUUID().toString();
        String timestamp = parts.timestamp() != null ? parts.timestamp() : Long.toString(System.currentTimeMillis());
        String authString = "app_id=" + appId + ",nonce=" + nonce + ",timestamp=" + timestamp;
        String signature = Parts.base64(signer.sign(Parts.utf8(requestContent(authString, parts))));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Authorization", AUTH_TYPE + " " + authString + ",sign=" + signature);
        if (parts.appAuthToken() != null && !parts.appAuthToken().isEmpty()) {
            headers.put("alipay-app-auth-token", parts.appAuthToken());
        }
        return new Attachments(headers, Map.of());
    }

    @Override
    public SignedMessage parse(MessageKind kind, MessageParts parts) {
        if (kind == MessageKind.REQUEST) {
            Matcher header = AUTHORIZATION.matcher(Parts.required(parts.header("Authorization"), "headers.Authorization"));
            if (!header.matches()) {
                throw new MalformedMessageException("headers.Authorization is not 'ALIPAY-SHA256withRSA app_id=…,nonce=…,timestamp=…,sign=…'");
            }
            String token = parts.appAuthToken() != null ? parts.appAuthToken() : parts.header("alipay-app-auth-token");
            MessageParts withToken = token == null ? parts : new MessageParts(parts.method(), parts.path(), parts.query(),
                    parts.body(), parts.params(), parts.headers(), parts.appId(), parts.clientId(), parts.nonce(),
                    parts.timestamp(), token, parts.apiMethod(), parts.notificationId());
            return new SignedMessage(Parts.utf8(requestContent(header.group(1), withToken)), Parts.base64(header.group(4), "sign"),
                    null, Parts.epochMillis(header.group(3), "Authorization timestamp"), null);
        }
        String timestamp = Parts.required(parts.header("alipay-timestamp"), "headers.alipay-timestamp");
        String nonce = Parts.required(parts.header("alipay-nonce"), "headers.alipay-nonce");
        byte[] signature = Parts.base64(parts.header("alipay-signature"), "headers.alipay-signature");
        String content = timestamp + "\n" + nonce + "\n" + (parts.body() == null ? "" : parts.body()) + "\n";
        return new SignedMessage(Parts.utf8(content), signature, null, Parts.epochMillis(timestamp, "headers.alipay-timestamp"),
                parts.notificationId());
    }

    /** {@code auth-string\nMETHOD\nURI\nbody\n[appAuthToken\n]} */
    static String requestContent(String authString, MessageParts parts) {
        String method = Parts.required(parts.method(), "method");
        String uri = Parts.required(parts.path(), "path");
        if (parts.query() != null && !parts.query().isEmpty()) {
            uri = uri + "?" + parts.query();
        }
        StringBuilder content = new StringBuilder(authString).append('\n').append(method).append('\n').append(uri).append('\n')
                .append(parts.body() == null ? "" : parts.body()).append('\n');
        if (parts.appAuthToken() != null && !parts.appAuthToken().isEmpty()) {
            content.append(parts.appAuthToken()).append('\n');
        }
        return content.toString();
    }
}
