package io.keyfleet.keys.keypair;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.KeyCreated;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.events.Topics;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class AppKeyResourceIT {

    @Inject
    EntityManager entityManager;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void generatesAPairShowsThePrivateKeyOnceAndRotatesWithAGracePeriod() throws Exception {
        String tenant = newTenant();
        JsonPath created = given().contentType(ContentType.JSON)
                .body("{\"provider\":\"alipay\",\"appId\":\"2021000000000001\",\"environment\":\"SANDBOX\"}")
                .post("/v1/tenants/{t}/keys", tenant)
                .then().statusCode(201).header("Location", containsString("/keys/"))
                .body("version", equalTo(1))
                .body("privateKeyPem", containsString("-----BEGIN PRIVATE KEY-----"))
                .extract().jsonPath();
        String keyId = created.getString("keyId");

        byte[] spki = Base64.getDecoder().decode(created.getString("publicKeyBase64"));
        RSAPublicKey publicKey = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(spki));
        assertThat(publicKey.getModulus().bitLength()).isEqualTo(2048);
        assertThat(created.getString("fingerprint")).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(spki)));
        assertPrivateKeySignsForPublicKey(created.getString("privateKeyPem"), publicKey);

        given().get("/v1/tenants/{t}/keys/{k}", tenant, keyId)
                .then().statusCode(200)
                .body("currentVersion", equalTo(1))
                .body("versions", hasSize(1))
                .body(not(containsString("PRIVATE")));

        JsonPath rotated = given().post("/v1/tenants/{t}/keys/{k}/rotate", tenant, keyId)
                .then().statusCode(200).body("version", equalTo(2)).extract().jsonPath();
        assertThat(rotated.getString("fingerprint")).isNotEqualTo(created.getString("fingerprint"));

        JsonPath view = given().get("/v1/tenants/{t}/keys/{k}", tenant, keyId).then().statusCode(200).extract().jsonPath();
        assertThat(view.getInt("currentVersion")).isEqualTo(2);
        assertThat(view.getString("versions[0].state")).isEqualTo("PREVIOUS");
        assertThat(Instant.parse(view.getString("versions[0].validUntil")))
                .isBetween(Instant.now().plus(Duration.ofHours(23)), Instant.now().plus(Duration.ofHours(25)));
        assertThat(view.getString("versions[1].state")).isEqualTo("CURRENT");

        List<EventEnvelope> events = eventsOf(keyId, 2);
        assertThat(events).extracting(EventEnvelope::type).containsExactly("KeyCreated", "KeyRotated");
        KeyCreated keyCreated = EventCodec.payload(events.get(0), KeyCreated.class);
        assertThat(keyCreated.fingerprint()).isEqualTo(created.getString("fingerprint"));
        KeyRotated keyRotated = EventCodec.payload(events.get(1), KeyRotated.class);
        assertThat(keyRotated.previousVersion()).isEqualTo(1);
        assertThat(keyRotated.newVersion()).isEqualTo(2);
        assertThat(events).allSatisfy(event -> assertThat(EventCodec.encode(event))
                .doesNotContain("PRIVATE").doesNotContain(created.getString("privateKeyPem").substring(40, 80)));
    }

    @Test
    void aSecondKeyForTheSameAppAndEnvironmentIsAConflict() {
        String tenant = newTenant();
        String body = "{\"provider\":\"alipay\",\"appId\":\"app-1\",\"environment\":\"PRODUCTION\"}";
        given().contentType(ContentType.JSON).body(body).post("/v1/tenants/{t}/keys", tenant).then().statusCode(201);
        given().contentType(ContentType.JSON).body(body).post("/v1/tenants/{t}/keys", tenant)
                .then().statusCode(409).contentType("application/problem+json").body("code", equalTo("KEY_EXISTS"));
        // the other environment is a different key
        given().contentType(ContentType.JSON).body(body.replace("PRODUCTION", "SANDBOX"))
                .post("/v1/tenants/{t}/keys", tenant).then().statusCode(201);
    }

    @Test
    void badInputIsAProblemAndWritesNothing() {
        String tenant = newTenant();
        long keysBefore = count("app_key");
        long eventsBefore = count("outbox_event");

        given().contentType(ContentType.JSON).body("{\"provider\":\"alipay\",")
                .post("/v1/tenants/{t}/keys", tenant)
                .then().statusCode(400).contentType("application/problem+json").body("code", equalTo("MALFORMED_JSON"));
        given().contentType(ContentType.JSON).body("{\"provider\":\"alipay\",\"appId\":\"a\",\"environment\":\"STAGING\"}")
                .post("/v1/tenants/{t}/keys", tenant)
                .then().statusCode(400).body("code", equalTo("INVALID_FIELD_TYPE")).body("detail", containsString("SANDBOX"));
        given().contentType(ContentType.JSON).body("{\"provider\":42,\"appId\":[1],\"environment\":\"SANDBOX\"}")
                .post("/v1/tenants/{t}/keys", tenant)
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"provider\":\"Not A Provider!\",\"appId\":\"a\",\"environment\":\"SANDBOX\"}")
                .post("/v1/tenants/{t}/keys", tenant)
                .then().statusCode(400).body("code", equalTo("VALIDATION_FAILED")).body("errors[0].field", equalTo("provider"));
        given().contentType(ContentType.JSON).body("{\"provider\":\"alipay\",\"appId\":\"a\",\"environment\":\"SANDBOX\"}")
                .post("/v1/tenants/{t}/keys", "no-such-tenant")
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("TENANT_NOT_FOUND"));
        given().contentType(ContentType.JSON).body("{\"provider\":\"alipay\",\"appId\":\"" + "a".repeat(2_000_000) + "\"}")
                .post("/v1/tenants/{t}/keys", tenant)
                .then().statusCode(413).contentType("application/problem+json").body("code", equalTo("PAYLOAD_TOO_LARGE"));
        given().post("/v1/tenants/{t}/keys/{k}/rotate", tenant, UUID.randomUUID())
                .then().statusCode(404).body("code", equalTo("KEY_NOT_FOUND"));
        given().post("/v1/tenants/{t}/keys/not-a-uuid/rotate", tenant)
                .then().statusCode(404).contentType("application/problem+json");

        assertThat(count("app_key")).isEqualTo(keysBefore);
        assertThat(count("outbox_event")).isEqualTo(eventsBefore);
    }

    @Test
    void anotherTenantsKeyIsNotFound() {
        String owner = newTenant();
        String stranger = newTenant();
        String keyId = given().contentType(ContentType.JSON)
                .body("{\"provider\":\"antom\",\"appId\":\"app-9\",\"environment\":\"SANDBOX\"}")
                .post("/v1/tenants/{t}/keys", owner).then().statusCode(201).extract().path("keyId");
        given().get("/v1/tenants/{t}/keys/{k}", stranger, keyId).then().statusCode(404).body("code", equalTo("KEY_NOT_FOUND"));
        given().post("/v1/tenants/{t}/keys/{k}/rotate", stranger, keyId).then().statusCode(404);
    }

    private static String newTenant() {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body("{\"id\":\"" + id + "\",\"name\":\"Tenant " + id + "\"}")
                .post("/v1/tenants").then().statusCode(201).body("id", equalTo(id)).body("createdAt", notNullValue());
        return id;
    }

    private long count(String table) {
        return QuarkusTransaction.requiringNew().call(() ->
                ((Number) entityManager.createNativeQuery("select count(*) from " + table).getSingleResult()).longValue());
    }

    private List<EventEnvelope> eventsOf(String keyId, int expected) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", "key-service-test-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        List<EventEnvelope> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of(Topics.KEYS));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (keyId.equals(record.key())) {
                        found.add(EventCodec.decode(record.value()));
                    }
                }
                return found.size() >= expected;
            });
        }
        return found;
    }

    private static void assertPrivateKeySignsForPublicKey(String privateKeyPem, RSAPublicKey publicKey) throws Exception {
        String base64 = privateKeyPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        var privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(privateKey);
        signer.update("hello".getBytes());
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update("hello".getBytes());
        assertThat(verifier.verify(signature)).isTrue();
    }
}
