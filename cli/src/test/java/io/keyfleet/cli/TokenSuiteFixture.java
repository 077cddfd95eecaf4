package io.keyfleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.UUID;

/**
 * What the token suite ITs share: the suite they run (sandbox, key-service, signing-service, token-service with
 * authentication on), tenants that trust the sandbox's platform key, apps whose key pair key-service holds and the
 * sandbox knows with chosen token lifetimes, consents and code exchanges, and HTTP calls as the suite's administrator.
 */
final class TokenSuiteFixture {

    static final ObjectMapper JSON = new ObjectMapper();

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final String adminApiKey;
    final URI keys;
    final URI sandbox;
    final URI tokens;

    TokenSuiteFixture(Suite definition, RunningSuite suite) {
        this.adminApiKey = definition.adminApiKey().orElseThrow();
        this.keys = suite.baseUrl(KeyfleetService.KEY_SERVICE);
        this.sandbox = suite.baseUrl(KeyfleetService.PROVIDER_SANDBOX);
        this.tokens = suite.baseUrl(KeyfleetService.TOKEN_SERVICE);
    }

    static Suite suite(Path root, Path dataDirectory) {
        return Suite.builder(root)
                .services(KeyfleetService.PROVIDER_SANDBOX, KeyfleetService.KEY_SERVICE, KeyfleetService.SIGNING_SERVICE,
                        KeyfleetService.TOKEN_SERVICE)
                .anyFreePorts()
                .dataDirectory(dataDirectory)
                .readinessTimeout(Duration.ofSeconds(240))
                .build();
    }

    /** A new tenant (its id starts with the prefix) whose key-service trusts the sandbox's Alipay platform key. */
    String tenantTrustingTheSandbox(String idPrefix, String name) throws Exception {
        String tenant = idPrefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        send("POST", keys.resolve("/v1/tenants"), null, "{\"id\":\"" + tenant + "\",\"name\":\"" + name + "\"}", 201);
        String platformKey = send("GET", sandbox.resolve("/sandbox/admin/platform-key"), null, null, 200).get("alipayPublicKey").asText();
        send("PUT", keys.resolve("/v1/provider-keys"), tenant,
                "{\"provider\":\"alipay\",\"environment\":\"SANDBOX\",\"publicKey\":\"" + platformKey + "\"}", 200);
        return tenant;
    }

    /** A new sandbox app of the tenant: its key pair made in key-service, its public key and token lifetimes given to the sandbox. */
    String sandboxApp(String tenant, int accessTokenLifetimeSeconds, int refreshTokenLifetimeSeconds) throws Exception {
        String appId = "20210000" + (10_000_000 + new Random().nextInt(89_999_999));
        JsonNode key = send("POST", keys.resolve("/v1/keys"), tenant,
                "{\"provider\":\"alipay\",\"appId\":\"" + appId + "\",\"environment\":\"SANDBOX\"}", 201);
        send("PUT", sandbox.resolve("/sandbox/admin/apps/" + appId), null, "{\"publicKey\":\"" + key.get("publicKeyBase64").asText()
                + "\",\"accessTokenLifetimeSeconds\":" + accessTokenLifetimeSeconds
                + ",\"refreshTokenLifetimeSeconds\":" + refreshTokenLifetimeSeconds + "}", 200);
        return appId;
    }

    /** A one-time code from the sandbox's consent endpoint. */
    String consentCode(String appId) throws Exception {
        return send("POST", sandbox.resolve("/sandbox/consents"), null, "{\"appId\":\"" + appId + "\"}", 201).get("appAuthCode").asText();
    }

    JsonNode exchange(URI tokenService, String tenant, String appId, String code, int expectedStatus) throws Exception {
        return send("POST", tokenService.resolve("/v1/grants/exchange"), tenant, "{\"provider\":\"alipay\",\"appId\":\""
                + appId + "\",\"environment\":\"SANDBOX\",\"code\":\"" + code + "\"}", expectedStatus);
    }

    /** A new grant: a consent's code exchanged at the given token-service; its id. */
    String newGrant(URI tokenService, String tenant, String appId) throws Exception {
        return exchange(tokenService, tenant, appId, consentCode(appId), 201).get("id").asText();
    }

    JsonNode grant(String tenant, String grantId) throws Exception {
        return send("GET", tokens.resolve("/v1/grants/" + grantId), tenant, null, 200);
    }

    /** The grant's token from the suite's token-service, which must hand one out. */
    JsonNode token(String tenant, String grantId) throws Exception {
        return send("GET", tokens.resolve("/v1/grants/" + grantId + "/token"), tenant, null, 200);
    }

    HttpResponse<String> readToken(URI tokenService, String tenant, String grantId) throws Exception {
        return call("GET", tokenService.resolve("/v1/grants/" + grantId + "/token"), tenant, null);
    }

    void startScenario(String scenario) throws Exception {
        send("POST", sandbox.resolve("/sandbox/admin/scenarios"), null, scenario, 201);
    }

    JsonNode refreshStats(String appId) throws Exception {
        return send("GET", sandbox.resolve("/sandbox/admin/stats/refreshes?appId=" + appId), null, null, 200);
    }

    HttpResponse<String> call(String method, URI uri, String tenant, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + adminApiKey)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (tenant != null) {
            request.header("X-Keyfleet-Tenant", tenant);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode send(String method, URI uri, String tenant, String body, int expectedStatus) throws Exception {
        HttpResponse<String> response = call(method, uri, tenant, body);
        assertEquals(expectedStatus, response.statusCode(), method + " " + uri + " answered " + response.body());
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }
}
