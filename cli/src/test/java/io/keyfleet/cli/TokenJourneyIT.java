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
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merchant tokens end to end over real processes with authentication on: key-service holds the app's key pair and the
 * sandbox's platform key, signing-service signs token-service's calls to the sandbox's Alipay gateway and checks its
 * signed answers, token-service exchanges one-time codes from the sandbox's consent endpoint and keeps the grants
 * refreshed through several cycles of 6-second tokens. The sandbox counts the refreshes: exactly one per grant per
 * cycle, and no token handed out past its expiry.
 */
class TokenJourneyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GRANTS = 5;
    private static final int ACCESS_LIFETIME_SECONDS = 6;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String adminApiKey;

    @Test
    void codesAreExchangedAndGrantsRefreshedOncePerCycleThroughTheRealPieces(@TempDir Path dataDirectory) throws Exception {
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
            String tenant = "tokens-" + UUID.randomUUID().toString().substring(0, 8);
            String appId = "20210000" + (10_000_000 + new java.util.Random().nextInt(89_999_999));

            send("POST", keys.resolve("/v1/tenants"), null, "{\"id\":\"" + tenant + "\",\"name\":\"Tokens\"}", 201);
            JsonNode key = send("POST", keys.resolve("/v1/keys"), tenant,
                    "{\"provider\":\"alipay\",\"appId\":\"" + appId + "\",\"environment\":\"SANDBOX\"}", 201);
            String platformKey = send("GET", sandbox.resolve("/sandbox/admin/platform-key"), null, null, 200).get("alipayPublicKey").asText();
            send("PUT", keys.resolve("/v1/provider-keys"), tenant,
                    "{\"provider\":\"alipay\",\"environment\":\"SANDBOX\",\"publicKey\":\"" + platformKey + "\"}", 200);
            send("PUT", sandbox.resolve("/sandbox/admin/apps/" + appId), null, "{\"publicKey\":\"" + key.get("publicKeyBase64").asText()
                    + "\",\"accessTokenLifetimeSeconds\":" + ACCESS_LIFETIME_SECONDS + ",\"refreshTokenLifetimeSeconds\":600}", 200);

            List<String> grantIds = new ArrayList<>();
            String firstCode = null;
            for (int i = 0; i < GRANTS; i++) {
                String code = send("POST", sandbox.resolve("/sandbox/consents"), null, "{\"appId\":\"" + appId + "\"}", 201)
                        .get("appAuthCode").asText();
                firstCode = firstCode == null ? code : firstCode;
                JsonNode grant = send("POST", tokens.resolve("/v1/grants/exchange"), tenant, "{\"provider\":\"alipay\",\"appId\":\""
                        + appId + "\",\"environment\":\"SANDBOX\",\"code\":\"" + code + "\"}", 201);
                assertEquals("ACTIVE", grant.get("status").asText());
                grantIds.add(grant.get("id").asText());
            }

            // a replayed code: refused, and the grant made from it revoked (RFC 6749 §4.1.2)
            JsonNode replay = send("POST", tokens.resolve("/v1/grants/exchange"), tenant, "{\"provider\":\"alipay\",\"appId\":\""
                    + appId + "\",\"environment\":\"SANDBOX\",\"code\":\"" + firstCode + "\"}", 400);
            assertEquals("CODE_REPLAYED", replay.get("code").asText());
            assertEquals("REVOKED", send("GET", tokens.resolve("/v1/grants/" + grantIds.get(0)), tenant, null, 200).get("status").asText());
            List<String> live = grantIds.subList(1, grantIds.size());

            // keep reading the tokens through several cycles
            Instant until = Instant.now().plusSeconds(5L * ACCESS_LIFETIME_SECONDS);
            int reads = 0;
            while (Instant.now().isBefore(until)) {
                for (String id : live) {
                    JsonNode token = send("GET", tokens.resolve("/v1/grants/" + id + "/token"), tenant, null, 200);
                    Instant received = Instant.now();
                    assertTrue(Instant.parse(token.get("expiresAt").asText()).isAfter(received),
                            "grant " + id + " handed out an expired token: " + token.get("expiresAt") + " at " + received);
                    reads++;
                }
                Thread.sleep(300);
            }

            int minVersion = Integer.MAX_VALUE;
            for (String id : live) {
                minVersion = Math.min(minVersion, send("GET", tokens.resolve("/v1/grants/" + id), tenant, null, 200).get("tokenVersion").asInt());
            }
            JsonNode stats = send("GET", sandbox.resolve("/sandbox/admin/stats/refreshes?appId=" + appId), null, null, 200);
            System.out.printf("TokenJourneyIT: %d reads, lowest token version %d, sandbox %s%n", reads, minVersion, stats);
            assertTrue(minVersion >= 4, "every grant went through at least 3 refresh cycles: lowest version " + minVersion);
            assertEquals(0, stats.get("tokensRefreshedMoreThanOnce").asInt(), "no refresh token used twice: " + stats);
            assertEquals(1, stats.get("maxRefreshesOfOneToken").asInt(), stats.toString());

            lostAnswersAreRetriedWithinTheUsedRefreshTokensGrace(keys, sandbox, tokens, tenant);
        }
    }

    /**
     * A refresh the sandbox carries out but answers too late (past token-service's 10-second upstream timeout): the
     * provider rotated the refresh token, token-service never saw the new pair. The retry with the old refresh token,
     * within its grace, succeeds. Then the sandbox refuses a current refresh token once: the previous one, still within
     * its expiry, keeps the grant alive.
     */
    private void lostAnswersAreRetriedWithinTheUsedRefreshTokensGrace(URI keys, URI sandbox, URI tokens, String tenant)
            throws Exception {
        String appId = "20210000" + (10_000_000 + new java.util.Random().nextInt(89_999_999));
        JsonNode key = send("POST", keys.resolve("/v1/keys"), tenant,
                "{\"provider\":\"alipay\",\"appId\":\"" + appId + "\",\"environment\":\"SANDBOX\"}", 201);
        send("PUT", sandbox.resolve("/sandbox/admin/apps/" + appId), null, "{\"publicKey\":\"" + key.get("publicKeyBase64").asText()
                + "\",\"accessTokenLifetimeSeconds\":600,\"refreshTokenLifetimeSeconds\":900}", 200);
        String code = send("POST", sandbox.resolve("/sandbox/consents"), null, "{\"appId\":\"" + appId + "\"}", 201)
                .get("appAuthCode").asText();
        String id = send("POST", tokens.resolve("/v1/grants/exchange"), tenant, "{\"provider\":\"alipay\",\"appId\":\""
                + appId + "\",\"environment\":\"SANDBOX\",\"code\":\"" + code + "\"}", 201).get("id").asText();

        send("POST", sandbox.resolve("/sandbox/admin/scenarios"), null,
                "{\"kind\":\"TIMEOUT\",\"appId\":\"" + appId + "\",\"count\":1,\"delayMillis\":15000}", 201);
        JsonNode lost = send("POST", tokens.resolve("/v1/grants/" + id + "/refresh"), tenant, null, 200);
        assertEquals(1, lost.get("tokenVersion").asInt(), lost.toString());
        assertTrue(lost.get("lastError").asText().startsWith("TIMEOUT"), lost.toString());
        JsonNode rotated = send("GET", sandbox.resolve("/sandbox/admin/stats/refreshes?appId=" + appId), null, null, 200);
        assertEquals(1, rotated.get("refreshes").asInt(), "the sandbox carried the lost refresh out: " + rotated);

        // the scheduler retries after the backoff (2.5-5 s) with the refresh token the sandbox already rotated
        JsonNode grant = lost;
        Instant until = Instant.now().plusSeconds(30);
        while (grant.get("tokenVersion").asInt() < 2 && Instant.now().isBefore(until)) {
            Thread.sleep(500);
            grant = send("GET", tokens.resolve("/v1/grants/" + id), tenant, null, 200);
        }
        assertEquals(2, grant.get("tokenVersion").asInt(), grant.toString());
        assertEquals("ACTIVE", grant.get("status").asText());
        assertEquals(0, grant.get("failedAttempts").asInt());
        JsonNode retried = send("GET", sandbox.resolve("/sandbox/admin/stats/refreshes?appId=" + appId), null, null, 200);
        assertEquals(2, retried.get("maxRefreshesOfOneToken").asInt(), "the first refresh token served twice, in its grace: " + retried);
        send("GET", tokens.resolve("/v1/grants/" + id + "/token"), tenant, null, 200);

        send("POST", sandbox.resolve("/sandbox/admin/scenarios"), null,
                "{\"kind\":\"REFRESH_TOKEN_EXPIRED\",\"appId\":\"" + appId + "\",\"count\":1}", 201);
        JsonNode fellBack = send("POST", tokens.resolve("/v1/grants/" + id + "/refresh"), tenant, null, 200);
        assertEquals("ACTIVE", fellBack.get("status").asText(), fellBack.toString());
        assertEquals(3, fellBack.get("tokenVersion").asInt(), fellBack.toString());
        send("GET", tokens.resolve("/v1/grants/" + id + "/token"), tenant, null, 200);
        JsonNode stats = send("GET", sandbox.resolve("/sandbox/admin/stats/refreshes?appId=" + appId), null, null, 200);
        System.out.printf("TokenJourneyIT: lost answer retried, refused token replaced by the previous one; sandbox %s%n", stats);
        assertEquals(3, stats.get("refreshes").asInt(), stats.toString());
    }

    private JsonNode send(String method, URI uri, String tenant, String body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + adminApiKey)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (tenant != null) {
            request.header("X-Keyfleet-Tenant", tenant);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expectedStatus, response.statusCode(), method + " " + uri + " answered " + response.body());
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }
}
