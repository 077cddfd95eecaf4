package io.keyfleet.tokens.grant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.agroal.api.AgroalDataSource;
import io.keyfleet.tokens.FakeProvider;
import io.keyfleet.tokens.FakeProvider.Mode;
import io.keyfleet.tokens.refresh.Refresher;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * /v1/grants over real HTTP with the tables in a real PostgreSQL and the outbox relay on a real Kafka broker. The
 * provider's token endpoint is {@link FakeProvider} (a boundary here; the real sandbox and signing-service run in the
 * suite IT in cli).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "token_service"))
@QuarkusTestResource(KafkaTestResource.class)
class GrantApiIT {

    @Inject
    FakeProvider provider;

    @Inject
    Refresher refresher;

    @Inject
    AgroalDataSource database;

    private String tenant;

    @BeforeEach
    void freshTenant() {
        provider.reset();
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private RequestSpecification as(String tenantId) {
        return given().header("X-Keyfleet-Tenant", tenantId).contentType(ContentType.JSON);
    }

    private Response exchange(String code) {
        return exchange(tenant, "2021000000000001", code);
    }

    private Response exchange(String tenantId, String appId, String code) {
        return as(tenantId).body(Map.of("provider", "alipay", "appId", appId, "environment", "sandbox", "code", code))
                .post("/v1/grants/exchange");
    }

    private String exchangeNew(String merchant) {
        return exchange(provider.consent(merchant)).then().statusCode(201).extract().path("id");
    }

    @Test
    void exchangeStoresEncryptedTokensAndHandsOutTheCurrentOne() throws Exception {
        Response exchanged = exchange(provider.consent("2088000000000001"));
        exchanged.then().statusCode(201)
                .body("id", startsWith("grt_"))
                .body("merchantId", equalTo("2088000000000001"))
                .body("environment", equalTo("SANDBOX"))
                .body("status", equalTo("ACTIVE"))
                .body("tokenVersion", equalTo(1));
        assertThat(exchanged.asString()).doesNotContain("at-").doesNotContain("rt-");
        String id = exchanged.path("id");

        String token = as(tenant).get("/v1/grants/" + id + "/token").then().statusCode(200)
                .body("tokenVersion", equalTo(1)).extract().path("accessToken");
        assertThat(token).startsWith("at-0-");

        // at rest: neither token appears in any column, nor in the outbox
        assertThat(dump("select * from token_grant where id = '" + id + "'")).doesNotContain(token).doesNotContain("rt-0-");
        assertThat(dump("select envelope from outbox_event where aggregate_id = '" + id + "'")).doesNotContain("at-").doesNotContain("rt-");
        assertThat(eventTypes(id)).containsExactly("TokenIssued");

        // another tenant does not see it
        as("t-other").get("/v1/grants/" + id + "/token").then().statusCode(404).body("code", equalTo("GRANT_NOT_FOUND"));
        as("t-other").get("/v1/grants/" + id).then().statusCode(404);
    }

    @Test
    void aReplayedCodeIsRefusedAndTheTokensIssuedFromItAreRevoked() throws Exception {
        String code = provider.consent("2088000000000002");
        String id = exchange(code).then().statusCode(201).extract().path("id");

        exchange(code).then().statusCode(400).body("code", equalTo("CODE_REPLAYED"));

        as(tenant).get("/v1/grants/" + id).then().statusCode(200).body("status", equalTo("REVOKED"));
        as(tenant).get("/v1/grants/" + id + "/token").then().statusCode(409).body("code", equalTo("GRANT_REVOKED"));
        assertThat(eventTypes(id)).containsExactly("TokenIssued", "TokenRevoked");
        assertThat(dump("select envelope from outbox_event where aggregate_id = '" + id + "' and event_type = 'TokenRevoked'"))
                .contains("presented twice");
        assertThat(dump("select access_token_enc, refresh_token_enc from token_grant where id = '" + id + "'")).isEqualTo("null|null|");

        // a code the provider does not know is refused, and nothing is stored
        exchange("never-issued").then().statusCode(400).body("code", equalTo("CODE_INVALID"));
    }

    /**
     * Issue 15: another tenant presenting a code this tenant exchanged (for the same app id) is refused exactly as a
     * code the provider does not know, without asking the provider and without touching this tenant's grant. It stays a
     * replay for the tenant that used it.
     */
    @Test
    void aCodeAnotherTenantExchangedIsRefusedAsInvalidAndItsGrantIsLeftAlone() throws Exception {
        String code = provider.consent("2088000000000031");
        String id = exchange(code).then().statusCode(201).extract().path("id");
        String other = "t-" + UUID.randomUUID().toString().substring(0, 8);
        long askedBefore = provider.exchangeCalls();

        Response foreign = exchange(other, "2021000000000001", code);
        foreign.then().statusCode(400).contentType("application/problem+json").body("code", equalTo("CODE_INVALID"));
        assertThat(provider.exchangeCalls()).as("the provider never sees another tenant's presentation").isEqualTo(askedBefore);
        Response unknown = exchange(other, "2021000000000001", "never-issued-" + UUID.randomUUID());
        for (String field : List.of("status", "title", "code", "detail")) {
            assertThat(foreign.jsonPath().getString(field)).as(field + " tells nothing of the other tenant")
                    .isEqualTo(unknown.jsonPath().getString(field));
        }
        exchange(other, "2021000000000001", code).then().statusCode(400).body("code", equalTo("CODE_INVALID"));

        as(tenant).get("/v1/grants/" + id).then().statusCode(200).body("status", equalTo("ACTIVE"));
        as(tenant).get("/v1/grants/" + id + "/token").then().statusCode(200);
        assertThat(eventTypes(id)).containsExactly("TokenIssued");
        as(other).get("/v1/grants").then().statusCode(200).body("items.size()", equalTo(0));

        // the tenant that used it replaying it: today's rule
        exchange(code).then().statusCode(400).body("code", equalTo("CODE_REPLAYED"));
        as(tenant).get("/v1/grants/" + id).then().body("status", equalTo("REVOKED"));
    }

    /** A code is a replay only for the app it was presented for: for another app the provider decides, and nothing is revoked. */
    @Test
    void theSameCodeForAnotherAppOfTheTenantIsNoReplay() throws Exception {
        String code = provider.consent("2088000000000032");
        String id = exchange(code).then().statusCode(201).extract().path("id");
        exchange(tenant, "2021000000000002", code).then().statusCode(400).body("code", equalTo("CODE_INVALID"));
        as(tenant).get("/v1/grants/" + id).then().body("status", equalTo("ACTIVE"));
        assertThat(eventTypes(id)).containsExactly("TokenIssued");
    }

    @Test
    void aNewAuthorizationOfTheSameMerchantRenewsTheGrant() {
        String id = exchangeNew("2088000000000003");
        String again = exchange(provider.consent("2088000000000003")).then().statusCode(201)
                .body("tokenVersion", equalTo(2)).extract().path("id");
        assertThat(again).isEqualTo(id);
    }

    @Test
    void theGatewayAnExchangeNamesIsKeptForTheGrantsRefreshes() {
        String appId = "2021" + (100_000_000_000L + ThreadLocalRandom.current().nextLong(800_000_000_000L));
        Response v3 = as(tenant).body(Map.of("provider", "alipay", "appId", appId, "environment", "sandbox",
                "code", provider.consent("2088000000000031"), "gatewayVersion", "v3")).post("/v1/grants/exchange");
        String id = v3.then().statusCode(201).body("gatewayVersion", equalTo("V3")).extract().path("id");
        as(tenant).post("/v1/grants/" + id + "/refresh").then().statusCode(200).body("tokenVersion", equalTo(2))
                .body("gatewayVersion", equalTo("V3"));
        as(tenant).get("/v1/grants/" + id).then().body("gatewayVersion", equalTo("V3"));

        // without one, the configured default (V2); a new authorization through it moves the grant there
        exchange(tenant, appId, provider.consent("2088000000000031")).then().statusCode(201).body("id", equalTo(id))
                .body("tokenVersion", equalTo(3)).body("gatewayVersion", equalTo("V2"));
        as(tenant).post("/v1/grants/" + id + "/refresh").then().statusCode(200).body("tokenVersion", equalTo(4));
        assertThat(provider.gatewayCalls(appId)).containsExactly("exchange V3", "refresh V3", "exchange V2", "refresh V2");

        as(tenant).body(Map.of("provider", "alipay", "appId", appId, "environment", "sandbox", "code", "c-1", "gatewayVersion", "v4"))
                .post("/v1/grants/exchange").then().statusCode(400);
        assertThat(provider.exchangeCalls()).isEqualTo(2);
    }

    @Test
    void codesOfOneMerchantExchangedAtTheSameMomentRenewOneGrantInTurn() throws Exception {
        int parties = 4;
        provider.answerExchangesTogether(parties);
        ExecutorService callers = Executors.newFixedThreadPool(parties);
        try {
            for (int round = 0; round < 5; round++) {
                String merchant = "208800000000002" + round;
                List<Future<Response>> answers = new ArrayList<>();
                for (int i = 0; i < parties; i++) {
                    String code = provider.consent(merchant);
                    answers.add(callers.submit(() -> exchange(code)));
                }
                Set<String> ids = new HashSet<>();
                Set<Integer> versions = new HashSet<>();
                for (Future<Response> answer : answers) {
                    Response response = answer.get(60, TimeUnit.SECONDS);
                    assertThat(response.statusCode()).as(response.asString()).isEqualTo(201);
                    ids.add(response.path("id"));
                    versions.add(response.path("tokenVersion"));
                }
                // one grant, renewed by each exchange in turn; the token handed out is the last one stored
                assertThat(ids).hasSize(1);
                assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4);
                String id = ids.iterator().next();
                as(tenant).get("/v1/grants/" + id + "/token").then().statusCode(200).body("tokenVersion", equalTo(parties));
                assertThat(eventTypes(id)).containsExactly("TokenIssued", "TokenIssued", "TokenIssued", "TokenIssued");
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void forcedRefreshGivesANewVersionAndTheEventCarriesIt() throws Exception {
        String id = exchangeNew("2088000000000004");
        as(tenant).post("/v1/grants/" + id + "/refresh").then().statusCode(200).body("tokenVersion", equalTo(2));
        as(tenant).get("/v1/grants/" + id + "/token").then().statusCode(200)
                .body("tokenVersion", equalTo(2)).body("accessToken", startsWith("at-1-"));
        assertThat(eventTypes(id)).containsExactly("TokenIssued", "TokenRefreshed");
        assertThat(dump("select envelope from outbox_event where aggregate_id = '" + id + "' and event_type = 'TokenRefreshed'"))
                .contains("\"tokenVersion\":2");
    }

    @Test
    void aTokenNearItsExpiryIsRefreshedBeforeItIsHandedOut() {
        provider.lifetimes(1L, 600);
        String id = exchangeNew("2088000000000005");
        provider.lifetimes(3600L, 600);
        // 1 s of life is within min-remaining (1 s): the GET refreshes first
        Response token = as(tenant).get("/v1/grants/" + id + "/token");
        token.then().statusCode(200).body("tokenVersion", equalTo(2));
        assertThat(Instant.parse(token.path("expiresAt"))).isAfter(Instant.now());
    }

    @Test
    void anExpiredTokenThatCannotBeRefreshedIsA409NotAStaleToken() throws Exception {
        provider.lifetimes(1L, 600);
        String id = exchangeNew("2088000000000006");
        provider.mode(Mode.FAIL_RETRYABLE);
        Instant before = Instant.now();
        as(tenant).get("/v1/grants/" + id + "/token").then().statusCode(409).body("code", equalTo("TOKEN_EXPIRED"));
        Instant after = Instant.now();
        Response grant = as(tenant).get("/v1/grants/" + id);
        grant.then().body("status", equalTo("ACTIVE")).body("failedAttempts", equalTo(1)).body("lastError", startsWith("HTTP_502"));
        // the first backoff (1 s in this profile, a random half to all of it) from the failure, which happened during the read
        assertThat(Instant.parse(grant.path("nextRefreshAt"))).isBetween(before.plusMillis(500), after.plusMillis(1000));

        // while backing off, reads do not call the provider again (no retry storm from readers); the backoff is set
        // longer than this profile's 1-second base so that slow reads on a loaded machine do not outlast it
        update("update token_grant set next_refresh_at = now() + interval '1 minute' where id = '" + id + "'");
        long calls = provider.refreshCalls();
        for (int i = 0; i < 5; i++) {
            as(tenant).get("/v1/grants/" + id + "/token").then().statusCode(409).body("code", equalTo("TOKEN_EXPIRED"));
        }
        assertThat(provider.refreshCalls()).isEqualTo(calls);
    }

    @Test
    void aRefusedRefreshTokenAsksTheMerchantToAuthorizeAgain() throws Exception {
        String id = exchangeNew("2088000000000007");
        provider.mode(Mode.INVALID_GRANT);
        as(tenant).post("/v1/grants/" + id + "/refresh").then().statusCode(200)
                .body("status", equalTo("NEEDS_REAUTHORIZATION")).body("tokenVersion", equalTo(1));
        as(tenant).get("/v1/grants/" + id + "/token").then().statusCode(409).body("code", equalTo("GRANT_NEEDS_REAUTHORIZATION"));
        String failed = dump("select envelope from outbox_event where aggregate_id = '" + id + "' and event_type = 'TokenRefreshFailed'");
        assertThat(failed).contains("must authorize app 2021000000000001 again").contains("\"retryable\":false")
                .contains("POST /v1/grants/exchange");

        // the merchant authorizes again: the same grant is ACTIVE once more
        provider.mode(Mode.NORMAL);
        exchange(provider.consent("2088000000000007")).then().statusCode(201)
                .body("id", equalTo(id)).body("status", equalTo("ACTIVE")).body("tokenVersion", equalTo(2));
    }

    @Test
    void failuresBackOffAndAGrantFailingTooLongNeedsReauthorization() throws Exception {
        String id = exchangeNew("2088000000000008");
        provider.mode(Mode.FAIL_RETRYABLE);
        // backoff 1 s, 2 s, 4 s (capped at 4 s in tests), each a random half to all of it, counted from the failure
        // (which happened between "before" and "after": slow calls on a loaded machine do not matter)
        long[] fullBackoffMillis = {1000, 2000, 4000};
        for (int attempt = 1; attempt <= 3; attempt++) {
            makeDue(id);
            String owner = claim(id);
            Instant before = Instant.now();
            refresher.refresh(id, owner);
            Instant after = Instant.now();
            Instant next = Instant.parse(as(tenant).get("/v1/grants/" + id).then().body("failedAttempts", equalTo(attempt))
                    .extract().path("nextRefreshAt"));
            long full = fullBackoffMillis[attempt - 1];
            assertThat(next).as("attempt " + attempt).isBetween(before.plusMillis(full / 2), after.plusMillis(full));
        }

        // failing since more than keyfleet.tokens.reauthorize-after (3 days)
        update("update token_grant set failing_since = now() - interval '3 days 1 minute' where id = '" + id + "'");
        makeDue(id);
        refresher.refresh(id, claim(id));
        as(tenant).get("/v1/grants/" + id).then().body("status", equalTo("NEEDS_REAUTHORIZATION"));
        assertThat(dump("select envelope from outbox_event where aggregate_id = '" + id + "' and event_type = 'TokenRefreshFailed'"
                + " order by id desc limit 1")).contains("refreshing has failed since").contains("\"retryable\":false");
    }

    @Test
    void aLostAnswerIsRetriedWithTheSameRefreshToken() {
        String id = exchangeNew("2088000000000009");
        provider.mode(Mode.LOSE_RESPONSE);
        as(tenant).post("/v1/grants/" + id + "/refresh").then().statusCode(200)
                .body("tokenVersion", equalTo(1)).body("lastError", startsWith("TIMEOUT"));
        provider.mode(Mode.NORMAL);
        as(tenant).post("/v1/grants/" + id + "/refresh").then().statusCode(200)
                .body("tokenVersion", equalTo(2)).body("failedAttempts", equalTo(0));
        // the provider saw the old refresh token twice: once lost, once answered (its grace)
        assertThat(provider.refreshTokensUsedTwice()).isEqualTo(1);
    }

    @Test
    void whenTheCurrentRefreshTokenIsRefusedThePreviousOneIsTriedWithinItsExpiry() throws Exception {
        String id = exchangeNew("2088000000000030");
        as(tenant).post("/v1/grants/" + id + "/refresh").then().statusCode(200).body("tokenVersion", equalTo(2));
        provider.refuseNextRefresh();
        as(tenant).post("/v1/grants/" + id + "/refresh").then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("tokenVersion", equalTo(3)).body("failedAttempts", equalTo(0));
        // refreshed from the first refresh token (generation 0), whose successor was refused
        as(tenant).get("/v1/grants/" + id + "/token").then().statusCode(200).body("accessToken", startsWith("at-1-"));
        assertThat(provider.refreshCalls()).isEqualTo(3);

        // without a previous token within its expiry, a refusal asks the merchant to authorize again
        update("update token_grant set previous_refresh_until = now() - interval '1 second' where id = '" + id + "'");
        provider.refuseNextRefresh();
        as(tenant).post("/v1/grants/" + id + "/refresh").then().statusCode(200).body("status", equalTo("NEEDS_REAUTHORIZATION"));
        assertThat(provider.refreshCalls()).isEqualTo(4);
    }

    @Test
    void aLeaseEndsWhileTheTokenIsStillGoodSoADeadReplicasGrantsAreTakenOverInTime() throws Exception {
        provider.lifetimes(16L, 600);
        String id = exchangeNew("2088000000000031");
        Instant expiresAt = Instant.parse(as(tenant).get("/v1/grants/" + id).path("accessExpiresAt"));
        makeDue(id);
        // a replica claims the grant and dies: it neither refreshes it nor renews the lease
        assertThat(refresher.claimDue("dead-replica", 1000)).contains(id);
        Instant leaseUntil = leaseUntil(id);
        assertThat(leaseUntil).as("the lease ends well before the token does").isBefore(expiresAt.minusSeconds(2));

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> refresher.claimDue("live-replica", 1000).contains(id));
        assertThat(refresher.refresh(id, "live-replica")).isEqualTo(Refresher.Outcome.REFRESHED);
        assertThat(Instant.now()).as("taken over and refreshed before the token expired").isBefore(expiresAt);
        as(tenant).get("/v1/grants/" + id).then().body("tokenVersion", equalTo(2));
    }

    @Test
    void aLiveReplicaRenewsTheLeasesOfTheGrantsItIsRefreshing() throws Exception {
        provider.lifetimes(20L, 600);
        String working = exchangeNew("2088000000000032");
        String abandoned = exchangeNew("2088000000000033");
        assertThat(refresher.claimOne(working, "live-replica", null)).isTrue();
        makeDue(abandoned);
        assertThat(refresher.claimDue("dead-replica", 1000)).contains(abandoned);
        Instant workingLease = leaseUntil(working);
        Instant abandonedLease = leaseUntil(abandoned);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .alias("renewed while the refresh is under way").until(() -> leaseUntil(working).isAfter(workingLease));
        assertThat(leaseUntil(abandoned)).as("a dead replica's lease is not renewed").isEqualTo(abandonedLease);
        assertThat(refresher.refresh(working, "live-replica")).isEqualTo(Refresher.Outcome.REFRESHED);
        assertThat(dump("select lease_owner from token_grant where id = '" + working + "'")).isEqualTo("null|");
    }

    private Instant leaseUntil(String id) throws Exception {
        return Instant.parse(dump("select lease_until from token_grant where id = '" + id + "'").replace("|", ""));
    }

    @Test
    void grantsWithoutExpiryGetALivenessCheckSchedule() {
        provider.lifetimes(null, 600);
        Response grant = exchange(provider.consent("2088000000000010"));
        grant.then().statusCode(201);
        assertThat((Object) grant.path("accessExpiresAt")).isNull();
        Instant next = Instant.parse(grant.path("nextRefreshAt"));
        // liveness interval 12 h, at most a tenth earlier
        assertThat(next).isBetween(Instant.now().plus(Duration.ofMinutes(640)), Instant.now().plus(Duration.ofHours(12)));
        as(tenant).get("/v1/grants/" + (String) grant.path("id") + "/token").then().statusCode(200).body("expiresAt", equalTo(null));
    }

    @Test
    void listFiltersRevokesAndRefusesBadInput() {
        String a = exchangeNew("2088000000000011");
        String b = exchangeNew("2088000000000012");
        as(tenant).body(Map.of("reason", "merchant left")).post("/v1/grants/" + b + "/revoke").then().statusCode(200)
                .body("status", equalTo("REVOKED"));
        as(tenant).get("/v1/grants?status=active").then().statusCode(200).body("items.id", equalTo(List.of(a)));
        as(tenant).get("/v1/grants?merchantId=2088000000000012").then().body("items.status", equalTo(List.of("REVOKED")));
        Response page = as(tenant).get("/v1/grants?limit=1");
        page.then().body("items.size()", equalTo(1));
        as(tenant).get("/v1/grants?limit=1&after=" + page.path("nextAfter")).then().body("items.size()", equalTo(1))
                .body("nextAfter", equalTo(null));

        as(tenant).get("/v1/grants?status=sleeping").then().statusCode(400).body("code", equalTo("STATUS_INVALID"));
        as(tenant).get("/v1/grants?limit=0").then().statusCode(400);
        as(tenant).get("/v1/grants/nope").then().statusCode(404);
        as(tenant).body(Map.of("provider", "Alipay!", "appId", "x", "environment", "moon", "code", "a b")).post("/v1/grants/exchange")
                .then().statusCode(400);
        as(tenant).body("{").post("/v1/grants/exchange").then().statusCode(400);
        as(tenant).get("/v1/grants").then().body("items.size()", equalTo(2));
    }

    // --- helpers over the real tables

    private String claim(String id) {
        String owner = "test-" + UUID.randomUUID();
        assertThat(refresher.claimOne(id, owner, null)).isTrue();
        return owner;
    }

    private void makeDue(String id) throws Exception {
        update("update token_grant set next_refresh_at = now() - interval '1 second' where id = '" + id + "'");
    }

    private void update(String sql) throws Exception {
        try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.executeUpdate();
        }
    }

    private List<String> eventTypes(String grantId) throws Exception {
        List<String> types = new ArrayList<>();
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement("select event_type from outbox_event where aggregate_id = ? order by id")) {
            statement.setString(1, grantId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    types.add(rows.getString(1));
                }
            }
        }
        return types;
    }

    /** Every column of every row as text (bytea as raw bytes), to look for plaintext. */
    private String dump(String sql) throws Exception {
        StringBuilder text = new StringBuilder();
        try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            int columns = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                for (int i = 1; i <= columns; i++) {
                    Object value = rows.getObject(i);
                    text.append(value instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1)
                            : value instanceof Timestamp ts ? ts.toInstant().toString() : String.valueOf(value)).append('|');
                }
            }
        }
        return text.toString();
    }
}
