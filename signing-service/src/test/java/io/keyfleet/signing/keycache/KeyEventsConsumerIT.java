package io.keyfleet.signing.keycache;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.KeyCreated;
import io.keyfleet.events.KeyRevoked;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.testkit.KafkaClients;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Key events as key-service publishes them, over a real broker, applied once each to the key-version table. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "signing_service"))
@QuarkusTestResource(KafkaTestResource.class)
class KeyEventsConsumerIT {

    private static final String PUBLIC_KEY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void createdThenRotatedThenRevokedEvenWhenDeliveredTwice() throws Exception {
        String keyId = UUID.randomUUID().toString();
        Instant graceEnd = Instant.parse("2030-01-01T00:00:00Z");
        EventEnvelope created = EventEnvelope.wrap("tenant-s", new KeyCreated(keyId, "alipay", "app-1", "SANDBOX", 1,
                "RSA_2048", "a".repeat(64), PUBLIC_KEY, false), Instant.now());
        EventEnvelope rotated = EventEnvelope.wrap("tenant-s", new KeyRotated(keyId, "alipay", "app-1", "SANDBOX", 1, 2,
                "RSA_2048", "b".repeat(64), PUBLIC_KEY, graceEnd), Instant.now());

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
                        .body("[0].validUntil", equalTo("2030-01-01T00:00:00Z"))
                        .body("[1].state", equalTo("CURRENT"))
                        .body("[1].fingerprint", equalTo("b".repeat(64))));

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
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>("keyfleet.keys.v1", keyId, "{not json")).get();
            send(producer, EventEnvelope.wrap("tenant-s", new KeyCreated(keyId, "antom", "app-2", "PRODUCTION", 1,
                    "RSA_2048", "c".repeat(64), PUBLIC_KEY, true), Instant.now()));
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
