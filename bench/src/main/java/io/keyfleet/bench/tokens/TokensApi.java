package io.keyfleet.bench.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.bench.support.KeyServiceClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The HTTP calls of the tokens benchmark: setting up a tenant's app in key-service and the sandbox, a merchant's
 * consent in the sandbox, and token-service's exchange and GET …/token, as the administrator acting for the tenant.
 */
final class TokensApi {

    /** An answer of GET …/token: its status, the body, and when it arrived (wall clock, millis). */
    record TokenAnswer(int status, String body, long receivedAtMillis) {
    }

    private final HttpClient http;
    private final TokenFleet fleet;
    private final String tenant;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    TokensApi(HttpClient http, TokenFleet fleet, String tenant, Duration timeout) {
        this.http = http;
        this.fleet = fleet;
        this.tenant = tenant;
        this.timeout = timeout;
    }

    /** The tenant, the platform key as the tenant's alipay SANDBOX provider key. */
    void setUpTenant() throws IOException, InterruptedException {
        new KeyServiceClient(http, fleet.keyService.baseUrl(), tenant, fleet.adminApiKey, timeout).createTenant("Tokens bench");
        String platformKey = call("GET", fleet.sandbox.baseUrl().resolve("/sandbox/admin/platform-key"), false, null, 200)
                .get("alipayPublicKey").asText();
        call("PUT", fleet.keyService.baseUrl().resolve("/v1/provider-keys"), true,
                Map.of("provider", "alipay", "environment", "SANDBOX", "publicKey", platformKey), 200);
    }

    /** A new app key in key-service; returns its public key (base64), which the sandbox registers the app with. */
    String createAppKey(String appId) throws IOException, InterruptedException {
        return call("POST", fleet.keyService.baseUrl().resolve("/v1/keys"), true,
                Map.of("provider", "alipay", "appId", appId, "environment", "SANDBOX"), 201).get("publicKeyBase64").asText();
    }

    /** Registers the app with the sandbox or changes its access-token lifetime (expires_in of the tokens it issues next). */
    void registerApp(String appId, String publicKey, long accessLifetimeSeconds) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("publicKey", publicKey);
        body.put("accessTokenLifetimeSeconds", accessLifetimeSeconds);
        call("PUT", fleet.sandbox.baseUrl().resolve("/sandbox/admin/apps/" + appId), false, body, 200);
    }

    /** A merchant authorizes the app: its one-time app_auth_code. */
    String consent(String appId, String userId) throws IOException, InterruptedException {
        return call("POST", fleet.sandbox.baseUrl().resolve("/sandbox/consents"), false, Map.of("appId", appId, "userId", userId), 201)
                .get("appAuthCode").asText();
    }

    /** POST /v1/grants/exchange; returns the grant's id. */
    String exchange(String appId, String code) throws IOException, InterruptedException {
        return call("POST", fleet.tokenService.baseUrl().resolve("/v1/grants/exchange"), true,
                Map.of("provider", "alipay", "appId", appId, "environment", "SANDBOX", "code", code), 201).get("id").asText();
    }

    HttpRequest tokenRequest(String grantId) {
        return HttpRequest.newBuilder(fleet.tokenService.baseUrl().resolve("/v1/grants/" + grantId + "/token")).timeout(timeout)
                .header("Authorization", "Bearer " + fleet.adminApiKey).header(KeyServiceClient.TENANT_HEADER, tenant).GET().build();
    }

    TokenAnswer token(String grantId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(tokenRequest(grantId), HttpResponse.BodyHandlers.ofString());
        return new TokenAnswer(response.statusCode(), response.body(), System.currentTimeMillis());
    }

    JsonNode refreshStats(String appId) throws IOException, InterruptedException {
        return call("GET", fleet.sandbox.baseUrl().resolve("/sandbox/admin/stats/refreshes?appId=" + appId), false, null, 200);
    }

    private JsonNode call(String method, URI uri, boolean asTenantAdmin, Object body, int expectedStatus)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        if (asTenantAdmin) {
            request.header("Authorization", "Bearer " + fleet.adminApiKey).header(KeyServiceClient.TENANT_HEADER, tenant);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expectedStatus) {
            String text = response.body();
            throw new IOException(method + " " + uri.getPath() + " answered " + response.statusCode() + ": "
                    + (text.length() > 300 ? text.substring(0, 300) + "…" : text));
        }
        return response.body().isEmpty() ? json.nullNode() : json.readTree(response.body());
    }
}
