package io.keyfleet.keys.poolsecret;

import static io.keyfleet.keys.support.Tenancy.apiKey;
import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
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

    @Test
    void storesVersionsPerTenantAndDestroysThem() {
        String tenant = newTenant();
        String path = "/internal/v1/secrets/pools/pool-1";
        as(tenant).contentType(ContentType.JSON).body("{\"version\":1,\"secret\":\"first-secret\"}").put(path).then().statusCode(204);
        as(tenant).contentType(ContentType.JSON).body("{\"version\":1,\"secret\":\"again\"}").put(path)
                .then().statusCode(409).body("code", equalTo("SECRET_VERSION_CONFLICT"));
        as(tenant).contentType(ContentType.JSON).body("{\"version\":2,\"secret\":\"second-secret\"}").put(path).then().statusCode(204);
        as(tenant).get(path + "?version=1").then().statusCode(200).body("secret", equalTo("first-secret"));
        as(tenant).get(path + "?version=2").then().statusCode(200).body("secret", equalTo("second-secret"));
        as(newTenant()).get(path + "?version=2").then().statusCode(404);

        as(tenant).delete(path + "?version=1").then().statusCode(204);
        as(tenant).get(path + "?version=1").then().statusCode(404).body("code", equalTo("POOL_SECRET_NOT_FOUND"));
    }

    @Test
    void rotationsAndDestructionsAreAnnouncedWithVersionNumbersOnly() {
        String tenant = newTenant();
        String poolId = UUID.randomUUID().toString();
        String path = "/internal/v1/secrets/pools/" + poolId;
        as(tenant).contentType(ContentType.JSON).body("{\"version\":1,\"secret\":\"first-pool-secret\"}").put(path).then().statusCode(204);
        as(tenant).contentType(ContentType.JSON).body("{\"version\":2,\"secret\":\"second-pool-secret\"}").put(path).then().statusCode(204);
        as(tenant).delete(path + "?version=1").then().statusCode(204);

        List<EventEnvelope> events = KeyEvents.of(bootstrapServers, poolId, KeyEvents.atLeast(2));
        assertThat(events).extracting(EventEnvelope::type).containsExactly("PoolSecretRotated", "PoolSecretDestroyed");
        assertThat(events).allSatisfy(event -> assertThat(event.tenantId()).isEqualTo(tenant));
        assertThat(events.get(0).payload().get("previousVersion").asInt()).isEqualTo(1);
        assertThat(events.get(0).payload().get("newVersion").asInt()).isEqualTo(2);
        assertThat(events.get(1).payload().get("version").asInt()).isEqualTo(1);
        assertThat(events.toString()).doesNotContain("first-pool-secret").doesNotContain("second-pool-secret");
    }

    @Test
    void aTenantCredentialCannotReadPoolSecrets() {
        String tenant = newTenant();
        String key = apiKey(tenant, "sync:read", "sync:write");
        withKey(key).header(Caller.TENANT_HEADER, tenant).get("/internal/v1/secrets/pools/pool-1?version=1").then().statusCode(403);
    }
}
