package io.keyfleet.tokens.crypto;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.keyfleet.tokens.FakeProvider;
import io.keyfleet.tokens.grant.Grant;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: rotating the token key. The test configuration holds key 2 (active) and key 1, the single key of earlier
 * versions (application.properties); grants are put under key 1 as an earlier version wrote them.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "token_service"))
@QuarkusTestResource(KafkaTestResource.class)
class TokenKeyRotationIT {

    /** Key 1 of the test configuration. */
    private static final String KEY_1 = "dGVzdC1vbmx5LWtleS0tMzItYnl0ZXMtLS0tLS0tLS0=";
    private static final String KEY_2 = "dGVzdC1vbmx5LXRva2VuLWtleS0yLS0tLS0tLS0tLS0=";

    @Inject
    FakeProvider provider;

    @Inject
    TokenKeyRotation rotation;

    @Inject
    TokenCipher cipher;

    @Inject
    EntityManager em;

    @Inject
    AgroalDataSource database;

    @Inject
    MeterRegistry registry;

    private final TokenCipher previousVersion = new TokenCipher(TokenKeys.parse(KEY_1, "the previous version", Optional.empty()));
    private String tenant;

    @BeforeEach
    void freshTenant() {
        provider.reset();
        tenant = "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void tokensUnderKey1AreReadMovedToKey2AndThenNeedKey1NoMore() throws Exception {
        assertThat(cipher.keys().ids()).containsExactly(1, 2);
        assertThat(cipher.keys().activeId()).isEqualTo(2);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(exchange("2088" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)));
        }
        assertThat(keyIds(ids)).containsOnly(2);
        // as an earlier version stored them: under key 1, in its format
        Map<String, String> tokens = new HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (String id : ids) {
                Grant grant = em.find(Grant.class, id);
                tokens.put(id, grant.accessToken(cipher));
                grant.storeTokens(previousVersion, grant.accessToken(cipher), grant.refreshToken(cipher), grant.previousRefreshToken(cipher));
            }
        });
        // and one inserted by the previous version's code, which does not know the column
        String old = insertLikeThePreviousVersion("at-written-before-key-ids");
        ids.add(old);
        tokens.put(old, "at-written-before-key-ids");
        assertThat(keyIds(ids)).containsOnly(1);

        // readable with key 2 added
        for (String id : ids) {
            as(tenant).get("/v1/grants/" + id + "/token").then().statusCode(200).body("accessToken", equalTo(tokens.get(id)));
        }
        // a refresh reads the refresh token under key 1 and stores the new pair under key 2
        as(tenant).post("/v1/grants/" + ids.get(0) + "/refresh").then().statusCode(200).body("tokenVersion", equalTo(2));
        assertThat(keyIds(List.of(ids.get(0)))).containsOnly(2);
        tokens.put(ids.get(0), as(tenant).get("/v1/grants/" + ids.get(0) + "/token").then().statusCode(200).extract().path("accessToken"));

        // key 1 cannot go yet: a start without it is refused, saying why
        TokenKeys withoutKey1 = TokenKeys.parse("2:" + KEY_2, "test", Optional.empty());
        SortedMap<Integer, Long> before = rotation.count();
        assertThat(before.get(1)).isGreaterThanOrEqualTo(3L);
        assertThat(gauge(1)).isEqualTo(before.get(1).doubleValue());
        assertThatThrownBy(() -> TokenKeyRotation.requireConfigured(before, withoutKey1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("1=" + before.get(1))
                .hasMessageContaining("configured ids [2]").hasMessageNotContaining(KEY_1).hasMessageNotContaining(KEY_2);

        // the background job moves them to key 2
        double movedBefore = registry.get("keyfleet.tokens.reencrypted").counter().count();
        assertThat(rotation.reencrypt(() -> false)).isGreaterThanOrEqualTo(3);
        assertThat(registry.get("keyfleet.tokens.reencrypted").counter().count() - movedBefore).isGreaterThanOrEqualTo(3);
        assertThat(keyIds(ids)).containsOnly(2);
        assertThat(rotation.count()).doesNotContainKey(1);
        assertThat(gauge(1)).isZero();
        for (byte[] value : accessValues(ids)) {
            assertThat(value[0]).isEqualTo((byte) 1);
            assertThat(ByteBuffer.wrap(value, 1, 4).getInt()).as("the value names key 2").isEqualTo(2);
        }
        assertThat(rotation.reencrypt(() -> false)).as("nothing left to move").isZero();

        // key 1 removed: a start is allowed and every token still reads, with key 2 alone
        TokenKeyRotation.requireConfigured(rotation.count(), withoutKey1);
        TokenCipher onlyKey2 = new TokenCipher(withoutKey1);
        QuarkusTransaction.requiringNew().run(() -> {
            for (String id : ids) {
                Grant grant = em.find(Grant.class, id);
                assertThat(grant.accessToken(onlyKey2)).isEqualTo(tokens.get(id));
                assertThat(grant.refreshToken(onlyKey2)).isNotBlank();
            }
        });
        for (String id : ids) {
            as(tenant).get("/v1/grants/" + id + "/token").then().statusCode(200).body("accessToken", equalTo(tokens.get(id)));
        }
        given().get("/q/health/ready").then().body("checks.find { it.name == 'token-keys' }.data.activeKeyId", equalTo(2))
                .body("checks.find { it.name == 'token-keys' }.data.grantsUnderUnconfiguredKeys", equalTo(0));
    }

    @Test
    void aRowWhoseKeyIdWasChangedDoesNotDecrypt() throws Exception {
        String id = exchange("2088" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        String token = as(tenant).get("/v1/grants/" + id + "/token").then().statusCode(200).extract().path("accessToken");
        for (int tampered : new int[] {1, 3}) {
            update("update token_grant set token_key_id = " + tampered + " where id = '" + id + "'");
            String body = as(tenant).get("/v1/grants/" + id + "/token").then().statusCode(500)
                    .body("code", equalTo("INTERNAL_ERROR")).extract().asString();
            assertThat(body).doesNotContain(token);
        }
        update("update token_grant set token_key_id = 2 where id = '" + id + "'");
        as(tenant).get("/v1/grants/" + id + "/token").then().statusCode(200).body("accessToken", equalTo(token));
    }

    private String exchange(String merchant) {
        return as(tenant).body(Map.of("provider", "alipay", "appId", "2021000000000001", "environment", "sandbox",
                "code", provider.consent(merchant))).post("/v1/grants/exchange").then().statusCode(201).extract().path("id");
    }

    private RequestSpecification as(String tenantId) {
        return given().header("X-Keyfleet-Tenant", tenantId).contentType(ContentType.JSON);
    }

    /** A grant as the previous version inserted it: its INSERT names no token_key_id, its tokens are under key 1. */
    private String insertLikeThePreviousVersion(String accessToken) throws Exception {
        String id = "grt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        Instant now = Instant.now();
        try (Connection connection = database.getConnection(); PreparedStatement insert = connection.prepareStatement(
                "insert into token_grant (id, tenant_id, provider, app_id, environment, merchant_id, status, access_token_enc,"
                        + " refresh_token_enc, access_expires_at, generation, created_at, updated_at)"
                        + " values (?, ?, 'alipay', '2021000000000001', 'SANDBOX', ?, 'ACTIVE', ?, ?, ?, 1, ?, ?)")) {
            insert.setString(1, id);
            insert.setString(2, tenant);
            insert.setString(3, "2088" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
            insert.setBytes(4, previousVersion.encrypt(accessToken, id, Grant.ACCESS));
            insert.setBytes(5, previousVersion.encrypt("rt-written-before-key-ids", id, Grant.REFRESH));
            insert.setTimestamp(6, Timestamp.from(now.plusSeconds(3600)));
            insert.setTimestamp(7, Timestamp.from(now));
            insert.setTimestamp(8, Timestamp.from(now));
            insert.executeUpdate();
        }
        return id;
    }

    private List<Integer> keyIds(List<String> ids) throws Exception {
        List<Integer> keys = new ArrayList<>();
        for (Object[] row : rows("select token_key_id, access_token_enc from token_grant where id = any(?)", ids)) {
            keys.add((Integer) row[0]);
        }
        assertThat(keys).hasSameSizeAs(ids);
        return keys;
    }

    private List<byte[]> accessValues(List<String> ids) throws Exception {
        List<byte[]> values = new ArrayList<>();
        for (Object[] row : rows("select token_key_id, access_token_enc from token_grant where id = any(?)", ids)) {
            values.add((byte[]) row[1]);
        }
        return values;
    }

    private List<Object[]> rows(String sql, List<String> ids) throws Exception {
        List<Object[]> rows = new ArrayList<>();
        try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setArray(1, connection.createArrayOf("varchar", ids.toArray()));
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new Object[] {result.getInt(1), result.getBytes(2)});
                }
            }
        }
        return rows;
    }

    private void update(String sql) throws Exception {
        try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.executeUpdate();
        }
    }

    private double gauge(int keyId) {
        return registry.get("keyfleet.tokens.grants.by.key").tag("key", Integer.toString(keyId)).gauge().value();
    }
}
