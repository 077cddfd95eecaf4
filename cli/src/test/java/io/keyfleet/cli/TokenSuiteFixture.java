package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * What the token suite ITs share: the suite they run (sandbox, key-service, signing-service, token-service with
 * authentication on), tenants that trust the sandbox's platform key, apps whose key pair key-service holds and the
 * sandbox knows with chosen token lifetimes, consents and code exchanges, and HTTP calls as the suite's administrator.
 */
final class TokenSuiteFixture {

    static final ObjectMapper JSON = new ObjectMapper();
    /** token-service hands a token out only with more than this left (keyfleet.tokens.min-remaining, 1 s by default). */
    static final Duration MIN_REMAINING = Duration.ofSeconds(1);

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final String adminApiKey;
    final URI keys;
    final URI sandbox;
    final URI tokens;
    private final RunningSuite suite;

    TokenSuiteFixture(Suite definition, RunningSuite suite) {
        this.adminApiKey = definition.adminApiKey().orElseThrow();
        this.keys = suite.baseUrl(KeyfleetService.KEY_SERVICE);
        this.sandbox = suite.baseUrl(KeyfleetService.PROVIDER_SANDBOX);
        this.tokens = suite.baseUrl(KeyfleetService.TOKEN_SERVICE);
        this.suite = suite;
    }

    static Suite suite(Path root, Path dataDirectory) {
        return Suite.builder(root)
                .services(KeyfleetService.PROVIDER_SANDBOX, KeyfleetService.KEY_SERVICE, KeyfleetService.SIGNING_SERVICE,
                        KeyfleetService.TOKEN_SERVICE)
                .anyFreePorts()
                .dataDirectory(dataDirectory)
                .readinessTimeout(Duration.ofSeconds(300))
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
        return exchange(tokenService, tenant, appId, code, null, expectedStatus);
    }

    /** An exchange through the provider gateway {@code gatewayVersion} names (V2, V3; null: token-service's default). */
    JsonNode exchange(URI tokenService, String tenant, String appId, String code, String gatewayVersion, int expectedStatus)
            throws Exception {
        return send("POST", tokenService.resolve("/v1/grants/exchange"), tenant, "{\"provider\":\"alipay\",\"appId\":\""
                + appId + "\",\"environment\":\"SANDBOX\",\"code\":\"" + code + "\""
                + (gatewayVersion == null ? "" : ",\"gatewayVersion\":\"" + gatewayVersion + "\"") + "}", expectedStatus);
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

    /**
     * Whether a token answer ({@code GET .../token}, 200) was fresh when token-service handed it out, which was after
     * {@code askedAt}: more than {@link #MIN_REMAINING} left then. Measured from the moment it was asked for, not from when
     * the answer arrived, so a slow answer on a loaded machine does not pass for an expired token.
     */
    static boolean freshWhenHandedOut(String tokenBody, Instant askedAt) throws Exception {
        return Instant.parse(JSON.readTree(tokenBody).get("expiresAt").asText()).isAfter(askedAt.plus(MIN_REMAINING));
    }

    /** The lowest token version among the grants (1 when never refreshed). */
    int lowestTokenVersion(String tenant, List<String> grantIds) throws Exception {
        int lowest = Integer.MAX_VALUE;
        for (String id : grantIds) {
            lowest = Math.min(lowest, grant(tenant, id).get("tokenVersion").asInt());
        }
        return lowest;
    }

    /** token-service's database, as its replicas share it: to see who holds which lease and how far the grants are. */
    Connection tokenDatabase() throws SQLException {
        return DriverManager.getConnection(suite.jdbcUrl(KeyfleetService.TOKEN_SERVICE), suite.databaseUser(), suite.databasePassword());
    }

    /** The replicas (lease owners) holding a lease on a grant right now, i.e. refreshing it or about to. */
    static Set<String> leaseOwners(Connection tokenDatabase) throws SQLException {
        Set<String> owners = new HashSet<>();
        try (Statement query = tokenDatabase.createStatement();
             ResultSet rows = query.executeQuery("select distinct lease_owner from token_grant where lease_owner is not null")) {
            while (rows.next()) {
                owners.add(rows.getString(1));
            }
        }
        return owners;
    }

    /** The lowest token version (generation) of the tenant's active grants, from the database: cheap for many grants. */
    static int lowestGeneration(Connection tokenDatabase, String tenant) throws SQLException {
        try (PreparedStatement query = tokenDatabase.prepareStatement(
                "select coalesce(min(generation), 0) from token_grant where tenant_id = ? and status = 'ACTIVE'")) {
            query.setString(1, tenant);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
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
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        SuiteLogSecrets.harvest(body);
        SuiteLogSecrets.harvest(response.body());
        return response;
    }

    JsonNode send(String method, URI uri, String tenant, String body, int expectedStatus) throws Exception {
        HttpResponse<String> response = call(method, uri, tenant, body);
        assertEquals(expectedStatus, response.statusCode(), method + " " + uri + " answered " + response.body());
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }
}
