package io.keyfleet.cli;

import io.keyfleet.launcher.ServiceProcess;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two token-service processes over one database (the suite's, and a second one this test starts with a short
 * scheduler lease); the sandbox answers every token call after 2 s so that refreshes are always under way; the second
 * process is killed with SIGKILL in the middle of them. Its leases run out, the first process takes the grants over, and
 * no grant ends up unusable; no read ever returns an expired token.
 */
@ExtendWith(SuiteLogSecrets.class)
class TokenReplicaKillIT {

    private static final int GRANTS = 20;
    private static final int ACCESS_LIFETIME_SECONDS = 30;

    @Test
    void killingAReplicaMidRefreshLeavesNoGrantUnusable(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dataDirectory) throws Exception {
        Path root = ProjectLayout.locate().root();
        Suite definition = TokenSuiteFixture.suite(root, dataDirectory);
        ServiceProcess second = null;
        try (RunningSuite suite = SuiteLogSecrets.watch(definition, definition.start())) {
            TokenSuiteFixture fixture = new TokenSuiteFixture(definition, suite);
            URI tokens = fixture.tokens;

            TokenServiceReplica replica = TokenServiceReplica.start(root, suite, fixture.adminApiKey,
                    dataDirectory.resolve("token-service-2.log"),
                    Map.of("KEYFLEET_TOKENS_SCHEDULER_LEASE", "PT8S", "KEYFLEET_TOKENS_UPSTREAM_TIMEOUT", "PT4S"));
            second = replica.process();
            replica.awaitReady();
            URI tokens2 = replica.baseUrl();

            String tenant = fixture.tenantTrustingTheSandbox("kill", "Kill");
            String appId = fixture.sandboxApp(tenant, ACCESS_LIFETIME_SECONDS, 900);

            List<String> grantIds = new ArrayList<>();
            for (int i = 0; i < GRANTS; i++) {
                grantIds.add(fixture.newGrant(i % 2 == 0 ? tokens : tokens2, tenant, appId));
            }
            fixture.startScenario("{\"kind\":\"LATENCY\",\"appId\":\"" + appId + "\",\"delayMillis\":2000}");

            AtomicInteger reads = new AtomicInteger();
            AtomicInteger refusedReads = new AtomicInteger();
            Callable<Void> readAll = () -> {
                for (String id : grantIds) {
                    Instant asked = Instant.now();
                    HttpResponse<String> response = fixture.readToken(tokens, tenant, id);
                    reads.incrementAndGet();
                    if (response.statusCode() == 200) {
                        assertTrue(TokenSuiteFixture.freshWhenHandedOut(response.body(), asked),
                                "grant " + id + " handed out a token with less than min-remaining left when asked at " + asked + ": " + response.body());
                    } else {
                        assertEquals(409, response.statusCode(), response.body());
                        refusedReads.incrementAndGet();
                    }
                }
                return null;
            };

            // read until refreshes are under way everywhere: every grant refreshed once, and both replicas holding leases
            // (mid-refresh: every token call takes 2 s) at the same moment; then kill -9 the second replica
            Map<String, Integer> versionsAtKill = new HashMap<>();
            try (Connection database = fixture.tokenDatabase()) {
                await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).pollInSameThread().until(() -> {
                    readAll.call();
                    return fixture.lowestTokenVersion(tenant, grantIds) >= 2 && TokenSuiteFixture.leaseOwners(database).size() >= 2;
                });
            }
            assertTrue(second.kill(Duration.ofSeconds(60))); // SIGKILL
            for (String id : grantIds) {
                versionsAtKill.put(id, fixture.grant(tenant, id).get("tokenVersion").asInt());
            }

            // its leases run out and the first replica takes its grants over: every grant is refreshed twice more
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).pollInSameThread().until(() -> {
                readAll.call();
                for (String id : grantIds) {
                    if (fixture.grant(tenant, id).get("tokenVersion").asInt() < versionsAtKill.get(id) + 2) {
                        return false;
                    }
                }
                return true;
            });

            int minVersion = Integer.MAX_VALUE;
            for (String id : grantIds) {
                JsonNode grant = fixture.grant(tenant, id);
                assertEquals("ACTIVE", grant.get("status").asText(), grant.toString());
                minVersion = Math.min(minVersion, grant.get("tokenVersion").asInt());
                fixture.token(tenant, id);
            }
            JsonNode stats = fixture.refreshStats(appId);
            System.out.printf("TokenReplicaKillIT: %d reads (%d refused with 409), token versions at the kill %s, lowest at the end %d,"
                    + " sandbox %s%n", reads.get(), refusedReads.get(), versionsAtKill.values(), minVersion, stats);
            assertTrue(minVersion >= 4, "every grant kept being refreshed after the kill: lowest version " + minVersion);
            assertEquals(0, refusedReads.get(), "no read was refused");
        } finally {
            if (second != null && second.isAlive()) {
                second.kill(Duration.ofSeconds(10));
            }
        }
    }
}
