package io.keyfleet.tokens.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.tokens.support.TokensConfig;
import io.keyfleet.tokens.upstream.UpstreamFailure.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * {@code alipay.open.auth.token.app} over the v2 gateway: the request parameters are signed by signing-service
 * ({@code POST /v1/sign}, scheme alipay-rsa2, with the tenant's app key), the answer's signature is checked by
 * signing-service ({@code POST /v1/verify}, kind RESPONSE, the provider's public key) before anything in it is used.
 * token-service calls signing-service with its own service credential, acting for the grant's tenant.
 */
@ApplicationScoped
public class AlipayTokenGateway implements TokenGateway {

    static final String METHOD = "alipay.open.auth.token.app";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    private static final Set<String> INVALID_GRANT = Set.of("isv.code-invalid", "isv.refresh-token-invalid",
            "isv.refresh-token-time-out", "isv.grant-type-invalid");
    private static final Set<String> CONFIGURATION = Set.of("isv.invalid-app-id", "isv.invalid-signature",
            "isv.unmatched-app-id", "isv.invalid-signature-type", "isv.missing-signature");

    @Inject
    TokensConfig config;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "keyfleet.auth.service-api-key", defaultValue = "")
    String serviceApiKey;

    Clock clock = Clock.systemUTC();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(5)).build();

    @Override
    public IssuedTokens exchange(AppRef app, String authCode) {
        ObjectNode biz = json.createObjectNode().put("grant_type", "authorization_code").put("code", authCode);
        return call(app, biz);
    }

    @Override
    public IssuedTokens refresh(AppRef app, String refreshToken) {
        ObjectNode biz = json.createObjectNode().put("grant_type", "refresh_token").put("refresh_token", refreshToken);
        return call(app, biz);
    }

    private IssuedTokens call(AppRef app, ObjectNode biz) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("app_id", app.appId());
        params.put("method", METHOD);
        params.put("format", "JSON");
        params.put("charset", "utf-8");
        params.put("sign_type", "RSA2");
        params.put("timestamp", LocalDateTime.now(clock.withZone(BEIJING)).format(TIMESTAMP));
        params.put("version", "1.0");
        params.put("biz_content", biz.toString());
        params.put("sign", sign(app, params));

        String body = post(config.providerGatewayUrl().resolve("/gateway.do"), "application/x-www-form-urlencoded;charset=utf-8",
                form(params), Map.of());
        return read(app, body);
    }

    private String sign(AppRef app, Map<String, String> params) {
        ObjectNode request = json.createObjectNode();
        request.set("key", key(app));
        request.put("scheme", "alipay-rsa2");
        request.putObject("request").set("params", json.valueToTree(params));
        JsonNode answer = signingService("/v1/sign", app, request);
        JsonNode sign = answer.path("params").path("sign");
        if (!sign.isTextual()) {
            throw new UpstreamFailure(Kind.CONFIGURATION, "SIGNING_FAILED", "signing-service gave no sign parameter");
        }
        return sign.asText();
    }

    private IssuedTokens read(AppRef app, String body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new UpstreamFailure(Kind.LOST, "MALFORMED_RESPONSE", "the provider's answer is not JSON");
        }
        JsonNode node = root.path(METHOD.replace('.', '_') + "_response");
        if (node.isMissingNode()) {
            node = root.path("error_response");
        }
        if (!node.isObject()) {
            throw new UpstreamFailure(Kind.LOST, "MALFORMED_RESPONSE", "the provider's answer has no response node");
        }
        if (!root.path("sign").isTextual()) {
            throw new UpstreamFailure(Kind.LOST, "UNSIGNED_RESPONSE", "the provider's answer is not signed");
        }
        verify(app, body);

        String code = node.path("code").asText();
        if ("10000".equals(code)) {
            String access = node.path("app_auth_token").asText(null);
            String refresh = node.path("app_refresh_token").asText(null);
            String merchant = node.path("user_id").asText(null);
            if (access == null || refresh == null || merchant == null) {
                throw new UpstreamFailure(Kind.LOST, "MALFORMED_RESPONSE", "the provider's success answer lacks tokens or user_id");
            }
            return new IssuedTokens(merchant, node.path("auth_app_id").asText(null), access, refresh,
                    seconds(node.path("expires_in")), seconds(node.path("re_expires_in")));
        }
        String subCode = node.path("sub_code").asText(code);
        String detail = "provider answered " + code + " " + node.path("msg").asText() + " / " + subCode;
        if (INVALID_GRANT.contains(subCode)) {
            throw new UpstreamFailure(Kind.INVALID_GRANT, subCode, detail);
        }
        if (CONFIGURATION.contains(subCode)) {
            throw new UpstreamFailure(Kind.CONFIGURATION, subCode, detail);
        }
        throw new UpstreamFailure(Kind.RETRYABLE, subCode, detail);
    }

    private void verify(AppRef app, String body) {
        ObjectNode request = json.createObjectNode();
        request.set("key", key(app));
        request.put("scheme", "alipay-rsa2");
        request.put("kind", "RESPONSE");
        request.putObject("message").put("body", body).put("apiMethod", METHOD);
        JsonNode result;
        try {
            result = signingService("/v1/verify", app, request);
        } catch (UpstreamFailure e) {
            // the provider may have acted on the request: the answer is lost to us, not refused
            throw new UpstreamFailure(Kind.LOST, e.code(), "the provider's answer could not be verified: " + e.getMessage());
        }
        if (!result.path("valid").asBoolean(false)) {
            throw new UpstreamFailure(Kind.LOST, "BAD_RESPONSE_SIGNATURE",
                    "the provider's answer failed its signature check: " + result.path("reason").asText());
        }
    }

    private JsonNode signingService(String path, AppRef app, ObjectNode request) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Caller.TENANT_HEADER, app.tenantId());
        if (!serviceApiKey.isBlank()) {
            headers.put("Authorization", "Bearer " + serviceApiKey);
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(config.signingServiceUrl().resolve(path))
                .timeout(config.upstreamTimeout())
                .header("Content-Type", "application/json"), request.toString(), headers, "signing-service");
        if (response.statusCode() / 100 == 2) {
            try {
                return json.readTree(response.body());
            } catch (IOException e) {
                throw new UpstreamFailure(Kind.RETRYABLE, "SIGNING_UNAVAILABLE", "signing-service answered unreadable JSON");
            }
        }
        String problem = problemCode(response.body());
        if (response.statusCode() >= 500 || response.statusCode() == 429) {
            throw new UpstreamFailure(Kind.RETRYABLE, "SIGNING_UNAVAILABLE", "signing-service answered HTTP " + response.statusCode());
        }
        throw new UpstreamFailure(Kind.CONFIGURATION, problem == null ? "SIGNING_REFUSED" : problem,
                "signing-service refused " + path + " with HTTP " + response.statusCode() + (problem == null ? "" : " " + problem));
    }

    private String post(URI uri, String contentType, String body, Map<String, String> headers) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri).timeout(config.upstreamTimeout())
                .header("Content-Type", contentType), body, headers, "the provider");
        if (response.statusCode() != 200) {
            throw new UpstreamFailure(Kind.RETRYABLE, "HTTP_" + response.statusCode(),
                    "token endpoint answered HTTP " + response.statusCode());
        }
        return response.body();
    }

    private HttpResponse<String> send(HttpRequest.Builder builder, String body, Map<String, String> headers, String who) {
        headers.forEach(builder::header);
        try {
            return http.send(builder.POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new UpstreamFailure(Kind.LOST, "TIMEOUT", who + " did not answer within " + config.upstreamTimeout());
        } catch (ConnectException e) {
            throw new UpstreamFailure(Kind.RETRYABLE, "UNREACHABLE", who + " could not be reached");
        } catch (IOException e) {
            throw new UpstreamFailure(Kind.LOST, "IO_ERROR", "the connection to " + who + " failed: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamFailure(Kind.LOST, "INTERRUPTED", "interrupted while waiting for " + who);
        }
    }

    private ObjectNode key(AppRef app) {
        return json.createObjectNode().put("provider", app.provider()).put("appId", app.appId())
                .put("environment", app.environment());
    }

    private String problemCode(String body) {
        try {
            JsonNode code = json.readTree(body).path("code");
            return code.isTextual() ? code.asText() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** expires_in is a number in v2 answers and a string in v3 ones; absent, zero or unreadable means unknown. */
    static Long seconds(JsonNode value) {
        long seconds;
        if (value.isNumber()) {
            seconds = value.asLong();
        } else if (value.isTextual() && value.asText().matches("\\d{1,12}")) {
            seconds = Long.parseLong(value.asText());
        } else {
            return null;
        }
        return seconds > 0 ? seconds : null;
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
