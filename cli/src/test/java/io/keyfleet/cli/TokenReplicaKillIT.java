package io.keyfleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two token-service processes over one database (the suite's, and a second one this test starts with a short
 * scheduler lease); the sandbox answers every token call after 2 s so that refreshes are always under way; the second
 * process is killed with SIGKILL in the middle of them. Its leases run out, the first process takes the grants over, and
 * no grant ends up unusable; no read ever returns an expired token.
 */
class TokenReplicaKillIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GRANTS = 20;
    private static final int ACCESS_LIFETIME_SECONDS = 30;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String adminApiKey;

    @Test
    void killingAReplicaMidRefreshLeavesNoGrantUnusable(@TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS) Path dataDirectory) throws Exception {
        Path root = ProjectLayout.locate().root();
        Suite definition = Suite.builder(root)
                .services(KeyfleetService.PROVIDER_SANDBOX, KeyfleetService.KEY_SERVICE, KeyfleetService.SIGNING_SERVICE,
                        KeyfleetService.TOKEN_SERVICE)
                .anyFreePorts()
                .dataDirectory(dataDirectory)
                .readinessTimeout(Duration.ofSeconds(240))
                .build();
        Process second = null;
        try (RunningSuite suite = definition.start()) {
            adminApiKey = definition.adminApiKey().orElseThrow();
            URI keys = suite.baseUrl(KeyfleetService.KEY_SERVICE);
            URI sandbox = suite.baseUrl(KeyfleetService.PROVIDER_SANDBOX);
            URI tokens = suite.baseUrl(KeyfleetService.TOKEN_SERVICE);

            TokenReplicasIT.SecondReplica replica = TokenReplicasIT.SecondReplica.start(root, suite, adminApiKey,
                    dataDirectory.resolve("token-service-2.log"),
                    Map.of("KEYFLEET_TOKENS_SCHEDULER_LEASE", "PT8S", "KEYFLEET_TOKENS_UPSTREAM_TIMEOUT", "PT4S"));
            second = replica.process();
            replica.awaitReady(http);
            URI tokens2 = replica.baseUrl();

            String tenant = "kill-" + UUID.randomUUID().toString().substring(0, 8);
            String appId = "20210000" + (10_000_000 + new Random().nextInt(89_999_999));
            send("POST", keys.resolve("/v1/tenants"), null, "{\"id\":\"" + tenant + "\",\"name\":\"Kill\"}", 201);
            JsonNode key = send("POST", keys.resolve("/v1/keys"), tenant,
                    "{\"provider\":\"alipay\",\"appId\":\"" + appId + "\",\"environment\":\"SANDBOX\"}", 201);
            String platformKey = send("GET", sandbox.resolve("/sandbox/admin/platform-key"), null, null, 200).get("alipayPublicKey").asText();
            send("PUT", keys.resolve("/v1/provider-keys"), tenant,
                    "{\"provider\":\"alipay\",\"environment\":\"SANDBOX\",\"publicKey\":\"" + platformKey + "\"}", 200);
            send("PUT", sandbox.resolve("/sandbox/admin/apps/" + appId), null, "{\"publicKey\":\"" + key.get("publicKeyBase64").asText()
                    + "\",\"accessTokenLifetimeSeconds\":" + ACCESS_LIFETIME_SECONDS + ",\"refreshTokenLifetimeSeconds\":900}", 200);

            List<String> grantIds = new ArrayList<>();
            for (int i = 0; i < GRANTS; i++) {
                String code = send("POST", sandbox.resolve("/sandbox/consents"), null, "{\"appId\":\"" + appId + "\"}", 201)
                        .get("appAuthCode").asText();
                grantIds.add(send("POST", (i % 2 == 0 ? tokens : tokens2).resolve("/v1/grants/exchange"), tenant,
                        "{\"provider\":\"alipay\",\"appId\":\"" + appId + "\",\"environment\":\"SANDBOX\",\"code\":\"" + code + "\"}", 201)
                        .get("id").asText());
            }
            send("POST", sandbox.resolve("/sandbox/admin/scenarios"), null,
                    "{\"kind\":\"LATENCY\",\"appId\":\"" + appId + "\",\"delayMillis\":2000}", 201);

            // run until refreshes are under way everywhere, then kill -9 the second replica
            Instant killAt = Instant.now().plusSeconds(ACCESS_LIFETIME_SECONDS);
            Instant until = killAt.plusSeconds(2L * ACCESS_LIFETIME_SECONDS);
            int reads = 0;
            int refusedReads = 0;
            boolean killed = false;
            while (Instant.now().isBefore(until)) {
                if (!killed && Instant.now().isAfter(killAt)) {
                    second.destroyForcibly(); // SIGKILL
                    assertTrue(second.waitFor(10, TimeUnit.SECONDS));
                    killed = true;
                }
                for (String id : grantIds) {
                    HttpResponse<String> response = call("GET", tokens.resolve("/v1/grants/" + id + "/token"), tenant, null);
                    Instant received = Instant.now();
                    reads++;
                    if (response.statusCode() == 200) {
                        Instant expiresAt = Instant.parse(JSON.readTree(response.body()).get("expiresAt").asText());
                        assertTrue(expiresAt.isAfter(received), "grant " + id + " handed out an expired token");
                    } else {
                        assertEquals(409, response.statusCode(), response.body());
                        refusedReads++;
                    }
                }
                Thread.sleep(500);
            }

            int minVersion = Integer.MAX_VALUE;
            for (String id : grantIds) {
                JsonNode grant = send("GET", tokens.resolve("/v1/grants/" + id), tenant, null, 200);
                assertEquals("ACTIVE", grant.get("status").asText(), grant.toString());
                minVersion = Math.min(minVersion, grant.get("tokenVersion").asInt());
                send("GET", tokens.resolve("/v1/grants/" + id + "/token"), tenant, null, 200);
            }
            JsonNode stats = send("GET", sandbox.resolve("/sandbox/admin/stats/refreshes?appId=" + appId), null, null, 200);
            System.out.printf("TokenReplicaKillIT: %d reads (%d refused with 409), lowest token version %d, sandbox %s%n",
                    reads, refusedReads, minVersion, stats);
            assertTrue(minVersion >= 4, "every grant kept being refreshed after the kill: lowest version " + minVersion);
            assertEquals(0, refusedReads, "no read was refused");
        } finally {
            if (second != null && second.isAlive()) {
                second.destroyForcibly();
            }
        }
    }

    private HttpResponse<String> call(String method, URI uri, String tenant, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + adminApiKey)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (tenant != null) {
            request.header("X-Keyfleet-Tenant", tenant);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode send(String method, URI uri, String tenant, String body, int expectedStatus) throws Exception {
        HttpResponse<String> response = call(method, uri, tenant, body);
        assertEquals(expectedStatus, response.statusCode(), method + " " + uri + " answered " + response.body());
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }
}
