package io.keyfleet.keys.onetime;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import static io.keyfleet.keys.support.Tenancy.admin;
import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static io.keyfleet.keys.support.OneTimeClient.clientEncrypt;
import static io.keyfleet.keys.support.OneTimeClient.encrypt;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * applyPublicKey end to end. The client side is plain JDK: it encrypts UTF-8(salt + password) with the returned key
 * using RSA/ECB/OAEPWithSHA-256AndMGF1Padding (the documented contract, see {@link OneTimeKeys}).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class OneTimeKeyIT {

    private static final String APPLY = "/ams/api/v1/customer/applyPublicKey";
    private static final String DECRYPT = "/internal/v1/onetime/decrypt";

    @Inject
    EntityManager entityManager;

    @Inject
    OneTimeKeys oneTimeKeys;

    @Test
    void aCiphertextMadeWithTheKeyAndSaltDecryptsExactlyOnce() throws Exception {
        long auditBefore = count("audit_record where action = 'onetime.decrypt'");
        JsonPath applied = apply("{\"customerId\":\"2188000012345678\"}");
        assertThat(applied.getString("result.resultStatus")).isEqualTo("S");
        assertThat(applied.getString("result.resultCode")).isEqualTo("SUCCESS");
        String uniqueId = applied.getString("publicKeyInfo.uniqueId");
        String salt = applied.getString("publicKeyInfo.salt");
        assertThat(Base64.getDecoder().decode(salt)).hasSize(16);
        assertThat(uniqueId).matches("[A-Za-z0-9_-]{22}");

        String password = "correct horse battery staple ✓";
        String ciphertext = clientEncrypt(applied, password);

        decrypt(uniqueId, ciphertext).then().statusCode(200).body("password", equalTo(password));
        decrypt(uniqueId, ciphertext).then().statusCode(409).body("code", equalTo("ONE_TIME_KEY_USED"))
                .body(not(containsString(password)));

        assertThat(state(uniqueId)).isEqualTo("USED");
        assertThat(secretDestroyed(uniqueId)).isTrue();
        assertThat(count("audit_record where action = 'onetime.decrypt'")).isEqualTo(auditBefore + 2);
        assertThat(count("audit_record where action = 'onetime.decrypt' and outcome = 'REFUSED' and detail = 'USED'"))
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void anExpiredKeyIsRefusedAndDestroyed() throws Exception {
        JsonPath applied = apply("{}");
        String uniqueId = applied.getString("publicKeyInfo.uniqueId");
        String ciphertext = clientEncrypt(applied, "pw");
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "update one_time_key set expires_at = now() - interval '1 second' where unique_id = ?1")
                .setParameter(1, uniqueId).executeUpdate());

        decrypt(uniqueId, ciphertext).then().statusCode(410).body("code", equalTo("ONE_TIME_KEY_EXPIRED"));
        decrypt(uniqueId, ciphertext).then().statusCode(410).body("code", equalTo("ONE_TIME_KEY_EXPIRED"));
        assertThat(state(uniqueId)).isEqualTo("EXPIRED");
        assertThat(secretDestroyed(uniqueId)).isTrue();
    }

    @Test
    void theCleanupDestroysExpiredUnusedKeys() {
        String uniqueId = apply("").getString("publicKeyInfo.uniqueId");
        assertThat(secretDestroyed(uniqueId)).isFalse();
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                "update one_time_key set expires_at = now() - interval '1 minute' where unique_id = ?1")
                .setParameter(1, uniqueId).executeUpdate());
        while (oneTimeKeys.destroyExpired(100) == 100) {
            // drain
        }
        assertThat(state(uniqueId)).isEqualTo("EXPIRED");
        assertThat(secretDestroyed(uniqueId)).isTrue();
    }

    @Test
    void aWrongSaltFailsAndBurnsTheKey() throws Exception {
        JsonPath applied = apply("{}");
        String uniqueId = applied.getString("publicKeyInfo.uniqueId");
        String withoutSalt = encrypt(applied.getString("publicKeyInfo.publicKey"), "only the password");
        decrypt(uniqueId, withoutSalt).then().statusCode(400).body("code", equalTo("DECRYPT_FAILED"))
                .body(not(containsString("only the password")));
        decrypt(uniqueId, clientEncrypt(applied, "pw")).then().statusCode(409).body("code", equalTo("ONE_TIME_KEY_USED"));
        assertThat(state(uniqueId)).isEqualTo("FAILED");
        assertThat(secretDestroyed(uniqueId)).isTrue();
    }

    @Test
    void unknownKeysMissingTokenAndBadRequestsAreRefused() {
        decrypt("no-such-key", Base64.getEncoder().encodeToString(new byte[256])).then().statusCode(404)
                .body("code", equalTo("ONE_TIME_KEY_NOT_FOUND"));
        given().contentType(ContentType.JSON).body("{\"uniqueId\":\"x\",\"ciphertext\":\"AA==\"}").post(DECRYPT)
                .then().statusCode(401).body("code", equalTo("MISSING"));
        String uniqueId = apply("{}").getString("publicKeyInfo.uniqueId");
        decrypt(uniqueId, "not base64 !").then().statusCode(400).body("code", equalTo("INVALID_REQUEST"));
        assertThat(state(uniqueId)).isEqualTo("ISSUED"); // a malformed request does not burn the key
    }

    @Test
    void aOneTimeKeyDecryptsOnlyForTheTenantThatAppliedForIt() throws Exception {
        String tenant = newTenant();
        String other = newTenant();
        JsonPath applied = as(tenant).contentType(ContentType.JSON).body("{}").post(APPLY).then().statusCode(200).extract().jsonPath();
        String uniqueId = applied.getString("publicKeyInfo.uniqueId");
        String body = "{\"uniqueId\":\"" + uniqueId + "\",\"ciphertext\":\"" + clientEncrypt(applied, "s3cret") + "\"}";
        as(other).contentType(ContentType.JSON).body(body).post(DECRYPT).then().statusCode(404).body("code", equalTo("ONE_TIME_KEY_NOT_FOUND"));
        assertThat(state(uniqueId)).isEqualTo("ISSUED"); // another tenant's attempt does not burn it
        as(tenant).contentType(ContentType.JSON).body(body).post(DECRYPT).then().statusCode(200).body("password", equalTo("s3cret"));
    }

    @Test
    void illegalParametersAndMalformedJsonAnswerInTheResultModel() {
        for (String body : List.of("{\"customerId\":\"12345\"}", "{\"customerId\":\"21abc\"}", "{\"customerId\":2188}",
                "{\"customerId\":\"\"}", "{\"customerId\":", "not json", "[1,2]", "\"21\"")) {
            Response response = admin().contentType(ContentType.JSON).body(body).post(APPLY);
            response.then().statusCode(200).contentType(ContentType.JSON)
                    .body("result.resultStatus", equalTo("F"))
                    .body("result.resultCode", equalTo("PARAM_ILLEGAL"))
                    .body("result.resultMessage", org.hamcrest.Matchers.instanceOf(String.class))
                    .body("publicKeyInfo", org.hamcrest.Matchers.nullValue());
            assertThat(response.asString()).doesNotContain("\"status\"").doesNotContain("Exception");
        }
        // the same PARAM_ILLEGAL when the caller forgot the content type
        admin().body("{oops").post(APPLY).then().statusCode(200).body("result.resultCode", equalTo("PARAM_ILLEGAL"));
        // customerId is optional; 21 + digits is fine
        assertThat(apply("{\"customerId\":null}").getString("result.resultCode")).isEqualTo("SUCCESS");
        assertThat(apply("{\"customerId\":\"21\"}").getString("result.resultCode")).isEqualTo("SUCCESS");
    }

    @Test
    void ofTenConcurrentDecryptsOfOneCiphertextExactlyOneSucceeds() throws Exception {
        JsonPath applied = apply("{}");
        String uniqueId = applied.getString("publicKeyInfo.uniqueId");
        String ciphertext = clientEncrypt(applied, "race");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                Callable<Integer> call = () -> {
                    start.await();
                    return decrypt(uniqueId, ciphertext).statusCode();
                };
                results.add(pool.submit(call));
            }
            start.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(9);
        } finally {
            pool.shutdownNow();
        }
        assertThat(state(uniqueId)).isEqualTo("USED");
    }

    private static JsonPath apply(String body) {
        return admin().contentType(ContentType.JSON).body(body).post(APPLY)
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
    }

    private Response decrypt(String uniqueId, String ciphertext) {
        return admin().contentType(ContentType.JSON)
                .body("{\"uniqueId\":\"" + uniqueId + "\",\"ciphertext\":\"" + ciphertext + "\"}").post(DECRYPT);
    }

    private String state(String uniqueId) {
        return QuarkusTransaction.requiringNew().call(() -> (String) entityManager.createNativeQuery(
                "select state from one_time_key where unique_id = ?1").setParameter(1, uniqueId).getSingleResult());
    }

    private boolean secretDestroyed(String uniqueId) {
        return QuarkusTransaction.requiringNew().call(() -> (Boolean) entityManager.createNativeQuery(
                "select destroyed_at is not null and ciphertext is null from secret_version where path = ?1 and version = 1")
                .setParameter(1, "onetime/" + uniqueId).getSingleResult());
    }

    private long count(String fromWhere) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager.createNativeQuery(
                "select count(*) from " + fromWhere).getSingleResult()).longValue());
    }
}
