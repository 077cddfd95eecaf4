package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resource pools end to end, every part real: sync-service (authentication on, its service credential) keeps the
 * pool's API secret in key-service and syncs the catalog of provider-sandbox's resource-pool API over signed HTTP.
 * A change of the secret made in key-service reaches sync-service through the real Kafka event and the pool is
 * checked again.
 */
@ExtendWith(SuiteLogSecrets.class)
class PoolSyncSuiteIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String SECRET = "suite-pool-secret-0123456789";

    @TempDir
    static Path dataDirectory;

    private static RunningSuite suite;
    private static String admin;

    @BeforeAll
    static void startTheSuite() {
        Suite definition = Suite.builder(ProjectLayout.locate().root())
                .services(KeyfleetService.KEY_SERVICE, KeyfleetService.SYNC_SERVICE, KeyfleetService.PROVIDER_SANDBOX)
                .anyFreePorts()
                .dataDirectory(dataDirectory)
                .readinessTimeout(Duration.ofSeconds(300))
                .build();
        suite = SuiteLogSecrets.watch(definition, definition.start());
        SuiteLogSecrets.remember("the pool's API secret", SECRET);
        admin = definition.adminApiKey().orElseThrow();
    }

    @AfterAll
    static void stopTheSuite() {
        if (suite != null) {
            suite.stop();
        }
    }

    @Test
    void aFullSyncThenAnUpstreamChangeThenASecondSyncThatAppliesExactlyTheDifference() throws Exception {
        String tenant = "p-" + UUID.randomUUID().toString().substring(0, 8);
        call("POST", keys("/v1/tenants"), tenant, "{\"id\":\"" + tenant + "\",\"name\":\"Pools " + tenant + "\"}", false).expect(201);
        String member = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        // 12 zones + 24 OS + 5 × 2,000 lines
        call("PUT", sandbox("/sandbox/admin/pools/" + member), null, "{\"apiSecret\":\"" + SECRET + "\",\"authorizedIps\":[\"127.0.0.1\",\"::1\"],"
                + "\"currency\":\"USD\",\"catalogSize\":10036,\"seed\":11}", false).expect(200);

        JsonNode created = call("POST", sync("/v1/pools"), tenant, "{\"providerName\":\"Sandbox cloud\",\"type\":\"cloud\",\"memberId\":\""
                + member + "\",\"apiBaseUrl\":\"" + suite.baseUrl(KeyfleetService.PROVIDER_SANDBOX) + "\",\"apiSecret\":\"" + SECRET
                + "\",\"authorizedIps\":[\"127.0.0.1\"],\"exchangeRate\":\"7.2\",\"priceProtection\":true}", true).expect(201).body();
        assertEquals("HEALTHY", created.at("/pool/health").asText(), created.toString());
        String poolId = created.at("/pool/id").asText();
        assertFalse(Files.readString(suite.logFile(KeyfleetService.SYNC_SERVICE)).contains(SECRET), "the secret never reaches the log");

        JsonNode first = runToEnd(tenant, poolId, "{}");
        assertEquals("SUCCEEDED", first.get("status").asText(), first.toString());
        assertEquals(List.of(2_000, 2_000, 0, 0), counts(first, "cloud-server-lines"));
        assertEquals(List.of(12, 12, 0, 0), counts(first, "zones"));

        JsonNode unchanged = runToEnd(tenant, poolId, "{}");
        assertEquals(List.of(2_000, 0, 0, 0), counts(unchanged, "cloud-server-lines"));
        assertEquals(List.of(24, 0, 0, 0), counts(unchanged, "operating-systems"));

        call("POST", sandbox("/sandbox/admin/pools/" + member + "/changes"), null,
                "{\"type\":\"cloud-server-lines\",\"added\":4,\"changed\":6,\"removed\":3}", false).expect(200);
        JsonNode second = runToEnd(tenant, poolId, "{\"items\":[\"cloud-server-lines\"]}");
        assertEquals(List.of(2_001, 4, 6, 3), counts(second, "cloud-server-lines"));
        JsonNode removed = call("GET", sync("/v1/pools/" + poolId + "/catalog?item=cloud-server-lines&removed=true&size=20"), tenant, null, true)
                .expect(200).body();
        int removedShown = 0;
        for (JsonNode entry : removed.get("entries")) {
            removedShown += entry.get("removed").asBoolean() ? 1 : 0;
        }
        assertEquals(3, removedShown, removed.toString());
    }

    @Test
    void rateLimitsAndServerErrorsUpstreamStillEndWithTheRightCounts() throws Exception {
        UpstreamPool upstream = registerPool(2536);
        String tenant = upstream.tenant();
        String member = upstream.member();
        String poolId = upstream.poolId();
        call("POST", sandbox("/sandbox/admin/scenarios"), null, "{\"kind\":\"RATE_LIMITED\",\"appId\":\"" + member + "\",\"count\":1,\"durationSeconds\":2}", false).expect(201);
        call("POST", sandbox("/sandbox/admin/scenarios"), null, "{\"kind\":\"SERVER_ERROR\",\"appId\":\"" + member + "\",\"count\":2}", false).expect(201);
        call("POST", sandbox("/sandbox/admin/scenarios"), null, "{\"kind\":\"MALFORMED\",\"appId\":\"" + member + "\",\"count\":1}", false).expect(201);
        JsonNode job = runToEnd(tenant, poolId, "{}");
        assertEquals("SUCCEEDED", job.get("status").asText(), job.toString());
        assertEquals(List.of(500, 500, 0, 0), counts(job, "bare-metal-disk-models"));
    }

    @Test
    void aSecretChangedInKeyServiceIsCheckedAgainThroughTheKafkaEvent() throws Exception {
        UpstreamPool upstream = registerPool(100);
        String tenant = upstream.tenant();
        String member = upstream.member();
        String poolId = upstream.poolId();
        URI secretInKeyService = keys("/internal/v1/secrets/pools/" + poolId);

        // rotated in key-service to a secret the platform does not know
        call("PUT", secretInKeyService, tenant, "{\"version\":2,\"secret\":\"not-what-upstream-knows-0123\"}", true).expect(204);
        JsonNode refused = awaitPool(tenant, poolId, pool -> pool.get("secretVersion").asInt() == 2 && pool.get("health").asText().equals("AUTH_FAILED"));
        assertTrue(refused.get("healthMessage").asText().length() > 10, refused.toString());

        // the platform's secret changes too, and key-service gets the same one: healthy again without touching sync-service
        String rotated = "suite-pool-secret-rotated-987654";
        call("PUT", sandbox("/sandbox/admin/pools/" + member), null, "{\"apiSecret\":\"" + rotated + "\",\"catalogSize\":100}", false).expect(200);
        call("PUT", secretInKeyService, tenant, "{\"version\":3,\"secret\":\"" + rotated + "\"}", true).expect(204);
        awaitPool(tenant, poolId, pool -> pool.get("secretVersion").asInt() == 3 && pool.get("health").asText().equals("HEALTHY"));

        // destroying an old version changes nothing; destroying the one in use shows the secret is gone
        call("DELETE", keys("/internal/v1/secrets/pools/" + poolId + "?version=1"), tenant, null, true).expect(204);
        call("DELETE", keys("/internal/v1/secrets/pools/" + poolId + "?version=3"), tenant, null, true).expect(204);
        awaitPool(tenant, poolId, pool -> pool.get("health").asText().equals("SECRET_MISSING"));

        String log = Files.readString(suite.logFile(KeyfleetService.SYNC_SERVICE));
        assertFalse(log.contains(rotated) || log.contains("not-what-upstream-knows"), "secrets never reach the log");
    }

    /**
     * Issue 15: ./keyfleet up allows sync-service exactly the sandbox's port on loopback; a pool pointed at another
     * local service (key-service) is refused with a code, not probed.
     */
    @Test
    void aPoolPointedAtAnotherLocalServiceIsRefusedNotProbed() throws Exception {
        String tenant = "p-" + UUID.randomUUID().toString().substring(0, 8);
        call("POST", keys("/v1/tenants"), tenant, "{\"id\":\"" + tenant + "\",\"name\":\"Pools " + tenant + "\"}", false).expect(201);
        int keyService = suite.port(KeyfleetService.KEY_SERVICE);
        for (String url : List.of("http://localhost:" + keyService, "http://127.0.0.1:" + keyService, "http://[::1]:" + keyService)) {
            String definition = "{\"providerName\":\"Internal\",\"type\":\"cloud\",\"memberId\":\"m1\",\"apiBaseUrl\":\"" + url
                    + "\",\"apiSecret\":\"" + SECRET + "\"}";
            for (URI target : List.of(sync("/v1/pools/check"), sync("/v1/pools"))) {
                Answer refused = call("POST", target, tenant, definition, true).expect(400);
                assertEquals("OUTBOUND_ADDRESS_REFUSED", refused.body().get("code").asText(), refused.text());
                assertFalse(refused.text().contains("reachable"), refused.text());
            }
        }
    }

    private record UpstreamPool(String tenant, String member, String poolId) {
    }

    /** A new tenant, an upstream account with that many catalog items, and a pool for it in sync-service. */
    private static UpstreamPool registerPool(int catalogSize) throws Exception {
        String tenant = "p-" + UUID.randomUUID().toString().substring(0, 8);
        call("POST", keys("/v1/tenants"), tenant, "{\"id\":\"" + tenant + "\",\"name\":\"Pools " + tenant + "\"}", false).expect(201);
        String member = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        call("PUT", sandbox("/sandbox/admin/pools/" + member), null, "{\"apiSecret\":\"" + SECRET + "\",\"catalogSize\":" + catalogSize + "}", false)
                .expect(200);
        String poolId = call("POST", sync("/v1/pools"), tenant, "{\"providerName\":\"Sandbox\",\"type\":\"cloud\",\"memberId\":\"" + member
                + "\",\"apiBaseUrl\":\"" + suite.baseUrl(KeyfleetService.PROVIDER_SANDBOX) + "\",\"apiSecret\":\"" + SECRET + "\"}", true)
                .expect(201).body().at("/pool/id").asText();
        return new UpstreamPool(tenant, member, poolId);
    }

    private static JsonNode awaitPool(String tenant, String poolId, java.util.function.Predicate<JsonNode> until) {
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            last.set(call("GET", sync("/v1/pools/" + poolId), tenant, null, true).expect(200).body());
            assertTrue(until.test(last.get()), "the pool did not reach the expected state: " + last.get());
        });
        return last.get();
    }

    private static JsonNode runToEnd(String tenant, String poolId, String body) throws Exception {
        String jobId = call("POST", sync("/v1/pools/" + poolId + "/sync-jobs"), tenant, body, true).expect(202).body().get("id").asText();
        AtomicReference<JsonNode> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            last.set(call("GET", sync("/v1/pools/" + poolId + "/sync-jobs/" + jobId), tenant, null, true).expect(200).body());
            String status = last.get().get("status").asText();
            assertTrue(!status.equals("QUEUED") && !status.equals("RUNNING"), "job did not end: " + last.get());
        });
        return last.get();
    }

    private static List<Integer> counts(JsonNode job, String item) {
        for (JsonNode progress : job.get("items")) {
            if (progress.get("item").asText().equals(item)) {
                return List.of(progress.get("seen").asInt(), progress.get("created").asInt(), progress.get("updated").asInt(),
                        progress.get("removed").asInt());
            }
        }
        throw new AssertionError("no item " + item + " in " + job);
    }

    private static URI keys(String path) {
        return suite.baseUrl(KeyfleetService.KEY_SERVICE).resolve(path);
    }

    private static URI sync(String path) {
        return suite.baseUrl(KeyfleetService.SYNC_SERVICE).resolve(path);
    }

    private static URI sandbox(String path) {
        return suite.baseUrl(KeyfleetService.PROVIDER_SANDBOX).resolve(path);
    }

    private record Answer(int status, JsonNode body, String text) {
        Answer expect(int expected) {
            assertEquals(expected, status, text);
            return this;
        }
    }

    private static Answer call(String method, URI uri, String tenant, String body, boolean asAdmin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (asAdmin || uri.getPort() == suite.port(KeyfleetService.KEY_SERVICE)) {
            request.header("Authorization", "Bearer " + admin);
        }
        if (tenant != null && !uri.getPath().equals("/v1/tenants")) {
            request.header("X-Keyfleet-Tenant", tenant);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        SuiteLogSecrets.harvest(body);
        SuiteLogSecrets.harvest(response.body());
        JsonNode json = response.body().isBlank() ? null : safeJson(response.body());
        return new Answer(response.statusCode(), json, method + " " + uri + " → " + response.statusCode() + " " + response.body());
    }

    private static JsonNode safeJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            return null;
        }
    }
}
