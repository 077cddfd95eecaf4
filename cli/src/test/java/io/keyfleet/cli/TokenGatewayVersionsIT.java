package io.keyfleet.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: token-service exchanges codes and refreshes grants through the sandbox's v2 gateway ({@code /gateway.do})
 * and its v3 API ({@code /v3/alipay/open/auth/token/app}), chosen by the exchange and kept on the grant, over real
 * processes with authentication on: signing-service signs with the app's key in key-service (alipay-rsa2, alipay-v3) and
 * checks the sandbox's signed answers with its platform key. Which gateway answered shows in how each reports the
 * rate limit (v2: HTTP 200 {@code isv.app-call-limited}, v3: HTTP 429). The sandbox's unsigned and wrongly signed v3
 * answers are refused, and another tenant reaches neither the grant nor the app's key.
 */
@ExtendWith(SuiteLogSecrets.class)
class TokenGatewayVersionsIT {

    /** How token-service names the sandbox's rate limit of each gateway (the failure's code). */
    private static final Map<String, String> RATE_LIMIT_CODE = Map.of("V2", "isv.app-call-limited", "V3", "HTTP_429");

    @Test
    void bothGatewaysExchangeAndRefreshAndV3AnswersAreVerified(@TempDir Path dataDirectory) throws Exception {
        Suite definition = TokenSuiteFixture.suite(ProjectLayout.locate().root(), dataDirectory);
        try (RunningSuite suite = SuiteLogSecrets.watch(definition, definition.start())) {
            TokenSuiteFixture fixture = new TokenSuiteFixture(definition, suite);
            String tenant = fixture.tenantTrustingTheSandbox("gateways", "Gateways");

            String v3Grant = null;
            String v3App = null;
            for (String version : new String[] {"V2", "V3"}) {
                String appId = fixture.sandboxApp(tenant, 3600, 7200);
                String grant = exchangeAndRefreshThrough(fixture, tenant, appId, version);
                if (version.equals("V3")) {
                    v3Grant = grant;
                    v3App = appId;
                }
            }
            badV3AnswersAreRefused(fixture, tenant);
            anotherTenantReachesNeitherTheGrantNorTheAppsKey(fixture, tenant, v3App, v3Grant);
        }
    }

    /** Exchange, refresh, a rate-limited refresh retried by the scheduler: all through {@code version}; the grant's id. */
    private String exchangeAndRefreshThrough(TokenSuiteFixture fixture, String tenant, String appId, String version) throws Exception {
        String code = fixture.consentCode(appId);
        fixture.startScenario("{\"kind\":\"RATE_LIMITED\",\"appId\":\"" + appId + "\",\"count\":1}");
        JsonNode limited = fixture.exchange(fixture.tokens, tenant, appId, code, version, 502);
        assertEquals("PROVIDER_UNAVAILABLE", limited.get("code").asText(), limited.toString());
        assertTrue(limited.get("detail").asText().contains("(" + RATE_LIMIT_CODE.get(version) + ")"), version + ": " + limited);

        // the rate limit did not use the code up
        JsonNode grant = fixture.exchange(fixture.tokens, tenant, appId, code, version, 201);
        assertEquals(version, grant.get("gatewayVersion").asText(), grant.toString());
        assertEquals("ACTIVE", grant.get("status").asText());
        String id = grant.get("id").asText();
        assertEquals(1, fixture.token(tenant, id).get("tokenVersion").asInt());

        JsonNode refreshed = refreshNow(fixture, tenant, id);
        assertEquals(2, refreshed.get("tokenVersion").asInt(), refreshed.toString());
        assertTrue(refreshed.get("lastError").isNull(), refreshed.toString());

        // the refresh goes through the grant's gateway too, and so does the scheduler's retry
        fixture.startScenario("{\"kind\":\"RATE_LIMITED\",\"appId\":\"" + appId + "\",\"count\":1}");
        JsonNode failed = refreshNow(fixture, tenant, id);
        assertEquals(2, failed.get("tokenVersion").asInt(), failed.toString());
        assertEquals("ACTIVE", failed.get("status").asText());
        assertTrue(failed.get("lastError").asText().startsWith(RATE_LIMIT_CODE.get(version)), version + ": " + failed);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> fixture.grant(tenant, id).get("tokenVersion").asInt() >= 3);
        JsonNode token = fixture.token(tenant, id);
        assertEquals(3, token.get("tokenVersion").asInt(), version);

        JsonNode stats = fixture.refreshStats(appId);
        System.out.printf("TokenGatewayVersionsIT: %s exchange and refreshes; sandbox %s%n", version, stats);
        assertEquals(2, stats.get("refreshes").asInt(), stats.toString());
        assertEquals(1, stats.get("maxRefreshesOfOneToken").asInt(), stats.toString());
        return id;
    }

    /**
     * v3 answers without a signature or with one by another key than the platform's are refused whatever they say:
     * an exchange answers 502 (the sandbox used the code meanwhile); a refresh keeps the stored tokens and is retried by
     * the scheduler with the same refresh token, within its grace. A refused code is refused through v3 as through v2.
     */
    private void badV3AnswersAreRefused(TokenSuiteFixture fixture, String tenant) throws Exception {
        String appId = fixture.sandboxApp(tenant, 3600, 7200);
        fixture.startScenario("{\"kind\":\"UNSIGNED\",\"appId\":\"" + appId + "\",\"count\":1}");
        JsonNode unsigned = fixture.exchange(fixture.tokens, tenant, appId, fixture.consentCode(appId), "V3", 502);
        assertTrue(unsigned.get("detail").asText().contains("(UNSIGNED_RESPONSE)"), unsigned.toString());
        fixture.startScenario("{\"kind\":\"BAD_SIGNATURE\",\"appId\":\"" + appId + "\",\"count\":1}");
        JsonNode badlySigned = fixture.exchange(fixture.tokens, tenant, appId, fixture.consentCode(appId), "V3", 502);
        assertTrue(badlySigned.get("detail").asText().contains("(BAD_RESPONSE_SIGNATURE)"), badlySigned.toString());
        JsonNode unknownCode = fixture.exchange(fixture.tokens, tenant, appId, "never-issued-code", "V3", 400);
        assertEquals("CODE_INVALID", unknownCode.get("code").asText(), unknownCode.toString());

        String id = fixture.exchange(fixture.tokens, tenant, appId, fixture.consentCode(appId), "V3", 201).get("id").asText();
        fixture.startScenario("{\"kind\":\"BAD_SIGNATURE\",\"appId\":\"" + appId + "\",\"count\":1}");
        JsonNode refused = refreshNow(fixture, tenant, id);
        assertEquals(1, refused.get("tokenVersion").asInt(), refused.toString());
        assertEquals("ACTIVE", refused.get("status").asText());
        assertTrue(refused.get("lastError").asText().startsWith("BAD_RESPONSE_SIGNATURE"), refused.toString());
        assertEquals(1, fixture.token(tenant, id).get("tokenVersion").asInt(), "the stored token, not the one of the refused answer");

        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> fixture.grant(tenant, id).get("tokenVersion").asInt() >= 2);
        JsonNode stats = fixture.refreshStats(appId);
        System.out.printf("TokenGatewayVersionsIT: refused v3 answers; sandbox %s%n", stats);
        assertEquals(2, stats.get("maxRefreshesOfOneToken").asInt(), "the refused answer's refresh token served again: " + stats);
        assertEquals(2, fixture.token(tenant, id).get("tokenVersion").asInt());
    }

    /** Another tenant: 404 for the v3 grant; a code for the app is refused without its key (and stays good for the owner). */
    private void anotherTenantReachesNeitherTheGrantNorTheAppsKey(TokenSuiteFixture fixture, String tenant, String appId, String grantId)
            throws Exception {
        String other = fixture.tenantTrustingTheSandbox("gateways-other", "Other");
        int refreshesBefore = fixture.refreshStats(appId).get("refreshes").asInt();
        assertEquals("GRANT_NOT_FOUND", fixture.send("GET", fixture.tokens.resolve("/v1/grants/" + grantId), other, null, 404)
                .get("code").asText());
        assertEquals("GRANT_NOT_FOUND", fixture.send("GET", fixture.tokens.resolve("/v1/grants/" + grantId + "/token"), other, null, 404)
                .get("code").asText());
        fixture.send("POST", fixture.tokens.resolve("/v1/grants/" + grantId + "/refresh"), other, null, 404);

        String code = fixture.consentCode(appId);
        JsonNode foreign = fixture.exchange(fixture.tokens, other, appId, code, "V3", 422);
        assertEquals("UPSTREAM_REFUSED", foreign.get("code").asText(), foreign.toString());
        JsonNode own = fixture.exchange(fixture.tokens, tenant, appId, code, "V3", 201);
        assertEquals("V3", own.get("gatewayVersion").asText());
        assertEquals(refreshesBefore, fixture.refreshStats(appId).get("refreshes").asInt(), "the other tenant's calls refreshed nothing");
    }

    private static JsonNode refreshNow(TokenSuiteFixture fixture, String tenant, String grantId) throws Exception {
        return fixture.send("POST", fixture.tokens.resolve("/v1/grants/" + grantId + "/refresh"), tenant, null, 200);
    }
}
