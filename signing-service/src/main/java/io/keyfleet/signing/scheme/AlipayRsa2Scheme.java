package io.keyfleet.signing.scheme;

import io.keyfleet.signing.api.MessageKind;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Alipay OpenAPI v2 ({@code gateway.do}), sign_type RSA2: SHA256withRSA, base64. Each rule is what alipay-sdk-java
 * does (AlipaySignature, AbstractAlipayClient), proven by AlipayV2DifferentialTest against the SDK itself.
 *
 * <ul>
 *   <li>Request: {@code params} are all request parameters (app_id, method, charset, sign_type, timestamp, version,
 *       biz_content, app_auth_token, …). Signed content: the parameters sorted by name, {@code sign} and those whose
 *       name or value is blank left out, joined as {@code key=value&key=value}; values are never trimmed. Blank is the
 *       SDK's {@code StringUtils.isEmpty}: empty, or every char {@link Character#isWhitespace} (spaces, tabs, line
 *       breaks, U+3000, … but not the no-break spaces U+00A0/U+2007/U+202F). Attach parameter {@code sign}.</li>
 *   <li>Charset: the content is signed over its bytes in {@code charset} (UTF-8, GBK or GB2312) when given, else in
 *       the message's own {@code charset} parameter, else UTF-8 (the SDK signs in the client's charset, which it also
 *       sends as {@code charset}). Text that the charset cannot encode is refused as malformed: the SDK would turn it
 *       into {@code ?}, so that different texts would share one signature.</li>
 *   <li>Response: {@code body} exactly as received, optionally {@code apiMethod}. The body must be one JSON object
 *       without duplicate top-level names, and with one {@code *_response} node (else {@code DUPLICATE_RESPONSE_NODE}
 *       or {@code DUPLICATE_JSON_KEY}: a second, unsigned node is the signature-wrapping the SDK refuses). The signed
 *       content is the raw text of that node ({@code <method>_response}, else {@code error_response}); like the SDK's
 *       client, when it does not verify and contains {@code \/}, it is tried once more with {@code \/} as {@code /}.
 *       The signature is the top-level {@code sign}. Without one, the SDK accepts an error answer (a node with a
 *       {@code sub_code}) unchecked; we answer it as {@code UNSIGNED_ERROR_RESPONSE} with the sub_code, any other
 *       answer as {@code UNSIGNED_RESPONSE}: never valid.</li>
 *   <li>Notification: {@code params} as posted; {@code notificationForm} V1 (the SDK's {@code rsaCheckV1}: without
 *       {@code sign} and {@code sign_type}), V2 ({@code rsaCheckV2}: without {@code sign} only) or AUTO (V1, then V2;
 *       the default). Both forms are the same parameters and differ only by {@code sign_type}, which names the
 *       algorithm, so trying both lets no message through that the provider did not sign. Time {@code notify_time}
 *       (Beijing time), id {@code notify_id}.</li>
 * </ul>
 */
public final class AlipayRsa2Scheme implements SignatureScheme {

    public static final String NAME = "alipay-rsa2";
    /** The charsets the Alipay gateway takes in its {@code charset} parameter. */
    public static final List<String> CHARSETS = List.of("UTF-8", "GBK", "GB2312");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter NOTIFY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);

    /** Which content a notification was signed over. */
    public enum NotificationForm {
        /** {@code rsaCheckV1}: without {@code sign} and {@code sign_type}. */
        V1,
        /** {@code rsaCheckV2}: without {@code sign} only. */
        V2,
        /** V1, then V2. */
        AUTO;

        static NotificationForm of(String value) {
            if (value == null || value.isEmpty()) {
                return AUTO;
            }
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new MalformedMessageException("notificationForm must be V1, V2 or AUTO");
            }
        }
    }

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
        Charset charset = charset(parts);
        String signature = Parts.base64(signer.sign(encode(requestContent(parts.params()), charset)));
        Map<String, String> params = new LinkedHashMap<>();
        params.put("sign", signature);
        return new Attachments(Map.of(), params);
    }

    @Override
    public SignedMessage parse(MessageKind kind, MessageParts parts) {
        return switch (kind) {
            case REQUEST -> new SignedMessage(encode(requestContent(parts.params()), charset(parts)),
                    Parts.base64(parts.params().get("sign"), "params.sign"), null, null, null);
            case RESPONSE -> response(parts);
            case NOTIFICATION -> notification(parts);
        };
    }

    /** The SDK's {@code StringUtils.isEmpty}: null, empty, or only chars that {@link Character#isWhitespace} says are. */
    public static boolean blank(String value) {
        if (value == null) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!Character.isWhitespace(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Sorted {@code key=value&…} of the parameters except {@code sign} and those with a blank name or value. */
    public static String requestContent(Map<String, String> params) {
        StringBuilder content = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(params).entrySet()) {
            if (blank(e.getKey()) || blank(e.getValue()) || e.getKey().equals("sign")) {
                continue;
            }
            if (!content.isEmpty()) {
                content.append('&');
            }
            content.append(e.getKey()).append('=').append(e.getValue());
        }
        return content.toString();
    }

    /** As {@link #requestContent}, also without {@code sign_type}: rsaCheckV1's content. */
    public static String notificationContent(Map<String, String> params) {
        Map<String, String> withoutType = new TreeMap<>(params);
        withoutType.remove("sign_type");
        return requestContent(withoutType);
    }

    /** The charset of the signed bytes: the caller's, else the message's {@code charset} parameter, else UTF-8. */
    public static Charset charset(MessageParts parts) {
        String name = parts.charset();
        String field = "charset";
        if (blank(name)) {
            name = parts.params().get("charset");
            field = "params.charset";
        }
        if (blank(name)) {
            return StandardCharsets.UTF_8;
        }
        for (String known : CHARSETS) {
            if (known.equalsIgnoreCase(name)) {
                return Charset.forName(known);
            }
        }
        throw new MalformedMessageException(field + " must be one of " + String.join(", ", CHARSETS));
    }

    /** The text's bytes in the charset; text the charset cannot encode (or a lone surrogate) is malformed. */
    static byte[] encode(String text, Charset charset) {
        try {
            ByteBuffer bytes = charset.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new MalformedMessageException("the signed content has characters that " + charset.name() + " cannot encode");
        }
    }

    private static SignedMessage notification(MessageParts parts) {
        Map<String, String> params = parts.params();
        NotificationForm form = NotificationForm.of(parts.notificationForm());
        Charset charset = charset(parts);
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
        String v1 = notificationContent(params);
        String v2 = requestContent(params);
        return switch (form) {
            case V1 -> new SignedMessage(encode(v1, charset), signature, null, time, id);
            case V2 -> new SignedMessage(encode(v2, charset), signature, null, time, id);
            case AUTO -> new SignedMessage(encode(v1, charset), signature, null, time, id,
                    v1.equals(v2) ? List.of() : List.of(encode(v2, charset)));
        };
    }

    private static SignedMessage response(MessageParts parts) {
        String body = Parts.required(parts.body(), "body");
        Charset charset = charset(parts);
        TopLevel top = TopLevel.read(body);
        List<String> nodes = top.names.stream().filter(n -> n.endsWith("_response")).toList();
        if (nodes.size() > 1) {
            throw new RefusedMessageException("DUPLICATE_RESPONSE_NODE", "The body has " + nodes.size()
                    + " answer nodes (" + String.join(", ", nodes) + "); only one is signed.", null);
        }
        if (nodes.isEmpty()) {
            throw new MalformedMessageException("body has no *_response node");
        }
        String node = nodes.get(0);
        String expected = parts.apiMethod() == null ? null : parts.apiMethod().replace('.', '_') + "_response";
        if (expected != null && !node.equals(expected) && !node.equals("error_response")) {
            throw new MalformedMessageException("body answers " + node + ", not " + expected);
        }
        String content = body.substring(top.valueStart.get(node), top.valueEnd.get(node));
        String sign = top.sign;
        if (blank(sign)) {
            String subCode = top.subCode.get(node);
            if (!blank(subCode)) {
                throw new RefusedMessageException("UNSIGNED_ERROR_RESPONSE", "Alipay answered an error without a signature"
                        + " (code " + top.code.get(node) + ", sub_code " + subCode + "); its content is not authenticated.", subCode);
            }
            throw new RefusedMessageException("UNSIGNED_RESPONSE", "The body has no top-level sign.", null);
        }
        List<byte[]> alternatives = content.contains("\\/") ? List.of(encode(content.replace("\\/", "/"), charset)) : List.of();
        return new SignedMessage(encode(content, charset), Parts.base64(sign, "body.sign"), null, null, null, alternatives, top.certSn);
    }

    /** The top-level names of a response body, where each value's raw text starts and ends, its sign and sub_codes. */
    private static final class TopLevel {
        final List<String> names = new ArrayList<>();
        final Map<String, Integer> valueStart = new LinkedHashMap<>();
        final Map<String, Integer> valueEnd = new LinkedHashMap<>();
        final Map<String, String> code = new LinkedHashMap<>();
        final Map<String, String> subCode = new LinkedHashMap<>();
        String sign;
        String certSn;

        static TopLevel read(String body) {
            TopLevel top = new TopLevel();
            Set<String> seen = new HashSet<>();
            try (JsonParser parser = JSON.getFactory().createParser(body)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    throw new MalformedMessageException("body is not a JSON object");
                }
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    if (!seen.add(name)) {
                        throw new RefusedMessageException(name.endsWith("_response") ? "DUPLICATE_RESPONSE_NODE" : "DUPLICATE_JSON_KEY",
                                "The body names '" + name + "' twice at its top level.", null);
                    }
                    top.names.add(name);
                    JsonToken value = parser.nextToken();
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    if (name.equals("sign") && value == JsonToken.VALUE_STRING) {
                        top.sign = parser.getText();
                    }
                    if (name.equals("alipay_cert_sn") && value == JsonToken.VALUE_STRING) {
                        top.certSn = parser.getText();
                    }
                    if (name.endsWith("_response") && value == JsonToken.START_OBJECT) {
                        top.readCodes(name, parser);
                    } else {
                        parser.skipChildren();
                    }
                    top.valueStart.put(name, start);
                    top.valueEnd.put(name, (int) parser.currentLocation().getCharOffset());
                }
                if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                    throw new MalformedMessageException("body is not one JSON object");
                }
            } catch (IOException e) {
                throw new MalformedMessageException("body is not valid JSON");
            }
            return top;
        }

        /** Reads the node's object, keeping its code and sub_code; leaves the parser on its closing brace. */
        private void readCodes(String node, JsonParser parser) throws IOException {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value.isScalarValue() && value != JsonToken.VALUE_NULL && (field.equals("code") || field.equals("sub_code"))) {
                    (field.equals("code") ? code : subCode).put(node, parser.getText());
                }
                parser.skipChildren();
            }
        }
    }
}
