package io.keyfleet.sandbox.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.sandbox.admin.Scenario;
import io.keyfleet.sandbox.admin.ScenarioKind;
import io.keyfleet.sandbox.app.SandboxApp;
import io.keyfleet.sandbox.app.SandboxApps;
import io.keyfleet.sandbox.gateway.GatewaySigner.Signing;
import io.keyfleet.sandbox.grant.GrantError;
import io.keyfleet.sandbox.grant.TokenIssue;
import io.keyfleet.sandbox.support.Rsa;
import io.keyfleet.sandbox.support.SandboxConfig;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The v3 form, {@code POST /v3/alipay/open/auth/token/app}, as the v3 SDK (AlipayOpenAuthTokenApi) calls it.
 * Request: JSON body, {@code Authorization: ALIPAY-SHA256withRSA app_id=…,nonce=…,timestamp=…,sign=…} where sign is
 * RSA2 over {@code <auth string>\nPOST\n<path and query>\n<body>\n} (plus {@code <alipay-app-auth-token>\n} when that
 * header is sent). Response: HTTP 200 with the token fields, or 4xx/5xx with {@code {"code":…,"message":…}}; signed
 * with alipay-timestamp, alipay-nonce and alipay-signature over {@code timestamp\nnonce\nbody\n}.
 * Status codes: 400 for argument and business errors, 401 for a missing or wrong signature, 429 for the rate limit,
 * 500 for unknow-error.
 */
@Path("/v3/alipay/open/auth/token/app")
@Tag(name = "Alipay-style gateway (v3)", description = "alipay.open.auth.token.app over the v3 protocol")
public class GatewayV3Resource {

    private static final String SCHEME = "ALIPAY-SHA256withRSA ";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    SandboxApps apps;

    @Inject
    TokenCalls calls;

    @Inject
    GatewaySigner signer;

    @Inject
    SandboxConfig config;

    @Context
    UriInfo uriInfo;

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Exchange an app_auth_code or refresh an app_auth_token (v3)")
    public Uni<Response> post(byte[] body, @HeaderParam("Authorization") String authorization,
                              @HeaderParam("alipay-app-auth-token") String appAuthToken) {
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        if (authorization == null || !authorization.startsWith(SCHEME) || !authorization.contains(",sign=")) {
            return now(error(401, "missing-signature", "缺少签名参数: Authorization: ALIPAY-SHA256withRSA app_id=…,nonce=…,timestamp=…,sign=…", Signing.PLATFORM));
        }
        String credentials = authorization.substring(SCHEME.length());
        int signAt = credentials.lastIndexOf(",sign=");
        String authString = credentials.substring(0, signAt);
        String sign = credentials.substring(signAt + ",sign=".length());
        Map<String, String> auth = new HashMap<>();
        for (String pair : authString.split(",")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                auth.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
            }
        }
        if (auth.get("app_id") == null) {
            return now(error(400, "missing-app-id", "缺少AppID参数", Signing.PLATFORM));
        }
        if (auth.get("nonce") == null || auth.get("timestamp") == null) {
            return now(error(401, "missing-signature", "Authorization缺少nonce或timestamp", Signing.PLATFORM));
        }
        if (!timestampWithinWindow(auth.get("timestamp"))) {
            return now(error(400, "invalid-timestamp", "非法的时间戳参数: 毫秒时间戳, 与网关时间相差不超过" + config.v3TimestampWindow().toMinutes() + "分钟",
                    Signing.PLATFORM));
        }
        Optional<SandboxApp> app = apps.find(auth.get("app_id"));
        if (app.isEmpty()) {
            return now(error(400, "invalid-app-id", "无效的AppID参数", Signing.PLATFORM));
        }
        String path = uriInfo.getRequestUri().getRawPath();
        String query = uriInfo.getRequestUri().getRawQuery();
        String content = authString + "\n" + "POST" + "\n" + path + (query == null ? "" : "?" + query) + "\n" + text + "\n"
                + (appAuthToken == null || appAuthToken.isEmpty() ? "" : appAuthToken + "\n");
        if (!Rsa.verify(content, StandardCharsets.UTF_8, sign, app.get().publicKey())) {
            calls.log(app.get().appId(), "unknown", "invalid-signature");
            return now(error(401, "invalid-signature", "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配", Signing.PLATFORM));
        }
        JsonNode biz;
        try {
            biz = JSON.readTree(text.isBlank() ? "{}" : text);
        } catch (Exception e) {
            biz = null;
        }
        if (biz == null || !biz.isObject()) {
            return now(error(400, "illegal-json", "请求体不是JSON对象", Signing.PLATFORM));
        }
        TokenCalls.Result result = calls.call(app.get(), text(biz, "grant_type"), text(biz, "code"), text(biz, "refresh_token"));
        return answer(result);
    }

    private boolean timestampWithinWindow(String timestamp) {
        try {
            long millis = Long.parseLong(timestamp);
            return Math.abs(System.currentTimeMillis() - millis) <= config.v3TimestampWindow().toMillis();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private Uni<Response> answer(TokenCalls.Result result) {
        if (result.answeredByScenario()) {
            Scenario scenario = result.scenario().orElseThrow();
            return now(switch (scenario.kind()) {
                case SERVER_ERROR -> GatewayResource.serverError(scenario.httpStatusOrDefault());
                case SERVICE_UNAVAILABLE -> error(500, "unknow-error", "服务暂不可用", Signing.PLATFORM);
                case RATE_LIMITED -> error(429, "app-call-limited", "应用调用次数超限，包含调用频率超限", Signing.PLATFORM);
                case REFRESH_TOKEN_EXPIRED -> grantError(GrantError.REFRESH_TOKEN_EXPIRED, Signing.PLATFORM);
                default -> throw new IllegalStateException("not an unprocessed scenario: " + scenario.kind());
            });
        }
        ScenarioKind kind = result.scenario().map(Scenario::kind).orElse(null);
        Signing signing = kind == ScenarioKind.UNSIGNED ? Signing.NONE : kind == ScenarioKind.BAD_SIGNATURE ? Signing.STRANGER : Signing.PLATFORM;
        Response response = result.issue() != null ? signed(200, GatewaySigner.json(success(result.issue())), signing)
                : grantError(result.error(), signing);
        if (kind == ScenarioKind.MALFORMED) {
            String body = (String) response.getEntity();
            response = Response.fromResponse(response).entity(body.substring(0, body.length() / 2)).build();
        }
        if (kind == ScenarioKind.LATENCY || kind == ScenarioKind.TIMEOUT) {
            return Uni.createFrom().item(response).onItem().delayIt().by(Duration.ofMillis(result.scenario().get().delayOrDefault()));
        }
        return now(response);
    }

    private static Map<String, Object> success(TokenIssue issue) {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("app_auth_token", issue.appAuthToken());
        token.put("app_refresh_token", issue.appRefreshToken());
        token.put("auth_app_id", issue.authAppId());
        if (!issue.omitExpiry()) {
            token.put("expires_in", String.valueOf(issue.expiresIn()));
            token.put("re_expires_in", String.valueOf(issue.reExpiresIn()));
        }
        token.put("user_id", issue.userId());
        Map<String, Object> body = new LinkedHashMap<>(token);
        body.put("tokens", List.of(token));
        return body;
    }

    private Response grantError(GrantError error, Signing signing) {
        return error(400, error.v3Code(), error.subMsg(), signing);
    }

    private Response error(int status, String code, String message, Signing signing) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        return signed(status, GatewaySigner.json(body), signing);
    }

    private Response signed(int status, String body, Signing signing) {
        Response.ResponseBuilder response = Response.status(status).type("application/json;charset=utf-8").entity(body)
                .header("alipay-trace-id", UUID.randomUUID().toString().replace("-", ""));
        if (signing != Signing.NONE) {
            String timestamp = String.valueOf(System.currentTimeMillis());
            String nonce = UUID.randomUUID().toString();
            response.header("alipay-timestamp", timestamp).header("alipay-nonce", nonce)
                    .header("alipay-signature", signer.sign(timestamp + "\n" + nonce + "\n" + body + "\n", StandardCharsets.UTF_8, signing));
        }
        return response.build();
    }

    private static Uni<Response> now(Response response) {
        return Uni.createFrom().item(response);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
