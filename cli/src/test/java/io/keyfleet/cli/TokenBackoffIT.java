package io.keyfleet.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox answers every token call with HTTP 502 for a minute: token-service's refresh calls against it thin out
 * (exponential backoff with jitter, and readers do not add calls), and afterwards every grant is refreshed again —
 * nothing lost, nobody asked to re-authorize.
 */
@ExtendWith(SuiteLogSecrets.class)
class TokenBackoffIT {

    private static final int GRANTS = 10;
    private static final int ACCESS_LIFETIME_SECONDS = 6;
    private static final int OUTAGE_SECONDS = 60;

    @Test
    void aMinuteOf5xxThinsTheCallsOutAndTheGrantsRecover(@TempDir Path dataDirectory) throws Exception {
        Suite definition = TokenSuiteFixture.suite(ProjectLayout.locate().root(), dataDirectory);
        try (RunningSuite suite = SuiteLogSecrets.watch(definition, definition.start())) {
            TokenSuiteFixture fixture = new TokenSuiteFixture(definition, suite);
            String tenant = fixture.tenantTrustingTheSandbox("backoff", "Backoff");
            String appId = fixture.sandboxApp(tenant, ACCESS_LIFETIME_SECONDS, 900);
            List<String> grantIds = new ArrayList<>();
            for (int i = 0; i < GRANTS; i++) {
                grantIds.add(fixture.newGrant(fixture.tokens, tenant, appId));
            }
            // the grants in their steady cycle when the provider fails: each refreshed twice already
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> fixture.lowestTokenVersion(tenant, grantIds) >= 3);

            Instant outageStart = Instant.now();
            fixture.startScenario("{\"kind\":\"SERVER_ERROR\",\"appId\":\"" + appId
                    + "\",\"httpStatus\":502,\"durationSeconds\":" + OUTAGE_SECONDS + "}");
            Instant outageEnd = outageStart.plusSeconds(OUTAGE_SECONDS);
            int expiredReads = 0;
            while (Instant.now().isBefore(outageEnd)) {
                for (String id : grantIds) {
                    Instant asked = Instant.now();
                    HttpResponse<String> token = fixture.readToken(fixture.tokens, tenant, id);
                    if (token.statusCode() == 200) {
                        assertTrue(TokenSuiteFixture.freshWhenHandedOut(token.body(), asked),
                                "grant " + id + " handed out a token with less than min-remaining left when asked at " + asked + ": " + token.body());
                    } else {
                        assertEquals(409, token.statusCode(), token.body());
                        expiredReads++;
                    }
                }
                Thread.sleep(500); // the pace of the readers through the minute the provider fails: a window watched, not a wait
            }
            long early = failedCalls(fixture, appId, outageStart, outageStart.plusSeconds(15));
            long late = failedCalls(fixture, appId, outageStart.plusSeconds(30), outageEnd);

            // after the outage every grant is refreshed again (the longest backoff step reached is < 80 s)
            List<String> notRecovered = new ArrayList<>(grantIds);
            try {
                await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).pollInSameThread().until(() -> {
                    notRecovered.removeIf(id -> {
                        try {
                            JsonNode grant = fixture.grant(tenant, id);
                            return "ACTIVE".equals(grant.get("status").asText()) && grant.get("failedAttempts").asInt() == 0
                                    && fixture.readToken(fixture.tokens, tenant, id).statusCode() == 200;
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                    return notRecovered.isEmpty();
                });
            } catch (ConditionTimeoutException e) {
                // reported below, with the numbers
            }
            JsonNode stats = fixture.refreshStats(appId);
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
    private long failedCalls(TokenSuiteFixture fixture, String appId, Instant from, Instant to) throws Exception {
        return scenarioCalls(fixture, appId, from) - scenarioCalls(fixture, appId, to);
    }

    private long scenarioCalls(TokenSuiteFixture fixture, String appId, Instant since) throws Exception {
        long calls = 0;
        for (JsonNode count : fixture.send("GET", fixture.sandbox.resolve("/sandbox/admin/stats/calls?appId=" + appId + "&since=" + since),
                null, null, 200)) {
            if (count.get("outcome").asText().startsWith("SCENARIO_")) {
                calls += count.get("calls").asLong();
            }
        }
        return calls;
    }
}
