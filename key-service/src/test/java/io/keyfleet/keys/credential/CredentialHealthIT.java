package io.keyfleet.keys.credential;

import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.keyfleet.events.CredentialExpiring;
import io.keyfleet.events.EventCodec;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Credential health for integrations: the health endpoint and the CredentialExpiring warnings 30 and 7 days ahead. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class CredentialHealthIT {

    @Inject
    EntityManager entityManager;

    @Test
    void healthTellsWhatToDoAtEveryStage() {
        String tenant = newTenant();
        String fresh = CredentialTesting.createApiKey(tenant, "").path("credential.credentialId");
        health(tenant, fresh).then().statusCode(200).body("status", equalTo("OK")).body("action", equalTo("Nothing to do."));

        String soon = CredentialTesting.createApiKey(tenant, ",\"expiresAt\":\"" + Instant.now().plus(Duration.ofDays(12)) + "\"")
                .path("credential.credentialId");
        health(tenant, soon).then().body("status", equalTo("EXPIRING")).body("daysLeft", equalTo(11))
                .body("action", containsString("add a new key"));

        as(tenant).post("/v1/credentials/{id}/rotate?gracePeriod=PT1H", fresh).then().statusCode(200);
        health(tenant, fresh).then().body("status", equalTo("IN_GRACE")).body("previousValidUntil", notNullValue());

        as(tenant).post("/v1/credentials/{id}/disable", fresh).then().statusCode(200);
        health(tenant, fresh).then().body("status", equalTo("DISABLED"));

        as(tenant).post("/v1/credentials/{id}/revoke", fresh).then().statusCode(200);
        health(tenant, fresh).then().body("status", equalTo("REVOKED")).body("action", containsString("create a new key"));

        health(newTenant(), soon).then().statusCode(404).body("code", equalTo("CREDENTIAL_NOT_FOUND"));
    }

    @Test
    void expiringCredentialsAreAnnouncedOnceAt30AndOnceAt7Days() {
        String tenant = newTenant();
        String in20Days = CredentialTesting.createApiKey(tenant, ",\"expiresAt\":\"" + Instant.now().plus(Duration.ofDays(20)) + "\"")
                .path("credential.credentialId");
        String in5Days = CredentialTesting.createApiKey(tenant, ",\"expiresAt\":\"" + Instant.now().plus(Duration.ofDays(5)) + "\"")
                .path("credential.credentialId");
        String in90Days = CredentialTesting.createApiKey(tenant, ",\"expiresAt\":\"" + Instant.now().plus(Duration.ofDays(90)) + "\"")
                .path("credential.credentialId");

        await().atMost(Duration.ofSeconds(60)).until(() -> warnings(in20Days).size() == 1 && warnings(in5Days).size() == 1);
        assertThat(warnings(in20Days).get(0).daysLeft()).isEqualTo(30);
        assertThat(warnings(in5Days).get(0).daysLeft()).isEqualTo(7);
        assertThat(warnings(in5Days).get(0).action()).contains("add a new key");

        // 20 days on, the first one is due for its 7-day warning (the job runs every second in tests)
        QuarkusTransaction.requiringNew().run(() -> entityManager
                .createNativeQuery("update api_credential set expires_at = ?1 where id = cast(?2 as uuid)")
                .setParameter(1, Instant.now().plus(Duration.ofDays(6)).truncatedTo(ChronoUnit.MICROS)).setParameter(2, in20Days)
                .executeUpdate());
        await().atMost(Duration.ofSeconds(60)).until(() -> warnings(in20Days).size() == 2);
        assertThat(warnings(in20Days).get(1).daysLeft()).isEqualTo(7);
        assertThat(warnings(in5Days)).hasSize(1);
        assertThat(warnings(in90Days)).isEmpty();
    }

    private static io.restassured.response.Response health(String tenant, String id) {
        return as(tenant).get("/v1/credentials/{id}/health", id);
    }

    private List<CredentialExpiring> warnings(String credentialId) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<String> envelopes = entityManager.createNativeQuery("select envelope from outbox_event where event_type = "
                    + "'CredentialExpiring' and aggregate_id = ?1 order by id").setParameter(1, credentialId).getResultList();
            return envelopes.stream().map(json -> EventCodec.payload(EventCodec.decode(json), CredentialExpiring.class)).toList();
        });
    }
}
