package io.keyfleet.sandbox.gateway;

import java.net.URLDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parameters of a v2 gateway call: the SDK puts the common ones (method, app_id, sign, ...) in the query string
 * and biz_content in the form body, both percent-encoded in the request's {@code charset} (UTF-8 unless it says
 * otherwise). A name given twice keeps its first value.
 */
public record GatewayParams(Map<String, String> values, Charset charset) {

    /** Thrown for a charset parameter that names no charset the JVM has. */
    public static class UnknownCharset extends Exception {
        public UnknownCharset() {
            super("unknown charset", null, false, false);
        }
    }

    public static GatewayParams parse(String rawQuery, String rawForm) throws UnknownCharset {
        Charset charset = charsetOf(rawQuery, rawForm);
        Map<String, String> values = new TreeMap<>();
        addAll(values, rawQuery, charset);
        addAll(values, rawForm, charset);
        return new GatewayParams(values, charset);
    }

    public String get(String name) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /**
     * The string the request was signed over (AlipaySignature.getSignContent): every parameter but sign with a
     * non-empty value, sorted by name, as name=value joined by &amp;, values not encoded.
     */
    public String signContent() {
        StringBuilder content = new StringBuilder();
        for (Map.Entry<String, String> entry : values.entrySet()) {
            if ("sign".equals(entry.getKey()) || entry.getKey().isEmpty() || entry.getValue().isEmpty()) {
                continue;
            }
            if (!content.isEmpty()) {
                content.append('&');
            }
            content.append(entry.getKey()).append('=').append(entry.getValue());
        }
        return content.toString();
    }

    private static Charset charsetOf(String rawQuery, String rawForm) throws UnknownCharset {
        String name = rawValue(rawQuery, "charset");
        if (name == null) {
            name = rawValue(rawForm, "charset");
        }
        if (name == null || name.isBlank()) {
            return StandardCharsets.UTF_8;
        }
        try {
            return Charset.forName(URLDecoder.decode(name, StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new UnknownCharset();
        }
    }

    private static String rawValue(String raw, String name) {
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).equals(name)) {
                return pair.substring(equals + 1);
            }
        }
        return null;
    }

    private static void addAll(Map<String, String> values, String raw, Charset charset) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), charset);
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), charset);
            values.putIfAbsent(name, value);
        }
    }

    private static String decode(String text, Charset charset) {
        try {
            return URLDecoder.decode(text, charset);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }
}
