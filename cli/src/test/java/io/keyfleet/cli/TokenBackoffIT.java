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
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox answers every token call with HTTP 502 for a minute: token-service's refresh calls against it thin out
 * (exponential backoff with jitter, and readers do not add calls), and afterwards every grant is refreshed again —
 * nothing lost, nobody asked to re-authorize.
 */
class TokenBackoffIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GRANTS = 10;
    private static final int ACCESS_LIFETIME_SECONDS = 6;
    private static final int OUTAGE_SECONDS = 60;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String adminApiKey;

    @Test
    void aMinuteOf5xxThinsTheCallsOutAndTheGrantsRecover(@TempDir Path dataDirectory) throws Exception {
        Suite definition = Suite.builder(ProjectLayout.locate().root())
                .services(KeyfleetService.PROVIDER_SANDBOX, KeyfleetService.KEY_SERVICE, KeyfleetService.SIGNING_SERVICE,
                        KeyfleetService.TOKEN_SERVICE)
                .anyFreePorts()
                .dataDirectory(dataDirectory)
                .readinessTimeout(Duration.ofSeconds(240))
                .build();
        try (RunningSuite suite = definition.start()) {
            adminApiKey = definition.adminApiKey().orElseThrow();
            URI keys = suite.baseUrl(KeyfleetService.KEY_SERVICE);
            URI sandbox = suite.baseUrl(KeyfleetService.PROVIDER_SANDBOX);
            URI tokens = suite.baseUrl(KeyfleetService.TOKEN_SERVICE);
            String tenant = "backoff-" + UUID.randomUUID().toString().substring(0, 8);
            String appId = "20210000" + (10_000_000 + new Random().nextInt(89_999_999));

            send("POST", keys.resolve("/v1/tenants"), null, "{\"id\":\"" + tenant + "\",\"name\":\"Backoff\"}", 201);
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
                grantIds.add(send("POST", tokens.resolve("/v1/grants/exchange"), tenant, "{\"provider\":\"alipay\",\"appId\":\""
                        + appId + "\",\"environment\":\"SANDBOX\",\"code\":\"" + code + "\"}", 201).get("id").asText());
            }
            Thread.sleep(2000L * ACCESS_LIFETIME_SECONDS);

            Instant outageStart = Instant.now();
            send("POST", sandbox.resolve("/sandbox/admin/scenarios"), null, "{\"kind\":\"SERVER_ERROR\",\"appId\":\"" + appId
                    + "\",\"httpStatus\":502,\"durationSeconds\":" + OUTAGE_SECONDS + "}", 201);
            Instant outageEnd = outageStart.plusSeconds(OUTAGE_SECONDS);
            int expiredReads = 0;
            while (Instant.now().isBefore(outageEnd)) {
                for (String id : grantIds) {
                    HttpResponse<String> token = call("GET", tokens.resolve("/v1/grants/" + id + "/token"), tenant, null);
                    if (token.statusCode() == 200) {
                        assertTrue(Instant.parse(JSON.readTree(token.body()).get("expiresAt").asText()).isAfter(Instant.now()));
                    } else {
                        assertEquals(409, token.statusCode(), token.body());
                        expiredReads++;
                    }
                }
                Thread.sleep(500);
            }
            long early = failedCalls(sandbox, appId, outageStart, outageStart.plusSeconds(15));
            long late = failedCalls(sandbox, appId, outageStart.plusSeconds(30), outageEnd);

            // after the outage every grant is refreshed again (the longest backoff step reached is < 80 s)
            Instant deadline = Instant.now().plusSeconds(120);
            List<String> notRecovered = new ArrayList<>(grantIds);
            while (!notRecovered.isEmpty() && Instant.now().isBefore(deadline)) {
                notRecovered.removeIf(id -> {
                    try {
                        JsonNode grant = send("GET", tokens.resolve("/v1/grants/" + id), tenant, null, 200);
                        return "ACTIVE".equals(grant.get("status").asText()) && grant.get("failedAttempts").asInt() == 0
                                && call("GET", tokens.resolve("/v1/grants/" + id + "/token"), tenant, null).statusCode() == 200;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(1000);
            }
            JsonNode stats = send("GET", sandbox.resolve("/sandbox/admin/stats/refreshes?appId=" + appId), null, null, 200);
            System.out.printf("TokenBackoffIT: %d grants, failed calls in the outage's first 15 s: %d (%.2f/s), in its last 30 s: %d"
                            + " (%.2f/s); %d reads refused while the provider was down; not recovered: %s; sandbox %s%n",
                    GRANTS, early, early / 15.0, late, late / 30.0, expiredReads, notRecovered, stats);
            assertTrue(early > 0, "refreshes were attempted during the outage");
            assertTrue(late / 30.0 < early / 15.0 / 2, "the call rate at least halved while the provider kept failing");
            assertTrue(notRecovered.isEmpty(), "grants not refreshed after the outage: " + notRecovered);
            assertEquals(1, stats.get("maxRefreshesOfOneToken").asInt(), stats.toString());
        }
    }

    /** Calls of the app answered by the SERVER_ERROR scenario between two instants (from the sandbox's own counts). */
    private long failedCalls(URI sandbox, String appId, Instant from, Instant to) throws Exception {
        return scenarioCalls(sandbox, appId, from) - scenarioCalls(sandbox, appId, to);
    }

    private long scenarioCalls(URI sandbox, String appId, Instant since) throws Exception {
        long calls = 0;
        for (JsonNode count : send("GET", sandbox.resolve("/sandbox/admin/stats/calls?appId=" + appId + "&since=" + since), null, null, 200)) {
            if (count.get("outcome").asText().startsWith("SCENARIO_")) {
                calls += count.get("calls").asLong();
            }
        }
        return calls;
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
