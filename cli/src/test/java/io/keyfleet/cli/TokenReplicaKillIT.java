package io.keyfleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two token-service processes over one database (the suite's, and a second one this test starts with a short
 * scheduler lease); the sandbox answers every token call after 2 s so that refreshes are always under way; the second
 * process is killed with SIGKILL in the middle of them. Its leases run out, the first process takes the grants over, and
 * no grant ends up unusable; no read ever returns an expired token.
 */
class TokenReplicaKillIT {

    private static final int GRANTS = 20;
    private static final int ACCESS_LIFETIME_SECONDS = 30;

    @Test
    void killingAReplicaMidRefreshLeavesNoGrantUnusable(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dataDirectory) throws Exception {
        Path root = ProjectLayout.locate().root();
        Suite definition = TokenSuiteFixture.suite(root, dataDirectory);
        Process second = null;
        try (RunningSuite suite = definition.start()) {
            TokenSuiteFixture fixture = new TokenSuiteFixture(definition, suite);
            URI tokens = fixture.tokens;

            TokenServiceReplica replica = TokenServiceReplica.start(root, suite, fixture.adminApiKey,
                    dataDirectory.resolve("token-service-2.log"),
                    Map.of("KEYFLEET_TOKENS_SCHEDULER_LEASE", "PT8S", "KEYFLEET_TOKENS_UPSTREAM_TIMEOUT", "PT4S"));
            second = replica.process();
            replica.awaitReady(fixture.http);
            URI tokens2 = replica.baseUrl();

            String tenant = fixture.tenantTrustingTheSandbox("kill", "Kill");
            String appId = fixture.sandboxApp(tenant, ACCESS_LIFETIME_SECONDS, 900);

            List<String> grantIds = new ArrayList<>();
            for (int i = 0; i < GRANTS; i++) {
                grantIds.add(fixture.newGrant(i % 2 == 0 ? tokens : tokens2, tenant, appId));
            }
            fixture.startScenario("{\"kind\":\"LATENCY\",\"appId\":\"" + appId + "\",\"delayMillis\":2000}");

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
                    HttpResponse<String> response = fixture.readToken(tokens, tenant, id);
                    Instant received = Instant.now();
                    reads++;
                    if (response.statusCode() == 200) {
                        Instant expiresAt = Instant.parse(TokenSuiteFixture.JSON.readTree(response.body()).get("expiresAt").asText());
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
                JsonNode grant = fixture.grant(tenant, id);
                assertEquals("ACTIVE", grant.get("status").asText(), grant.toString());
                minVersion = Math.min(minVersion, grant.get("tokenVersion").asInt());
                fixture.token(tenant, id);
            }
            JsonNode stats = fixture.refreshStats(appId);
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
}
