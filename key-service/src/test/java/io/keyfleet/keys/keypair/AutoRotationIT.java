package io.keyfleet.keys.keypair;

import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.KeyExpiring;
import io.keyfleet.keys.support.KeyEvents;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The auto-rotation policy: KeyExpiring ahead of time, then a new version when due. Time is moved by ageing the row. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class AutoRotationIT {

    @Inject
    EntityManager entityManager;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void warnsBeforeTheRotationIsDueThenRotates() {
        String tenant = newTenant();
        String keyId = as(tenant).contentType(ContentType.JSON)
                .body("{\"provider\":\"alipay\",\"appId\":\"auto-app\",\"environment\":\"SANDBOX\",\"policy\":{\"rotateAfterDays\":30,\"warnDaysBefore\":7}}")
                .post("/v1/keys").then().statusCode(201).extract().path("keyId");

        age(keyId, Duration.ofDays(24));
        List<EventEnvelope> events = KeyEvents.of(bootstrapServers, keyId, found -> found.stream().anyMatch(e -> e.type().equals("KeyExpiring")));
        KeyExpiring expiring = EventCodec.payload(events.get(events.size() - 1), KeyExpiring.class);
        assertThat(expiring.version()).isEqualTo(1);
        as(tenant).get("/v1/keys/{k}", keyId).then().body("currentVersion", equalTo(1));

        age(keyId, Duration.ofDays(7));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                as(tenant).get("/v1/keys/{k}", keyId).then().body("currentVersion", equalTo(2)).body("versions[0].state", equalTo("PREVIOUS")));
        assertThat(KeyEvents.of(bootstrapServers, keyId, found -> found.stream().anyMatch(e -> e.type().equals("KeyRotated"))))
                .extracting(EventEnvelope::type).containsExactly("KeyCreated", "KeyExpiring", "KeyRotated");
    }

    @Test
    void importedPublicKeysAreNeverRotatedByTheJob() throws Exception {
        String tenant = newTenant();
        var generator = java.security.KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String publicKey = java.util.Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded());
        String keyId = as(tenant).contentType(ContentType.JSON)
                .body("{\"provider\":\"alipay\",\"appId\":\"imported-auto\",\"environment\":\"SANDBOX\",\"publicKey\":\"" + publicKey
                        + "\",\"policy\":{\"rotateAfterDays\":30}}")
                .post("/v1/keys/import").then().statusCode(201).extract().path("keyId");
        // a generated key with the same policy, aged after the imported one: the run that rotates it looked at the
        // imported key too; aged again, it is rotated by a later run, which began after that run had ended
        String generated = as(tenant).contentType(ContentType.JSON)
                .body("{\"provider\":\"alipay\",\"appId\":\"generated-auto\",\"environment\":\"SANDBOX\",\"policy\":{\"rotateAfterDays\":30}}")
                .post("/v1/keys").then().statusCode(201).extract().path("keyId");
        age(keyId, Duration.ofDays(40));
        for (int version = 2; version <= 3; version++) {
            age(generated, Duration.ofDays(40));
            int expected = version;
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    as(tenant).get("/v1/keys/{k}", generated).then().body("currentVersion", equalTo(expected)));
        }
        as(tenant).get("/v1/keys/{k}", keyId).then().body("currentVersion", equalTo(1));
    }

    private void age(String keyId, Duration by) {
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                        "update app_key_version set promoted_at = promoted_at - make_interval(secs => ?1) where key_id = ?2")
                .setParameter(1, (double) by.toSeconds()).setParameter(2, UUID.fromString(keyId)).executeUpdate());
    }
}
