package io.keyfleet.sandbox.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.kit.crypto.AlipayCertificates;
import io.keyfleet.sandbox.admin.Scenario;
import io.keyfleet.sandbox.admin.ScenarioKind;
import io.keyfleet.sandbox.app.SandboxApp;
import io.keyfleet.sandbox.app.SandboxApps;
import io.keyfleet.sandbox.cert.SandboxCa;
import io.keyfleet.sandbox.gateway.GatewaySigner.Signing;
import io.keyfleet.sandbox.grant.TokenIssue;
import io.keyfleet.sandbox.support.Rsa;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The v2 gateway, {@code POST /gateway.do}, as DefaultAlipayClient calls it. Only alipay.open.auth.token.app is served.
 * Every answer is HTTP 200 with the result in the body, as the platform's gateway answers; errors carry the gateway's
 * common codes (40001 Missing Required Arguments, 40002 Invalid Arguments, 40005 Call Limited, 20000 Service
 * Currently Unavailable) and the API's sub_codes. Responses are signed with the platform key; errors too.
 */
@Path("/gateway.do")
@Tag(name = "Alipay-style gateway (v2)", description = "alipay.open.auth.token.app over the v2 gateway protocol")
public class GatewayResource {

    static final String METHOD = "alipay.open.auth.token.app";
    static final String NODE = "alipay_open_auth_token_app_response";
    static final String ERROR_NODE = "error_response";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Inject
    SandboxApps apps;

    @Inject
    TokenCalls calls;

    @Inject
    GatewaySigner signer;

    @Inject
    SandboxCa ca;

    @Context
    UriInfo uriInfo;

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "The gateway (alipay.open.auth.token.app)", description = "Common parameters in the query string or the form "
            + "body, biz_content in the form body; RSA2 request signature over the sorted parameters without sign.")
    public Uni<Response> post(byte[] body) {
        return handle(uriInfo.getRequestUri().getRawQuery(), body == null ? "" : new String(body, StandardCharsets.ISO_8859_1));
    }

    @GET
    @Blocking
    @Operation(summary = "The gateway with every parameter in the query string")
    public Uni<Response> get() {
        return handle(uriInfo.getRequestUri().getRawQuery(), "");
    }

    private Uni<Response> handle(String rawQuery, String rawForm) {
        GatewayParams params;
        try {
            // percent-encoded bodies are ASCII; ISO-8859-1 keeps any stray byte as it is for the charset decoding
            params = GatewayParams.parse(rawQuery, rawForm);
        } catch (GatewayParams.UnknownCharset e) {
            return now(error(ERROR_NODE, StandardCharsets.UTF_8, "40002", "Invalid Arguments", "isv.invalid-charset", "字符集错误"));
        }
        Charset charset = params.charset();
        String method = params.get("method");
        if (method == null) {
            return now(error(ERROR_NODE, charset, "40001", "Missing Required Arguments", "isv.missing-method", "缺少方法名参数"));
        }
        if (!METHOD.equals(method)) {
            return now(error(ERROR_NODE, charset, "40002", "Invalid Arguments", "isv.invalid-method", "不存在的方法名"));
        }
        Optional<String> refused = checkCommonParameters(params);
        if (refused.isPresent()) {
            String[] parts = refused.get().split("\\|", 3);
            return now(error(NODE, charset, parts[0], parts[0].equals("40001") ? "Missing Required Arguments" : "Invalid Arguments",
                    parts[1], parts[2]));
        }
        Optional<SandboxApp> app = apps.find(params.get("app_id"));
        if (app.isEmpty()) {
            return now(error(NODE, charset, "40002", "Invalid Arguments", "isv.invalid-app-id", "无效的AppID参数"));
        }
        // certificate mode: the app names its certificate and the root bundle it trusts; answers name the platform's
        String certSn = app.get().certificateMode() ? ca.platformCertSn() : null;
        if (app.get().certificateMode()) {
            Optional<String> certRefused = checkCertificateParameters(params, app.get());
            if (certRefused.isPresent()) {
                String[] parts = certRefused.get().split("\\|", 3);
                calls.log(app.get().appId(), "unknown", parts[1]);
                return now(error(NODE, charset, parts[0], parts[0].equals("40001") ? "Missing Required Arguments" : "Invalid Arguments",
                        parts[1], parts[2], certSn));
            }
        }
        if (!Rsa.verify(params.signContent(), charset, params.get("sign"), app.get().publicKey())) {
            calls.log(app.get().appId(), "unknown", "isv.invalid-signature");
            return now(error(NODE, charset, "40002", "Invalid Arguments", "isv.invalid-signature",
                    "验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配", certSn));
        }
        JsonNode biz;
        try {
            biz = JSON.readTree(params.get("biz_content") == null ? "{}" : params.get("biz_content"));
        } catch (Exception e) {
            biz = null;
        }
        if (biz == null || !biz.isObject()) {
            return now(error(NODE, charset, "40002", "Invalid Arguments", "isv.invalid-parameter", "biz_content不是JSON对象", certSn));
        }
        TokenCalls.Result result = calls.call(app.get(), text(biz, "grant_type"), text(biz, "code"), text(biz, "refresh_token"));
        return answer(result, charset, certSn);
    }

    /** "code|sub_code|sub_msg" when a certificate-mode request does not name the app's certificate and the platform's root. */
    private Optional<String> checkCertificateParameters(GatewayParams params, SandboxApp app) {
        String appCertSn = params.get("app_cert_sn");
        if (appCertSn == null || appCertSn.isBlank()) {
            return Optional.of("40001|isv.missing-app-cert-sn|缺少应用公钥证书序列号");
        }
        if (!appCertSn.equals(AlipayCertificates.certSn(app.appCertificate()))) {
            return Optional.of("40002|isv.invalid-app-cert-sn|无效的应用公钥证书序列号");
        }
        String rootCertSn = params.get("alipay_root_cert_sn");
        if (rootCertSn == null || rootCertSn.isBlank()) {
            return Optional.of("40001|isv.missing-alipay-root-cert-sn|缺少支付宝根证书序列号");
        }
        if (!ca.rootCertSnAccepted(rootCertSn)) {
            return Optional.of("40002|isv.invalid-alipay-root-cert-sn|无效的支付宝根证书序列号");
        }
        return Optional.empty();
    }

    /** "code|sub_code|sub_msg" of the first missing or invalid common parameter. */
    private static Optional<String> checkCommonParameters(GatewayParams params) {
        if (params.get("app_id") == null) {
            return Optional.of("40001|isv.missing-app-id|缺少AppID参数");
        }
        if (params.get("sign") == null) {
            return Optional.of("40001|isv.missing-signature|缺少签名参数");
        }
        if (params.get("sign_type") == null) {
            return Optional.of("40001|isv.missing-signature-type|缺少签名类型参数");
        }
        if (!"RSA2".equals(params.get("sign_type"))) {
            return Optional.of("40002|isv.invalid-signature-type|无效的签名类型参数: 此沙箱只支持RSA2");
        }
        if (params.get("timestamp") == null) {
            return Optional.of("40001|isv.missing-timestamp|缺少时间戳参数");
        }
        try {
            LocalDateTime.parse(params.get("timestamp"), TIMESTAMP);
        } catch (DateTimeParseException e) {
            return Optional.of("40002|isv.invalid-timestamp|非法的时间戳参数: 格式为yyyy-MM-dd HH:mm:ss");
        }
        if (params.get("version") == null) {
            return Optional.of("40001|isv.missing-version|缺少版本参数");
        }
        if (!"1.0".equals(params.get("version"))) {
            return Optional.of("40002|isv.invalid-version|版本号错误");
        }
        if (params.get("format") != null && !"json".equalsIgnoreCase(params.get("format"))) {
            return Optional.of("40002|isv.invalid-format|无效的数据格式参数: 只支持JSON");
        }
        return Optional.empty();
    }

    private Uni<Response> answer(TokenCalls.Result result, Charset charset, String certSn) {
        if (result.answeredByScenario()) {
            Scenario scenario = result.scenario().orElseThrow();
            return now(switch (scenario.kind()) {
                case SERVER_ERROR -> serverError(scenario.httpStatusOrDefault());
                case SERVICE_UNAVAILABLE -> error(NODE, charset, "20000", "Service Currently Unavailable", "isp.unknow-error", "服务暂不可用", certSn);
                case RATE_LIMITED -> error(NODE, charset, "40005", "Call Limited", "isv.app-call-limited", "应用调用次数超限，包含调用频率超限", certSn);
                case REFRESH_TOKEN_EXPIRED -> grantError(io.keyfleet.sandbox.grant.GrantError.REFRESH_TOKEN_EXPIRED, charset, Signing.PLATFORM, certSn);
                default -> throw new IllegalStateException("not an unprocessed scenario: " + scenario.kind());
            });
        }
        ScenarioKind kind = result.scenario().map(Scenario::kind).orElse(null);
        Signing signing = kind == ScenarioKind.UNSIGNED ? Signing.NONE : kind == ScenarioKind.BAD_SIGNATURE ? Signing.STRANGER : Signing.PLATFORM;
        Response response = result.issue() != null
                ? ok(signer.v2Body(NODE, success(result.issue()), charset, signing, certSn), charset)
                : grantError(result.error(), charset, signing, certSn);
        if (kind == ScenarioKind.MALFORMED) {
            String text = (String) response.getEntity();
            response = ok(text.substring(0, text.length() / 2), charset);
        }
        if (kind == ScenarioKind.LATENCY || kind == ScenarioKind.TIMEOUT) {
            return Uni.createFrom().item(response).onItem().delayIt().by(Duration.ofMillis(result.scenario().get().delayOrDefault()));
        }
        return now(response);
    }

    static Map<String, Object> success(TokenIssue issue) {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("app_auth_token", issue.appAuthToken());
        token.put("app_refresh_token", issue.appRefreshToken());
        token.put("auth_app_id", issue.authAppId());
        if (!issue.omitExpiry()) {
            token.put("expires_in", issue.expiresIn());
            token.put("re_expires_in", issue.reExpiresIn());
        }
        token.put("user_id", issue.userId());
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("code", "10000");
        inner.put("msg", "Success");
        inner.put("user_id", issue.userId());
        inner.put("auth_app_id", issue.authAppId());
        inner.put("app_auth_token", issue.appAuthToken());
        inner.put("app_refresh_token", issue.appRefreshToken());
        if (!issue.omitExpiry()) {
            inner.put("expires_in", issue.expiresIn());
            inner.put("re_expires_in", issue.reExpiresIn());
        }
        inner.put("tokens", List.of(token));
        return inner;
    }

    private Response grantError(io.keyfleet.sandbox.grant.GrantError error, Charset charset, Signing signing, String certSn) {
        return ok(signer.v2Body(NODE, errorInner("40002", "Invalid Arguments", error.subCode(), error.subMsg()), charset, signing, certSn),
                charset);
    }

    private Response error(String node, Charset charset, String code, String msg, String subCode, String subMsg) {
        return error(node, charset, code, msg, subCode, subMsg, null);
    }

    private Response error(String node, Charset charset, String code, String msg, String subCode, String subMsg, String certSn) {
        return ok(signer.v2Body(node, errorInner(code, msg, subCode, subMsg), charset, Signing.PLATFORM, certSn), charset);
    }

    private static Map<String, Object> errorInner(String code, String msg, String subCode, String subMsg) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("code", code);
        inner.put("msg", msg);
        inner.put("sub_code", subCode);
        inner.put("sub_msg", subMsg);
        return inner;
    }

    private static Response ok(String body, Charset charset) {
        return Response.ok(body, "application/json;charset=" + charset.name().toLowerCase()).build();
    }

    static Response serverError(int status) {
        return Response.status(status).type("text/html;charset=utf-8")
                .entity("<html><head><title>" + status + "</title></head><body><h1>" + status + "</h1><p>upstream unavailable</p></body></html>")
                .build();
    }

    private static Uni<Response> now(Response response) {
        return Uni.createFrom().item(response);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
