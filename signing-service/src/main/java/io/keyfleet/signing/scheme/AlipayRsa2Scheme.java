package io.keyfleet.signing.scheme;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alipay OpenAPI v2 ({@code gateway.do}), sign_type RSA2: SHA256withRSA, base64.
 *
 * <ul>
 *   <li>Request: {@code params} are all request parameters (app_id, method, charset, sign_type, timestamp, version,
 *       biz_content, …). Signed content: the parameters sorted by name, those with an empty value and {@code sign}
 *       left out, joined as {@code key=value&key=value}. Attach parameter {@code sign}.</li>
 *   <li>Response: {@code body} exactly as received, optionally {@code apiMethod}. The signed content is the raw text of
 *       the {@code <method>_response} (or {@code error_response}) value, cut out of the body the way the SDK's
 *       {@code AlipaySignature.extractSignContent} does; the signature is the top-level {@code sign}.</li>
 *   <li>Notification: {@code params} as posted. Like the SDK's {@code rsaCheckV1}: the non-empty parameters except
 *       {@code sign} and {@code sign_type}, sorted. Time {@code notify_time} (Beijing time), id {@code notify_id}.</li>
 * </ul>
 */
public final class AlipayRsa2Scheme implements SignatureScheme {

    public static final String NAME = "alipay-rsa2";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RESPONSE_NODE = Pattern.compile("\"([A-Za-z0-9_]+_response)\"\\s*:");
    private static final DateTimeFormatter NOTIFY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);

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
        if (parts.params().isEmpty()) {
            throw new MalformedMessageException("params are required: the request parameters to sign");
        }
        String signature = Parts.base64(signer.sign(Parts.utf8(requestContent(parts.params()))));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("sign", signature);
        return new Attachments(Map.of(), params);
    }

    @Override
    public SignedMessage parse(MessageKind kind, MessageParts parts) {
        return switch (kind) {
            case REQUEST -> new SignedMessage(Parts.utf8(requestContent(parts.params())),
                    Parts.base64(parts.params().get("sign"), "params.sign"), null, null, null);
            case RESPONSE -> response(parts);
            case NOTIFICATION -> notification(parts);
        };
    }

    /** Sorted {@code key=value&…} of the non-empty parameters except {@code sign}. */
    public static String requestContent(Map<String, String> params) {
        StringBuilder content = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if (e.getKey().isEmpty() || e.getValue() == null || e.getValue().isEmpty() || e.getKey().equals("sign")) {
                continue;
            }
            if (!content.isEmpty()) {
                content.append('&');
            }
            content.append(e.getKey()).append('=').append(e.getValue());
        }
        return content.toString();
    }

    /** Sorted {@code key=value&…} of the non-empty parameters except {@code sign} and {@code sign_type}, as rsaCheckV1 builds it. */
    public static String notificationContent(Map<String, String> params) {
        Map<String, String> withoutType = new TreeMap<>(params);
        withoutType.remove("sign_type");
        return requestContent(withoutType);
    }

    private static SignedMessage notification(MessageParts parts) {
        Map<String, String> params = parts.params();
        byte[] signature = Parts.base64(params.get("sign"), "params.sign");
        Instant time = null;
        String notifyTime = params.get("notify_time");
        if (notifyTime != null && !notifyTime.isEmpty()) {
            try {
                time = LocalDateTime.parse(notifyTime, NOTIFY_TIME).toInstant(BEIJING);
            } catch (DateTimeParseException e) {
                throw new MalformedMessageException("params.notify_time must look like 2026-11-22 12:00:00");
            }
        }
        String id = parts.notificationId() != null ? parts.notificationId() : params.get("notify_id");
        return new SignedMessage(Parts.utf8(notificationContent(params)), signature, null, time, id);
    }

    private static SignedMessage response(MessageParts parts) {
        String body = Parts.required(parts.body(), "body");
        String node = parts.apiMethod() == null ? null : parts.apiMethod().replace('.', '_') + "_response";
        int nodeAt = node == null ? -1 : body.indexOf('"' + node + '"');
        if (nodeAt < 0) {
            nodeAt = body.indexOf("\"error_response\"");
            node = "error_response";
        }
        if (nodeAt < 0) {
            Matcher any = RESPONSE_NODE.matcher(body);
            if (!any.find()) {
                throw new MalformedMessageException("body has no *_response node");
            }
            node = any.group(1);
            nodeAt = any.start();
        }
        String content = extractValue(body, nodeAt + node.length() + 2);
        return new SignedMessage(Parts.utf8(content), Parts.base64(topLevelSign(body), "body.sign"), null, null, null);
    }

    /**
     * The raw text of the JSON value starting at or after {@code from}: an object up to its matching brace (braces in
     * strings and escaped quotes skipped), or a string (an encrypted response) up to its closing quote.
     */
    static String extractValue(String body, int from) {
        int begin = from;
        while (begin < body.length() && body.charAt(begin) != '{' && body.charAt(begin) != '"') {
            begin++;
        }
        if (begin >= body.length()) {
            throw new MalformedMessageException("body has no value after the *_response node");
        }
        if (body.charAt(begin) == '"') {
            int end = body.indexOf('"', begin + 1);
            return body.substring(begin, end < 0 ? body.length() : end + 1);
        }
        int depth = 0;
        boolean inString = false;
        int escapes = 0;
        for (int i = begin; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '"' && escapes % 2 == 0) {
                inString = !inString;
            } else if (!inString && c == '{') {
                depth++;
            } else if (!inString && c == '}' && --depth == 0) {
                return body.substring(begin, i + 1);
            }
            escapes = c == '\\' ? escapes + 1 : 0;
        }
        throw new MalformedMessageException("body: the *_response object is not closed");
    }

    private static String topLevelSign(String body) {
        try (JsonParser parser = JSON.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedMessageException("body is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("sign") && value == JsonToken.VALUE_STRING) {
                    return parser.getText();
                }
                parser.skipChildren();
            }
            throw new MalformedMessageException("body has no top-level sign");
        } catch (IOException e) {
            throw new MalformedMessageException("body is not valid JSON");
        }
    }
}
