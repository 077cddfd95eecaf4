package io.keyfleet.signing.keycache;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.KeyCreated;
import io.keyfleet.events.KeyRevoked;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.signing.signature.StubbedKeyService;
import io.keyfleet.testkit.KafkaClients;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Key events as key-service publishes them, over a real broker, handled once each for the key-version table: the
 * table holds what key-service ({@link StubbedKeyService}) answers about the key an event names.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "signing_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubbedKeyService.class)
class KeyEventsConsumerIT {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void createdThenRotatedThenRevokedEvenWhenDeliveredTwice() throws Exception {
        String keyId = UUID.randomUUID().toString();
        KeyPair v1 = StubbedKeyService.rsa();
        KeyPair v2 = StubbedKeyService.rsa();
        StubbedKeyService.add(keyId, "tenant-s", "alipay", "app-1", "SANDBOX", 1, v1);
        StubbedKeyService.add(keyId, "tenant-s", "alipay", "app-1", "SANDBOX", 2, v2);
        EventEnvelope created = EventEnvelope.wrap("tenant-s", new KeyCreated(keyId, "alipay", "app-1", "SANDBOX", 1,
                "RSA_2048", StubbedKeyService.fingerprint(v1), StubbedKeyService.publicKey(v1), false), Instant.now());
        EventEnvelope rotated = EventEnvelope.wrap("tenant-s", new KeyRotated(keyId, "alipay", "app-1", "SANDBOX", 1, 2,
                "RSA_2048", StubbedKeyService.fingerprint(v2), StubbedKeyService.publicKey(v2), Instant.now().plus(Duration.ofHours(1))), Instant.now());

        try (KafkaProducer<String, String> producer = producer()) {
            send(producer, created);
            send(producer, rotated);
            send(producer, created); // a redelivery must not turn version 1 back into CURRENT
        }

        // the first events this application consumes: its consumer joins the group first (slow on a loaded machine)
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                given().header("X-Keyfleet-Tenant", "tenant-s").get("/v1/keys/{k}/versions", keyId).then().statusCode(200)
                        .body("size()", equalTo(2))
                        .body("[0].state", equalTo("PREVIOUS"))
                        .body("[0].validUntil", org.hamcrest.Matchers.notNullValue())
                        .body("[1].state", equalTo("CURRENT"))
                        .body("[1].fingerprint", equalTo(StubbedKeyService.fingerprint(v2))));

        StubbedKeyService.revoke(keyId);
        try (KafkaProducer<String, String> producer = producer()) {
            send(producer, EventEnvelope.wrap("tenant-s", new KeyRevoked(keyId, 0, "compromised"), Instant.now()));
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                given().header("X-Keyfleet-Tenant", "tenant-s").get("/v1/keys/{k}/versions", keyId).then().statusCode(200)
                        .body("state", org.hamcrest.Matchers.everyItem(equalTo("REVOKED"))));

        given().header("X-Keyfleet-Tenant", "other-tenant").get("/v1/keys/{k}/versions", keyId)
                .then().statusCode(404).contentType("application/problem+json").body("code", equalTo("KEY_NOT_FOUND"));
    }

    @Test
    void anUnreadableEventIsSkippedAndTheNextOneStillApplies() throws Exception {
        String keyId = UUID.randomUUID().toString();
        KeyPair pair = StubbedKeyService.rsa();
        StubbedKeyService.add(keyId, "tenant-s", "antom", "app-2", "PRODUCTION", 1, pair);
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("keyfleet.keys.v1", keyId, "{not json")).get();
            send(producer, EventEnvelope.wrap("tenant-s", new KeyCreated(keyId, "antom", "app-2", "PRODUCTION", 1,
                    "RSA_2048", StubbedKeyService.fingerprint(pair), StubbedKeyService.publicKey(pair), true), Instant.now()));
        }
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> // perhaps the first events this application consumes
                given().header("X-Keyfleet-Tenant", "tenant-s").get("/v1/keys/{k}/versions", keyId).then().statusCode(200)
                        .body("[0].environment", equalTo("PRODUCTION")));
    }

    private static void send(KafkaProducer<String, String> producer, EventEnvelope envelope) throws Exception {
        producer.send(new ProducerRecord<>(envelope.topic(), envelope.aggregateId(), EventCodec.encode(envelope))).get();
    }

    private KafkaProducer<String, String> producer() {
        return KafkaClients.producer(bootstrapServers);
    }
}
