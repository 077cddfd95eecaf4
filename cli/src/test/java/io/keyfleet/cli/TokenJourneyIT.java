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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merchant tokens end to end over real processes with authentication on: key-service holds the app's key pair and the
 * sandbox's platform key, signing-service signs token-service's calls to the sandbox's Alipay gateway and checks its
 * signed answers, token-service exchanges one-time codes from the sandbox's consent endpoint and keeps the grants
 * refreshed through several cycles of 6-second tokens. The sandbox counts the refreshes: exactly one per grant per
 * cycle, and no token handed out past its expiry.
 */
@ExtendWith(SuiteLogSecrets.class)
class TokenJourneyIT {

    private static final int GRANTS = 5;
    private static final int ACCESS_LIFETIME_SECONDS = 6;

    @Test
    void codesAreExchangedAndGrantsRefreshedOncePerCycleThroughTheRealPieces(@TempDir Path dataDirectory) throws Exception {
        Suite definition = TokenSuiteFixture.suite(ProjectLayout.locate().root(), dataDirectory);
        try (RunningSuite suite = SuiteLogSecrets.watch(definition, definition.start())) {
            TokenSuiteFixture fixture = new TokenSuiteFixture(definition, suite);
            String tenant = fixture.tenantTrustingTheSandbox("tokens", "Tokens");
            String appId = fixture.sandboxApp(tenant, ACCESS_LIFETIME_SECONDS, 600);

            List<String> grantIds = new ArrayList<>();
            String firstCode = null;
            for (int i = 0; i < GRANTS; i++) {
                String code = fixture.consentCode(appId);
                firstCode = firstCode == null ? code : firstCode;
                JsonNode grant = fixture.exchange(fixture.tokens, tenant, appId, code, 201);
                assertEquals("ACTIVE", grant.get("status").asText());
                grantIds.add(grant.get("id").asText());
            }

            // a replayed code: refused, and the grant made from it revoked (RFC 6749 §4.1.2)
            JsonNode replay = fixture.exchange(fixture.tokens, tenant, appId, firstCode, 400);
            assertEquals("CODE_REPLAYED", replay.get("code").asText());
            assertEquals("REVOKED", fixture.grant(tenant, grantIds.get(0)).get("status").asText());
            List<String> live = grantIds.subList(1, grantIds.size());

            // keep reading the tokens until every grant went through three refresh cycles (some 20 s; longer on a loaded machine)
            AtomicInteger reads = new AtomicInteger();
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(300)).until(() -> {
                for (String id : live) {
                    Instant asked = Instant.now();
                    HttpResponse<String> token = fixture.readToken(fixture.tokens, tenant, id);
                    assertEquals(200, token.statusCode(), token.body());
                    assertTrue(TokenSuiteFixture.freshWhenHandedOut(token.body(), asked),
                            "grant " + id + " handed out a token with less than min-remaining left when asked at " + asked + ": " + token.body());
                    reads.incrementAndGet();
                }
                return fixture.lowestTokenVersion(tenant, live) >= 4;
            });

            int minVersion = fixture.lowestTokenVersion(tenant, live);
            JsonNode stats = fixture.refreshStats(appId);
            System.out.printf("TokenJourneyIT: %d reads, lowest token version %d, sandbox %s%n", reads.get(), minVersion, stats);
            assertTrue(minVersion >= 4, "every grant went through at least 3 refresh cycles: lowest version " + minVersion);
            assertEquals(0, stats.get("tokensRefreshedMoreThanOnce").asInt(), "no refresh token used twice: " + stats);
            assertEquals(1, stats.get("maxRefreshesOfOneToken").asInt(), stats.toString());

            lostAnswersAreRetriedWithinTheUsedRefreshTokensGrace(fixture, tenant);
        }
    }

    /**
     * A refresh the sandbox carries out but answers too late (past token-service's 10-second upstream timeout): the
     * provider rotated the refresh token, token-service never saw the new pair. The retry with the old refresh token,
     * within its grace, succeeds. Then the sandbox refuses a current refresh token once: the previous one, still within
     * its expiry, keeps the grant alive.
     */
    private void lostAnswersAreRetriedWithinTheUsedRefreshTokensGrace(TokenSuiteFixture fixture, String tenant) throws Exception {
        String appId = fixture.sandboxApp(tenant, 600, 900);
        String id = fixture.newGrant(fixture.tokens, tenant, appId);

        fixture.startScenario("{\"kind\":\"TIMEOUT\",\"appId\":\"" + appId + "\",\"count\":1,\"delayMillis\":15000}");
        JsonNode lost = fixture.send("POST", fixture.tokens.resolve("/v1/grants/" + id + "/refresh"), tenant, null, 200);
        assertEquals(1, lost.get("tokenVersion").asInt(), lost.toString());
        assertTrue(lost.get("lastError").asText().startsWith("TIMEOUT"), lost.toString());
        JsonNode rotated = fixture.refreshStats(appId);
        assertEquals(1, rotated.get("refreshes").asInt(), "the sandbox carried the lost refresh out: " + rotated);

        // the scheduler retries after the backoff (2.5-5 s) with the refresh token the sandbox already rotated
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> fixture.grant(tenant, id).get("tokenVersion").asInt() >= 2);
        JsonNode grant = fixture.grant(tenant, id);
        assertEquals(2, grant.get("tokenVersion").asInt(), grant.toString());
        assertEquals("ACTIVE", grant.get("status").asText());
        assertEquals(0, grant.get("failedAttempts").asInt());
        JsonNode retried = fixture.refreshStats(appId);
        assertEquals(2, retried.get("maxRefreshesOfOneToken").asInt(), "the first refresh token served twice, in its grace: " + retried);
        fixture.token(tenant, id);

        fixture.startScenario("{\"kind\":\"REFRESH_TOKEN_EXPIRED\",\"appId\":\"" + appId + "\",\"count\":1}");
        JsonNode fellBack = fixture.send("POST", fixture.tokens.resolve("/v1/grants/" + id + "/refresh"), tenant, null, 200);
        assertEquals("ACTIVE", fellBack.get("status").asText(), fellBack.toString());
        assertEquals(3, fellBack.get("tokenVersion").asInt(), fellBack.toString());
        fixture.token(tenant, id);
        JsonNode stats = fixture.refreshStats(appId);
        System.out.printf("TokenJourneyIT: lost answer retried, refused token replaced by the previous one; sandbox %s%n", stats);
        assertEquals(3, stats.get("refreshes").asInt(), stats.toString());
    }
}
