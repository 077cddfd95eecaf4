package io.keyfleet.signing.scheme;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parts of an HTTP message that a scheme signs or checks, as the caller has them. Each scheme reads only the
 * fields it needs (see its javadoc); text is taken exactly as given, never re-serialised.
 *
 * @param method         HTTP method, e.g. POST
 * @param path           request path as sent, e.g. /v3/alipay/trade/query or /ams/api/v1/payments/pay
 * @param query          raw query string without '?', or null
 * @param body           the body exactly as sent or received
 * @param params         form or query parameters (Alipay OpenAPI v2 requests and notifications)
 * @param headers        HTTP headers; names are matched case-insensitively
 * @param appId          Alipay app id (alipay-v3)
 * @param clientId       Antom client id
 * @param nonce          to use when signing (alipay-v3, keyfleet-hmac); made up when absent
 * @param timestamp      to use when signing: Unix milliseconds (alipay-v3, antom) or seconds (keyfleet-hmac); now when absent
 * @param appAuthToken   alipay-v3: the app auth token of an ISV call on behalf of a merchant, signed as an extra line
 * @param apiMethod      alipay-rsa2 responses: the OpenAPI method, e.g. alipay.trade.query, naming the {@code *_response} node
 * @param notificationId to deduplicate notifications by; schemes that know the provider's id field fill it in
 * @param charset        alipay-rsa2: the charset whose bytes are signed (UTF-8, GBK or GB2312); when absent, the
 *                       message's own {@code charset} parameter, else UTF-8
 * @param notificationForm alipay-rsa2 notifications: V1 (without {@code sign_type}, the SDK's rsaCheckV1), V2 (with it,
 *                       rsaCheckV2) or AUTO (V1, then V2); AUTO when absent
 * @param keyVersionLabel antom, when signing: the {@code keyVersion} to name in the Signature header (digits); the
 *                       signing key version's number when absent
 */
public record MessageParts(String method, String path, String query, String body, Map<String, String> params,
                           Map<String, String> headers, String appId, String clientId, String nonce, String timestamp,
                           String appAuthToken, String apiMethod, String notificationId, String charset,
                           String notificationForm, String keyVersionLabel) {

    public MessageParts(String method, String path, String query, String body, Map<String, String> params,
                        Map<String, String> headers, String appId, String clientId, String nonce, String timestamp,
                        String appAuthToken, String apiMethod, String notificationId) {
        this(method, path, query, body, params, headers, appId, clientId, nonce, timestamp, appAuthToken, apiMethod,
                notificationId, null, null, null);
    }

    public MessageParts {
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
        Map<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            caseless.putAll(headers);
        }
        headers = Collections.unmodifiableMap(caseless);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String header(String name) {
        return headers.get(name);
    }

    /** A fluent way to fill the few fields a scheme needs. */
    public static final class Builder {
        private String method;
        private String path;
        private String query;
        private String body;
        private Map<String, String> params = new LinkedHashMap<>();
        private Map<String, String> headers = new LinkedHashMap<>();
        private String appId;
        private String clientId;
        private String nonce;
        private String timestamp;
        private String appAuthToken;
        private String apiMethod;
        private String notificationId;
        private String charset;
        private String notificationForm;
        private String keyVersionLabel;

        public Builder method(String value) { this.method = value; return this; }
        public Builder path(String value) { this.path = value; return this; }
        public Builder query(String value) { this.query = value; return this; }
        public Builder body(String value) { this.body = value; return this; }
        public Builder params(Map<String, String> value) { this.params = new LinkedHashMap<>(value); return this; }
        public Builder param(String name, String value) { this.params.put(name, value); return this; }
        public Builder headers(Map<String, String> value) { this.headers = new LinkedHashMap<>(value); return this; }
        public Builder header(String name, String value) { this.headers.put(name, value); return this; }
        public Builder appId(String value) { this.appId = value; return this; }
        public Builder clientId(String value) { this.clientId = value; return this; }
        public Builder nonce(String value) { this.nonce = value; return this; }
        public Builder timestamp(String value) { this.timestamp = value; return this; }
        public Builder appAuthToken(String value) { this.appAuthToken = value; return this; }
        public Builder apiMethod(String value) { this.apiMethod = value; return this; }
        public Builder notificationId(String value) { this.notificationId = value; return this; }
        public Builder charset(String value) { this.charset = value; return this; }
        public Builder notificationForm(String value) { this.notificationForm = value; return this; }
        public Builder keyVersionLabel(String value) { this.keyVersionLabel = value; return this; }

        public MessageParts build() {
            return new MessageParts(method, path, query, body, params, headers, appId, clientId, nonce, timestamp,
                    appAuthToken, apiMethod, notificationId, charset, notificationForm, keyVersionLabel);
        }
    }
}
