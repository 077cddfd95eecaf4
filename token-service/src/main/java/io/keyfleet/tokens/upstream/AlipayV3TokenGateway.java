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
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code alipay.open.auth.token.app} over the v3 API ({@code POST /v3/alipay/open/auth/token/app}, JSON body), as the
 * v3 SDK calls it: the {@code Authorization: ALIPAY-SHA256withRSA app_id=…,nonce=…,timestamp=…,sign=…} header is made by
 * signing-service (scheme alipay-v3, with the tenant's app key). The answer is HTTP 200 with the tokens, or 4xx with
 * {@code {"code","message"}}; either is used only after signing-service has checked its {@code alipay-signature} over
 * {@code alipay-timestamp}, {@code alipay-nonce} and the body (the provider's public key). An unsigned answer is refused
 * (LOST), the v2 gateway's rule; 429 and 5xx are the gateway not answering (RETRYABLE).
 */
@ApplicationScoped
@Typed(AlipayV3TokenGateway.class)
public class AlipayV3TokenGateway implements TokenGateway {

    static final String PATH = "/v3/alipay/open/auth/token/app";
    static final String SCHEME = "alipay-v3";
    /** The codes of AlipayOpenAuthTokenAppErrorResponseModel (HTTP 400) that only a new authorization mends. */
    private static final Set<String> INVALID_GRANT = Set.of("AUTH_CODE_NOT_EXIST", "AUTH_CODE_NOT_VALID", "REFRESH_TOKEN_NOT_EXIST",
            "REFRESH_TOKEN_NOT_VALID", "REFRESH_TOKEN_TIME_OUT", "GRANT_TYPE_INVALID", "AUTH_TOKEN_NOT_FOUND");
    /** The API's and the gateway's codes (HTTP 400, 401) that say our side is set up wrongly. */
    private static final Set<String> CONFIGURATION = Set.of("APP_ID_NOT_CONSISTENT", "APP_NOT_ISV", "invalid-app-id",
            "missing-app-id", "invalid-signature", "missing-signature");

    @Inject
    TokensConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    SigningService signing;

    @Inject
    UpstreamHttp http;

    @Override
    public IssuedTokens exchange(AppRef app, String authCode) {
        return call(app, json.createObjectNode().put("grant_type", "authorization_code").put("code", authCode));
    }

    @Override
    public IssuedTokens refresh(AppRef app, String refreshToken) {
        return call(app, json.createObjectNode().put("grant_type", "refresh_token").put("refresh_token", refreshToken));
    }

    private IssuedTokens call(AppRef app, ObjectNode biz) {
        URI uri = config.providerGatewayUrl().resolve(PATH);
        String body = biz.toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json;charset=utf-8");
        headers.put("Accept", "application/json");
        headers.put("Authorization", signing.signHeader(app, SCHEME, SigningService.httpRequest("POST", uri.getRawPath(), body,
                app.appId()), "Authorization"));
        return read(app, http.post(uri, headers, body, "the provider"));
    }

    private IssuedTokens read(AppRef app, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status != 200 && (status / 100 != 4 || status == 429)) {
            throw new UpstreamFailure(Kind.RETRYABLE, "HTTP_" + status, "token endpoint answered HTTP " + status);
        }
        JsonNode root;
        try {
            root = json.readTree(response.body());
        } catch (IOException e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            throw new UpstreamFailure(Kind.LOST, "MALFORMED_RESPONSE", "the provider's answer (HTTP " + status + ") is not a JSON object");
        }
        Map<String, String> signatureHeaders = new LinkedHashMap<>();
        for (String name : new String[] {"alipay-timestamp", "alipay-nonce", "alipay-signature"}) {
            response.headers().firstValue(name).ifPresent(value -> signatureHeaders.put(name, value));
        }
        if (!signatureHeaders.containsKey("alipay-signature")) {
            throw new UpstreamFailure(Kind.LOST, "UNSIGNED_RESPONSE", "the provider's answer (HTTP " + status + ") is not signed");
        }
        signing.verifyResponse(app, SCHEME, SigningService.answer(response.body(), null, signatureHeaders));

        if (status == 200) {
            return AlipayAnswers.issued(root);
        }
        String code = root.path("code").asText("HTTP_" + status);
        throw AlipayAnswers.refused(code, "provider answered HTTP " + status + " " + code + " " + root.path("message").asText(),
                INVALID_GRANT, CONFIGURATION);
    }
}
