package io.keyfleet.tokens.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keyfleet.tokens.support.TokensConfig;
import io.keyfleet.tokens.upstream.UpstreamFailure.Kind;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code alipay.open.auth.token.app} over the v2 gateway ({@code POST /gateway.do}): the request parameters are signed
 * by signing-service (scheme alipay-rsa2, with the tenant's app key), the answer's {@code sign} is checked by
 * signing-service (the provider's public key) before anything in it is used. Every answer is HTTP 200; another status
 * is the gateway not answering (RETRYABLE).
 */
@ApplicationScoped
@Typed(AlipayV2TokenGateway.class)
public class AlipayV2TokenGateway implements TokenGateway {

    static final String METHOD = "alipay.open.auth.token.app";
    static final String SCHEME = "alipay-rsa2";
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");
    /** sub_codes of the answer's response node (under code 40002). */
    private static final Set<String> INVALID_GRANT = Set.of("isv.code-invalid", "isv.refresh-token-invalid",
            "isv.refresh-token-time-out", "isv.grant-type-invalid");
    private static final Set<String> CONFIGURATION = Set.of("isv.invalid-app-id", "isv.invalid-signature",
            "isv.unmatched-app-id", "isv.invalid-signature-type", "isv.missing-signature");

    @Inject
    TokensConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    SigningService signing;

    @Inject
    UpstreamHttp http;

    Clock clock = Clock.systemUTC();

    @Override
    public IssuedTokens exchange(AppRef app, String authCode) {
        return call(app, json.createObjectNode().put("grant_type", "authorization_code").put("code", authCode));
    }

    @Override
    public IssuedTokens refresh(AppRef app, String refreshToken) {
        return call(app, json.createObjectNode().put("grant_type", "refresh_token").put("refresh_token", refreshToken));
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
        params.put("sign", signing.signParam(app, SCHEME, SigningService.params(new LinkedHashMap<>(params)), "sign"));

        HttpResponse<String> response = http.post(config.providerGatewayUrl().resolve("/gateway.do"),
                Map.of("Content-Type", "application/x-www-form-urlencoded;charset=utf-8"), form(params), "the provider");
        if (response.statusCode() != 200) {
            throw new UpstreamFailure(Kind.RETRYABLE, "HTTP_" + response.statusCode(),
                    "token endpoint answered HTTP " + response.statusCode());
        }
        return read(app, response.body());
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
        signing.verifyResponse(app, SCHEME, SigningService.answer(body, METHOD, null));

        String code = node.path("code").asText();
        if ("10000".equals(code)) {
            return AlipayAnswers.issued(node);
        }
        String subCode = node.path("sub_code").asText(code);
        throw AlipayAnswers.refused(subCode, "provider answered " + code + " " + node.path("msg").asText() + " / " + subCode,
                INVALID_GRANT, CONFIGURATION);
    }

    private static String form(Map<String, String> params) {
        return params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
