package io.keyfleet.keys.poolsecret;

import static io.keyfleet.keys.support.Tenancy.apiKey;
import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static io.keyfleet.keys.support.Tenancy.service;
import static io.keyfleet.keys.support.Tenancy.withKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.events.EventEnvelope;
import io.keyfleet.keys.support.KeyEvents;

import io.keyfleet.kit.caller.Caller;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class PoolSecretIT {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /** sync-service, the one service that keeps pool secrets, acting for the tenant. */
    private static RequestSpecification sync(String tenant) {
        return service("sync-service", tenant);
    }

    @Test
    void storesVersionsPerTenantAndDestroysThem() {
        String tenant = newTenant();
        String path = "/internal/v1/secrets/pools/pool-1";
        sync(tenant).contentType(ContentType.JSON).body("{\"version\":1,\"secret\":\"first-secret\"}").put(path).then().statusCode(204);
        sync(tenant).contentType(ContentType.JSON).body("{\"version\":1,\"secret\":\"again\"}").put(path)
                .then().statusCode(409).body("code", equalTo("SECRET_VERSION_CONFLICT"));
        sync(tenant).contentType(ContentType.JSON).body("{\"version\":2,\"secret\":\"second-secret\"}").put(path).then().statusCode(204);
        sync(tenant).get(path + "?version=1").then().statusCode(200).body("secret", equalTo("first-secret"));
        sync(tenant).get(path + "?version=2").then().statusCode(200).body("secret", equalTo("second-secret"));
        sync(newTenant()).get(path + "?version=2").then().statusCode(404);

        sync(tenant).delete(path + "?version=1").then().statusCode(204);
        sync(tenant).get(path + "?version=1").then().statusCode(404).body("code", equalTo("POOL_SECRET_NOT_FOUND"));
    }

    @Test
    void rotationsAndDestructionsAreAnnouncedWithVersionNumbersOnly() {
        String tenant = newTenant();
        String poolId = UUID.randomUUID().toString();
        String path = "/internal/v1/secrets/pools/" + poolId;
        sync(tenant).contentType(ContentType.JSON).body("{\"version\":1,\"secret\":\"first-pool-secret\"}").put(path).then().statusCode(204);
        sync(tenant).contentType(ContentType.JSON).body("{\"version\":2,\"secret\":\"second-pool-secret\"}").put(path).then().statusCode(204);
        sync(tenant).delete(path + "?version=1").then().statusCode(204);

        List<EventEnvelope> events = KeyEvents.of(bootstrapServers, poolId, KeyEvents.atLeast(2));
        assertThat(events).extracting(EventEnvelope::type).containsExactly("PoolSecretRotated", "PoolSecretDestroyed");
        assertThat(events).allSatisfy(event -> assertThat(event.tenantId()).isEqualTo(tenant));
        assertThat(events.get(0).payload().get("previousVersion").asInt()).isEqualTo(1);
        assertThat(events.get(0).payload().get("newVersion").asInt()).isEqualTo(2);
        assertThat(events.get(1).payload().get("version").asInt()).isEqualTo(1);
        assertThat(events.toString()).doesNotContain("first-pool-secret").doesNotContain("second-pool-secret");
    }

    @Test
    void onlySyncServiceReadsASecret() {
        String tenant = newTenant();
        String path = "/internal/v1/secrets/pools/pool-1";
        sync(tenant).contentType(ContentType.JSON).body("{\"version\":1,\"secret\":\"only-for-sync\"}").put(path).then().statusCode(204);
        as(tenant).get(path + "?version=1").then().statusCode(403).body("code", equalTo("MATERIAL_NOT_FOR_CALLER"))
                .body("detail", org.hamcrest.Matchers.containsString("sync-service"))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("only-for-sync")));
        service("signing-service", tenant).get(path + "?version=1").then().statusCode(403).body("code", equalTo("INSUFFICIENT_SCOPE"));
    }

    @Test
    void aTenantCredentialCannotReadPoolSecrets() {
        String tenant = newTenant();
        String key = apiKey(tenant, "sync:read", "sync:write");
        withKey(key).header(Caller.TENANT_HEADER, tenant).get("/internal/v1/secrets/pools/pool-1?version=1").then().statusCode(403);
    }
}
