package io.keyfleet.tokens.grant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.Map;
import java.util.UUID;
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
        return as(tenant).body(Map.of("provider", "alipay", "appId", "2021000000000001", "environment", "sandbox", "code", code))
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

    @Test
    void aNewAuthorizationOfTheSameMerchantRenewsTheGrant() {
        String id = exchangeNew("2088000000000003");
        String again = exchange(provider.consent("2088000000000003")).then().statusCode(201)
                .body("tokenVersion", equalTo(2)).extract().path("id");
        assertThat(again).isEqualTo(id);
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
    void anExpiredTokenThatCannotBeRefreshedIsA409NotAStaleToken() {
        provider.lifetimes(1L, 600);
        String id = exchangeNew("2088000000000006");
        provider.mode(Mode.FAIL_RETRYABLE);
        as(tenant).get("/v1/grants/" + id + "/token").then().statusCode(409).body("code", equalTo("TOKEN_EXPIRED"));
        Response grant = as(tenant).get("/v1/grants/" + id);
        grant.then().body("status", equalTo("ACTIVE")).body("failedAttempts", equalTo(1)).body("lastError", startsWith("HTTP_502"));
        assertThat(Instant.parse(grant.path("nextRefreshAt"))).isAfter(Instant.now().minusSeconds(1));

        // while backing off, reads do not call the provider again (no retry storm from readers)
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
        List<Long> delays = new ArrayList<>();
        for (int attempt = 1; attempt <= 3; attempt++) {
            makeDue(id);
            refresher.refresh(id, claim(id));
            Instant next = Instant.parse(as(tenant).get("/v1/grants/" + id).then().body("failedAttempts", equalTo(attempt))
                    .extract().path("nextRefreshAt"));
            delays.add(Duration.between(Instant.now(), next).toMillis());
        }
        // backoff 1 s, 2 s, 4 s (capped at 4 s in tests), each a random half to all of it
        assertThat(delays.get(0)).isBetween(0L, 1000L);
        assertThat(delays.get(1)).isBetween(500L, 2000L);
        assertThat(delays.get(2)).isBetween(1500L, 4000L);

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
