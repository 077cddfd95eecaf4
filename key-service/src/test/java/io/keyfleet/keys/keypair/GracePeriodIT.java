package io.keyfleet.keys.keypair;

import io.keyfleet.keys.support.Database;
import static io.keyfleet.keys.support.Tenancy.admin;
import static io.keyfleet.keys.support.Tenancy.apiKey;
import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.withKey;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static io.keyfleet.keys.support.Tenancy.service;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.KeyRevoked;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** After a one-click replace the old version is still served for signing until its grace ends, then it is retired. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class GracePeriodIT {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    EntityManager entityManager;

    @Test
    void previousVersionIsServedUntilGraceEndsThenRetiredAndAnnounced() {
        String tenant = newTenant();
        String keyId = as(tenant).contentType(ContentType.JSON)
                .body("{\"provider\":\"alipay\",\"appId\":\"grace-app\",\"environment\":\"SANDBOX\",\"policy\":{\"gracePeriod\":\"PT1H\"}}")
                .post("/v1/keys").then().statusCode(201).extract().path("keyId");
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
        as(tenant).post("/v1/keys/{k}/rotate", keyId).then().statusCode(200);
        Instant after = Instant.now();

        material(keyId, 1).then().statusCode(200).body("state", equalTo("PREVIOUS")).body("tenantId", equalTo(tenant));
        material(keyId, 2).then().statusCode(200).body("state", equalTo("CURRENT"));
        assertThat(Instant.parse(as(tenant).get("/v1/keys/{k}", keyId).path("versions[0].validUntil")))
                .as("the grace runs for the policy's period from the rotation").isBetween(before.plus(Duration.ofHours(1)), after.plus(Duration.ofHours(1)));

        // the grace ends (moved, not waited for: a short real grace could end before a slow machine looked)
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery(
                        "update app_key_version set valid_until = now() - interval '1 second' where key_id = cast(?1 as uuid) and version = 1")
                .setParameter(1, keyId).executeUpdate());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                as(tenant).get("/v1/keys/{k}", keyId).then().body("versions[0].state", equalTo("RETIRED")));
        material(keyId, 1).then().statusCode(409).body("code", equalTo("VERSION_NOT_USABLE"));
        material(keyId, 2).then().statusCode(200);

        List<EventEnvelope> events = KeyEvents.of(bootstrapServers, keyId, found -> found.stream().anyMatch(e -> e.type().equals("KeyRevoked")));
        assertThat(events).extracting(EventEnvelope::type).containsExactly("KeyCreated", "KeyRotated", "KeyRevoked");
        KeyRevoked revoked = EventCodec.payload(events.get(2), KeyRevoked.class);
        assertThat(revoked.version()).isEqualTo(1);
        assertThat(revoked.reason()).isEqualTo("grace period ended");
    }

    @Test
    void theMaterialApiIsForServicesOnlyRefusesPendingAndIsAudited() {
        String tenant = newTenant();
        String keyId = AppKeyResourceIT.generate(tenant, "material-app", "PRODUCTION");
        String tenantsOwnKey = apiKey(tenant, "keys:read", "keys:write");
        long auditBefore = Database.callerAuditRecords(entityManager);

        given().get("/internal/v1/keys/{k}/versions/1/material", keyId).then().statusCode(401).body("code", equalTo("MISSING"));
        given().header("Authorization", "Bearer wrong").get("/internal/v1/keys/{k}/versions/1/material", keyId)
                .then().statusCode(401).body("code", equalTo("NOT_FOUND"));
        // a tenant's own credentials never read private keys: keys:material is for the suite's services
        withKey(tenantsOwnKey).get("/internal/v1/keys/{k}/versions/1/material", keyId)
                .then().statusCode(403).body("code", equalTo("INSUFFICIENT_SCOPE"));
        as(tenant).contentType(ContentType.JSON).body("{\"kind\":\"API_KEY\",\"scopes\":[\"keys:material\"]}").post("/v1/credentials")
                .then().statusCode(400).body("code", equalTo("SCOPE_INVALID"));

        material(keyId, 1).then().statusCode(200).body("environment", equalTo("PRODUCTION"));
        as(tenant).contentType(ContentType.JSON).body("{}").post("/v1/keys/{k}/versions", keyId).then().statusCode(201);
        material(keyId, 2).then().statusCode(409).body("detail", org.hamcrest.Matchers.containsString("PENDING"));

        assertThat(Database.callerAuditRecords(entityManager)).isEqualTo(auditBefore + 3); // two material reads and the staging
        service("signing-service", null)
                .get("/internal/v1/keys?tenantId={t}&provider=alipay&appId=material-app&environment=PRODUCTION", tenant)
                .then().statusCode(200).body("keyId", equalTo(keyId)).body("currentVersion", equalTo(1));
        // by id: what a key event names, read back by the consuming services (public parts only, not audited)
        service("signing-service", null).get("/internal/v1/keys/{k}", keyId).then().statusCode(200).body("tenantId", equalTo(tenant))
                .body("environment", equalTo("PRODUCTION")).body("versions.state", org.hamcrest.Matchers.contains("CURRENT", "PENDING"))
                .body("versions[0].fingerprint", org.hamcrest.Matchers.hasLength(64))
                .body("versions[0].privateKeyPkcs8", org.hamcrest.Matchers.nullValue());
        service("signing-service", null).get("/internal/v1/keys/{k}", java.util.UUID.randomUUID()).then().statusCode(404).body("code", equalTo("KEY_NOT_FOUND"));
        withKey(tenantsOwnKey).get("/internal/v1/keys/{k}", keyId).then().statusCode(403).body("code", equalTo("INSUFFICIENT_SCOPE"));
        assertThat(Database.callerAuditRecords(entityManager)).isEqualTo(auditBefore + 3);
    }

    private io.restassured.response.Response material(String keyId, int version) {
        return service("signing-service", null).get("/internal/v1/keys/{k}/versions/{v}/material", keyId, version);
    }

}
