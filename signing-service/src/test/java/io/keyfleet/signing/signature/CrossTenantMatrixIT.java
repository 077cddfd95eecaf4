package io.keyfleet.signing.signature;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.events.KeyCreated;
import io.keyfleet.events.ProviderKeyUpdated;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.OpenApiOperations;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.security.KeyPair;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Tenant boundaries of every signing-service endpoint (issue 15): tenant B asks for tenant A's key versions, signs
 * with A's app key, verifies with A's provider key, one at a time and in batches. Each operation of the OpenAPI
 * document has a row, so a new endpoint without one fails this test. What B gets for A's key must read exactly as what it
 * gets for a key that does not exist (the ids B named aside). Single-service tests run without key-service, so
 * the tenant a request acts for is its X-Keyfleet-Tenant header, exactly what a tenant's verified credential gives the
 * endpoints (key-service's CrossTenantMatrixIT and service-kit's AuthFilterIT test that a credential acts only for its
 * tenant). key-service's answers come from {@link StubbedKeyService}, which hands a tenant only its own keys and app secrets
 * (B encrypting or decrypting with A's content key gets what it gets for an app without one).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "signing_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubbedKeyService.class)
class CrossTenantMatrixIT {

    /** Tenant A's app key (alipay, appId, SANDBOX) and a notification signed with A's provider key. */
    private record Fixture(String tenantA, String tenantB, String keyId, String appId, Map<String, String> notificationOfA,
                           String ciphertextOfA) {
    }

    /** What B gets: status, and the problem code (or, for batches, the item's code) at {@code codePath}. */
    private record Row(BiFunction<RequestSpecification, Fixture, Response> call, int status, String codePath, String code) {
    }

    private static final Map<String, Row> ROWS = new LinkedHashMap<>();

    static {
        ROWS.put("GET /v1/keys/{keyId}/versions", new Row((s, f) -> s.get("/v1/keys/{k}/versions", f.keyId()), 404, "code",
                "KEY_NOT_FOUND"));
        ROWS.put("POST /v1/sign", new Row((s, f) -> s.body(SignatureApiIT.rsa2Request(f.appId(), "SANDBOX")).post("/v1/sign"), 404,
                "code", "KEY_NOT_FOUND"));
        ROWS.put("POST /v1/sign/batch", new Row((s, f) -> s.body(Map.of("items", List.of(SignatureApiIT.rsa2Request(f.appId(), "SANDBOX"))))
                .post("/v1/sign/batch"), 200, "results[0].error.code", "KEY_NOT_FOUND"));
        ROWS.put("POST /v1/verify", new Row((s, f) -> s.body(SignatureApiIT.verifyNotification(f.notificationOfA())).post("/v1/verify"),
                404, "code", "PROVIDER_KEY_NOT_FOUND"));
        ROWS.put("POST /v1/verify/batch", new Row((s, f) -> s.body(Map.of("items", List.of(SignatureApiIT.verifyNotification(
                f.notificationOfA())))).post("/v1/verify/batch"), 200, "results[0].reason", "PROVIDER_KEY_NOT_FOUND"));
        ROWS.put("POST /v1/encrypt", new Row((s, f) -> s.body(Map.of("key", Map.of("provider", "alipay", "appId", f.appId(),
                "environment", "SANDBOX"), "plaintext", "{\"a\":1}")).post("/v1/encrypt"), 404, "code", "SECRET_NOT_FOUND"));
        ROWS.put("POST /v1/decrypt", new Row((s, f) -> s.body(Map.of("key", Map.of("provider", "alipay", "appId", f.appId(),
                "environment", "SANDBOX"), "ciphertext", f.ciphertextOfA())).post("/v1/decrypt"), 404, "code", "SECRET_NOT_FOUND"));
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void tenantBSignsAndVerifiesWithNoneOfTenantAsKeys() throws Exception {
        assertThat(ROWS.keySet()).as("every operation of signing-service's OpenAPI has a row")
                .containsExactlyInAnyOrderElementsOf(OpenApiOperations.of(given().get("/q/openapi?format=json").then().statusCode(200)
                        .extract().asString()));
        String tenantA = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String tenantB = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String appId = "cross-" + UUID.randomUUID().toString().substring(0, 8);
        String keyId = UUID.randomUUID().toString();
        KeyPair appKey = StubbedKeyService.rsa();
        StubbedKeyService.add(keyId, tenantA, "alipay", appId, "SANDBOX", 1, appKey);
        BrokerEvents.publish(bootstrapServers, tenantA, new KeyCreated(keyId, "alipay", appId, "SANDBOX", 1, "RSA_2048",
                StubbedKeyService.fingerprint(appKey), StubbedKeyService.publicKey(appKey), true));
        KeyPair alipay = StubbedKeyService.rsa();
        String providerKeyId = UUID.randomUUID().toString();
        StubbedKeyService.addProviderKey(providerKeyId, tenantA, "alipay", "SANDBOX", 1, alipay);
        BrokerEvents.publish(bootstrapServers, tenantA, new ProviderKeyUpdated(providerKeyId, "alipay", "SANDBOX", 1,
                StubbedKeyService.fingerprint(alipay), StubbedKeyService.publicKey(alipay), null, null));
        // signing-service has heard of A's key: B's refusals below are not just a key still on its way
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                as(tenantA).get("/v1/keys/{k}/versions", keyId).then().statusCode(200).body("size()", equalTo(1)));
        Map<String, String> notification = SignatureApiIT.notification(alipay, "cross-" + UUID.randomUUID(),
                LocalDateTime.now(ZoneOffset.ofHours(8)));
        byte[] contentKey = new byte[16];
        new java.security.SecureRandom().nextBytes(contentKey);
        StubbedKeyService.addSecret(UUID.randomUUID().toString(), tenantA, "alipay", appId, "SANDBOX", "AES", 1, contentKey, Duration.ofHours(1));
        String ciphertext = io.keyfleet.signing.scheme.AlipayAesContent.encrypt("{\"of\":\"A\"}", contentKey,
                java.nio.charset.StandardCharsets.UTF_8, io.keyfleet.signing.scheme.AlipayAesContent.Type.AES);
        Fixture f = new Fixture(tenantA, tenantB, keyId, appId, notification, ciphertext);

        // a key and app nobody has, and a notification of another provider key: A's must read exactly the same to B
        Fixture ghost = new Fixture(tenantA, tenantB, UUID.randomUUID().toString(), "cross-" + UUID.randomUUID().toString().substring(0, 8),
                SignatureApiIT.notification(StubbedKeyService.rsa(), "cross-" + UUID.randomUUID(), LocalDateTime.now(ZoneOffset.ofHours(8))),
                ciphertext);

        List<String> wrong = new ArrayList<>();
        ROWS.forEach((operation, row) -> {
            Response response = row.call().apply(as(tenantB), f);
            Response forGhost = row.call().apply(as(tenantB), ghost);
            String code = response.getContentType() != null && response.getContentType().contains("json")
                    ? response.jsonPath().getString(row.codePath()) : null;
            if (response.statusCode() != row.status() || !row.code().equals(code)) {
                wrong.add(operation + ": expected " + row.status() + " " + row.code() + ", got " + response.statusCode() + " " + response.asString());
            }
            if (!normalized(response, f).equals(normalized(forGhost, ghost))) {
                wrong.add(operation + ": A's key answers otherwise than a key that does not exist: " + response.asString() + " / "
                        + forGhost.asString());
            }
        });
        assertThat(wrong).isEmpty();

        // A's key signs for A, and B's attempts did not use up A's notification
        as(tenantA).body(SignatureApiIT.rsa2Request(appId, "SANDBOX")).post("/v1/sign").then().statusCode(200)
                .body("keyId", equalTo(keyId));
        as(tenantA).body(SignatureApiIT.verifyNotification(notification)).post("/v1/verify").then().statusCode(200)
                .body("valid", equalTo(true));
        as(tenantA).body(Map.of("key", Map.of("provider", "alipay", "appId", appId, "environment", "SANDBOX"), "ciphertext", ciphertext))
                .post("/v1/decrypt").then().statusCode(200).body("plaintext", equalTo("{\"of\":\"A\"}"));
    }

    /** The answer with the key and app ids it was asked about as {key} and {app}, and without its request id. */
    private static String normalized(Response response, Fixture f) {
        return response.statusCode() + " " + response.asString().replace(f.keyId(), "{key}").replace(f.appId(), "{app}")
                .replaceAll("\"requestId\":\"[^\"]*\"", "");
    }

    private static RequestSpecification as(String tenantId) {
        return given().header("X-Keyfleet-Tenant", tenantId).contentType(ContentType.JSON);
    }
}
