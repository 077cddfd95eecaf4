package io.keyfleet.signing.signature;

import static io.keyfleet.signing.signature.SignatureApiIT.TENANT;
import static io.keyfleet.signing.signature.SignatureApiIT.awaitKnown;
import static io.keyfleet.signing.signature.SignatureApiIT.notification;
import static io.keyfleet.signing.signature.SignatureApiIT.publicKey;
import static io.keyfleet.signing.signature.SignatureApiIT.rsa2Request;
import static io.keyfleet.signing.signature.SignatureApiIT.sign;
import static io.keyfleet.signing.signature.SignatureApiIT.verify;
import static io.keyfleet.signing.signature.SignatureApiIT.verifyNotification;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.keyfleet.events.DomainEvent;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.KeyCreated;
import io.keyfleet.events.KeyRevoked;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.events.ProviderKeyUpdated;
import io.keyfleet.events.Topics;
import io.keyfleet.signing.keycache.KnownKeyVersion;
import io.keyfleet.signing.keycache.KnownProviderKeyVersion;
import io.keyfleet.signing.scheme.AlipayRsa2Scheme;
import io.keyfleet.testkit.KafkaClients;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, "events are not a way in": anyone who reaches the broker can publish a well-formed key event, headers and
 * all. signing-service takes such an event only as a hint, asks key-service ({@link StubbedKeyService}) for the key's
 * state, and refuses an event that disagrees with it. Forged events change nothing: no attacker key verifies or signs,
 * the tables and the cache hold only what key-service holds, a forged revocation stops nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "signing_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubbedKeyService.class)
class ForgedKeyEventsIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    /** The first event a fresh application consumes also waits for its consumers to join their groups. */
    private static final Duration FIRST_DEADLINE = Duration.ofSeconds(120);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "mp.messaging.incoming.key-events.group.id")
    String tablesGroup;

    @ConfigProperty(name = "mp.messaging.incoming.key-cache-events.group.id")
    String cacheGroup;

    @Inject
    MeterRegistry registry;

    @Test
    void forgedAppKeyEventsChangeNothing_aGenuineRotationAndRevocationStillApply() throws Exception {
        String keyId = UUID.randomUUID().toString();
        KeyPair v1 = StubbedKeyService.rsa();
        StubbedKeyService.add(keyId, TENANT, "alipay", "app-forge", "SANDBOX", 1, v1);
        publish(new KeyCreated(keyId, "alipay", "app-forge", "SANDBOX", 1, "RSA_2048", StubbedKeyService.fingerprint(v1), publicKey(v1), true));
        awaitKnown(keyId, 1);
        sign(rsa2Request("app-forge", "SANDBOX")).then().statusCode(200).body("keyVersion", equalTo(1));

        // a genuine rotation: key-service has version 2 first, then announces it; this replica's cache consumer is live once it signs with it
        KeyPair v2 = StubbedKeyService.rsa();
        StubbedKeyService.add(keyId, TENANT, "alipay", "app-forge", "SANDBOX", 2, v2);
        publish(new KeyRotated(keyId, "alipay", "app-forge", "SANDBOX", 1, 2, "RSA_2048", StubbedKeyService.fingerprint(v2), publicKey(v2),
                Instant.now().plus(Duration.ofHours(1))));
        await().atMost(FIRST_DEADLINE).untilAsserted(() -> sign(rsa2Request("app-forge", "SANDBOX")).then().statusCode(200).body("keyVersion", equalTo(2)));

        Map<String, Double> refusedBefore = refusedCounts();
        KeyPair attacker = StubbedKeyService.rsa();
        String forgedKeyId = UUID.randomUUID().toString();
        publish(new KeyRotated(keyId, "alipay", "app-forge", "SANDBOX", 2, 3, "RSA_2048", StubbedKeyService.fingerprint(attacker),
                publicKey(attacker), Instant.now().plus(Duration.ofDays(90))));
        publish(new KeyRevoked(keyId, KeyRevoked.ALL_VERSIONS, "forged"));
        publish(new KeyCreated(keyId, "alipay", "app-forge", "PRODUCTION", 1, "RSA_2048", StubbedKeyService.fingerprint(v1), publicKey(v1), true));
        publish(new KeyCreated(forgedKeyId, "alipay", "app-forged", "SANDBOX", 1, "RSA_2048", StubbedKeyService.fingerprint(attacker),
                publicKey(attacker), true));
        // a well-formed envelope with a payload that is not a KeyRotated must not stop the consumers either
        BrokerEvents.publish(bootstrapServers, new EventEnvelope(UUID.randomUUID(), "KeyRotated", 1, TENANT, keyId, Instant.now(),
                JsonNodeFactory.instance.objectNode().put("keyId", keyId)));
        awaitConsumedByBothConsumers();

        // signing still uses the genuine version 2, and is not stopped by the forged revocation
        Response signed = sign(rsa2Request("app-forge", "SANDBOX"));
        signed.then().statusCode(200).body("keyVersion", equalTo(2));
        String content = AlipayRsa2Scheme.requestContent(SignatureApiIT.params("app-forge"));
        assertThat(SignatureApiIT.verifies(v2, content, signed.path("params.sign"))).isTrue();
        assertThat(SignatureApiIT.verifies(attacker, content, signed.path("params.sign"))).isFalse();
        sign(rsa2Request("app-forge", "PRODUCTION")).then().statusCode(404).body("code", equalTo("KEY_NOT_FOUND"));
        sign(rsa2Request("app-forged", "SANDBOX")).then().statusCode(404).body("code", equalTo("KEY_NOT_FOUND"));

        // the tables hold what key-service holds, nothing of the attacker's
        given().header("X-Keyfleet-Tenant", TENANT).get("/v1/keys/{k}/versions", keyId).then().statusCode(200)
                .body("size()", equalTo(2))
                .body("[0].state", equalTo("PREVIOUS")).body("[0].environment", equalTo("SANDBOX"))
                .body("[1].state", equalTo("CURRENT")).body("[1].fingerprint", equalTo(StubbedKeyService.fingerprint(v2)));
        given().header("X-Keyfleet-Tenant", TENANT).get("/v1/keys/{k}/versions", forgedKeyId).then().statusCode(404);
        assertThat(rowsWithPublicKey(publicKey(attacker))).isZero();

        Map<String, Double> refused = refusedCounts();
        assertThat(refused.get("KeyRotated") - refusedBefore.get("KeyRotated")).isEqualTo(2);
        assertThat(refused.get("KeyRevoked") - refusedBefore.get("KeyRevoked")).isEqualTo(1);
        assertThat(refused.get("KeyCreated") - refusedBefore.get("KeyCreated")).isEqualTo(2);

        // a revocation key-service made is applied: the consumers still run
        StubbedKeyService.revoke(keyId);
        publish(new KeyRevoked(keyId, KeyRevoked.ALL_VERSIONS, "compromised"));
        await().atMost(DEADLINE).untilAsserted(() -> sign(rsa2Request("app-forge", "SANDBOX")).then().statusCode(409).body("code", equalTo("KEY_RETIRED")));
        given().header("X-Keyfleet-Tenant", TENANT).get("/v1/keys/{k}/versions", keyId).then().statusCode(200)
                .body("state", org.hamcrest.Matchers.everyItem(equalTo("REVOKED")));
    }

    @Test
    void aForgedProviderKeyUpdatedDoesNotMakeTheAttackersNotificationsValid() throws Exception {
        String tenant = "tenant-forged-provider";
        String providerKeyId = UUID.randomUUID().toString();
        KeyPair alipay = StubbedKeyService.rsa();
        StubbedKeyService.addProviderKey(providerKeyId, tenant, "alipay", "SANDBOX", 1, alipay);
        BrokerEvents.publish(bootstrapServers, tenant, new ProviderKeyUpdated(providerKeyId, "alipay", "SANDBOX", 1,
                StubbedKeyService.fingerprint(alipay), publicKey(alipay), null, null));
        await().atMost(FIRST_DEADLINE).until(() -> !providerRows(providerKeyId).isEmpty());
        verify(tenant, verifyNotification(notification(alipay, "genuine-1", beijingNow()))).then().statusCode(200)
                .body("valid", equalTo(true)).body("keyVersion", equalTo(1));

        Map<String, Double> refusedBefore = refusedCounts();
        KeyPair attacker = StubbedKeyService.rsa();
        BrokerEvents.publish(bootstrapServers, tenant, new ProviderKeyUpdated(providerKeyId, "alipay", "SANDBOX", 2,
                StubbedKeyService.fingerprint(attacker), publicKey(attacker), 1, Instant.now().plus(Duration.ofDays(1))));
        BrokerEvents.publish(bootstrapServers, tenant, new ProviderKeyUpdated(UUID.randomUUID().toString(), "alipay", "SANDBOX", 1,
                StubbedKeyService.fingerprint(attacker), publicKey(attacker), null, null));
        awaitConsumedByBothConsumers();

        verify(tenant, verifyNotification(notification(attacker, "forged-1", beijingNow()))).then().statusCode(200)
                .body("valid", equalTo(false)).body("reason", equalTo("BAD_SIGNATURE"));
        verify(tenant, verifyNotification(notification(alipay, "genuine-2", beijingNow()))).then().statusCode(200)
                .body("valid", equalTo(true)).body("keyVersion", equalTo(1));
        assertThat(providerRows(providerKeyId)).hasSize(1);
        assertThat(rowsWithPublicKey(publicKey(attacker))).isZero();
        assertThat(refusedCounts().get("ProviderKeyUpdated") - refusedBefore.get("ProviderKeyUpdated")).isEqualTo(2);

        // a genuine replacement: key-service has the new key first, then announces it
        KeyPair replaced = StubbedKeyService.rsa();
        StubbedKeyService.addProviderKey(providerKeyId, tenant, "alipay", "SANDBOX", 2, replaced);
        BrokerEvents.publish(bootstrapServers, tenant, new ProviderKeyUpdated(providerKeyId, "alipay", "SANDBOX", 2,
                StubbedKeyService.fingerprint(replaced), publicKey(replaced), 1, Instant.now().plus(Duration.ofHours(1))));
        await().atMost(DEADLINE).untilAsserted(() -> verify(tenant, verifyNotification(notification(replaced, "genuine-" + UUID.randomUUID(),
                beijingNow()))).then().statusCode(200).body("valid", equalTo(true)).body("keyVersion", equalTo(2)));
    }

    @Test
    void aRotationAnnouncedWhileKeyServiceIsDownIsPickedUpOnceItAnswers() throws Exception {
        String keyId = UUID.randomUUID().toString();
        KeyPair v1 = StubbedKeyService.rsa();
        StubbedKeyService.add(keyId, TENANT, "alipay", "app-outage", "SANDBOX", 1, v1);
        publish(new KeyCreated(keyId, "alipay", "app-outage", "SANDBOX", 1, "RSA_2048", StubbedKeyService.fingerprint(v1), publicKey(v1), true));
        awaitKnown(keyId, 1);
        sign(rsa2Request("app-outage", "SANDBOX")).then().statusCode(200).body("keyVersion", equalTo(1));

        KeyPair v2 = StubbedKeyService.rsa();
        StubbedKeyService.add(keyId, TENANT, "alipay", "app-outage", "SANDBOX", 2, v2);
        StubbedKeyService.stopServer();
        try {
            publish(new KeyRotated(keyId, "alipay", "app-outage", "SANDBOX", 1, 2, "RSA_2048", StubbedKeyService.fingerprint(v2), publicKey(v2),
                    Instant.now().plus(Duration.ofHours(1))));
            awaitConsumedByBothConsumers();
            // not confirmed by key-service, so not applied; the cached version 1 keeps signing
            sign(rsa2Request("app-outage", "SANDBOX")).then().statusCode(200).body("keyVersion", equalTo(1));
        } finally {
            StubbedKeyService.restartServer();
        }
        // the key was marked for a re-read from key-service: the next periodic pass (every 30 s) picks the rotation up
        await().atMost(FIRST_DEADLINE).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> sign(rsa2Request("app-outage", "SANDBOX")).then().statusCode(200).body("keyVersion", equalTo(2)));
        awaitKnown(keyId, 2);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private void publish(DomainEvent event) throws Exception {
        BrokerEvents.publish(bootstrapServers, TENANT, event);
    }

    /** Both key-event consumers (the tables' and this replica's cache's) have consumed everything published so far. */
    private void awaitConsumedByBothConsumers() {
        await().atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() ->
                KafkaClients.groupHasConsumedAll(bootstrapServers, tablesGroup, Topics.KEYS)
                        && KafkaClients.groupHasConsumedAll(bootstrapServers, cacheGroup, Topics.KEYS));
    }

    private Map<String, Double> refusedCounts() {
        return Map.of("KeyCreated", refused("KeyCreated"), "KeyRotated", refused("KeyRotated"), "KeyRevoked", refused("KeyRevoked"),
                "ProviderKeyUpdated", refused("ProviderKeyUpdated"));
    }

    private double refused(String type) {
        Counter counter = registry.find("keyfleet.signing.key.events.refused").tag("type", type).counter();
        return counter == null ? 0 : counter.count();
    }

    private static long rowsWithPublicKey(String publicKey) {
        return QuarkusTransaction.requiringNew().call(() ->
                KnownKeyVersion.count("publicKey", publicKey) + KnownProviderKeyVersion.count("publicKey", publicKey));
    }

    private static java.util.List<KnownProviderKeyVersion> providerRows(String providerKeyId) {
        return QuarkusTransaction.requiringNew().call(() -> KnownProviderKeyVersion.list("providerKeyId", providerKeyId));
    }

    private static LocalDateTime beijingNow() {
        return LocalDateTime.now(ZoneOffset.ofHours(8));
    }
}
