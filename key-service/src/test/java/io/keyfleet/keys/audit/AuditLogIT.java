package io.keyfleet.keys.audit;

import static io.keyfleet.keys.support.Tenancy.admin;
import static io.keyfleet.keys.support.Tenancy.apiKey;
import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static io.keyfleet.keys.support.Tenancy.withKey;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit log as its readers see it: who did what to which target, per tenant, never an id or secret in clear. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class AuditLogIT {

    @Test
    void everyKeyAndCredentialOperationIsRecordedWithItsCallerAndTenantsSeeOnlyTheirOwn() {
        String tenant = newTenant();
        String auditor = apiKey(tenant, "audit:read", "keys:write", "keys:read");
        String keyId = withKey(auditor).contentType(ContentType.JSON)
                .body("{\"provider\":\"alipay\",\"appId\":\"audited\",\"environment\":\"SANDBOX\"}").post("/v1/keys")
                .then().statusCode(201).extract().path("keyId");
        withKey(auditor).post("/v1/keys/{k}/rotate", keyId).then().statusCode(200);
        String auditorId = withKey(auditor).get("/v1/credentials/whoami").then().statusCode(200).extract().path("credentialId");

        JsonPath forKey = withKey(auditor).get("/v1/audit?target={t}", keyId).then().statusCode(200).extract().jsonPath();
        assertThat(forKey.getList("items.action", String.class)).containsExactly("key.rotate", "key.create");
        assertThat(forKey.getList("items.actor", String.class)).containsOnly("credential:" + auditorId);
        assertThat(forKey.getList("items.sourceIp", String.class)).containsOnly("127.0.0.1");
        assertThat(forKey.prettyPrint()).doesNotContain(keyId).doesNotContain(tenant);

        JsonPath credentialOps = withKey(auditor).get("/v1/audit?action=credential.").then().extract().jsonPath();
        assertThat(credentialOps.getList("items.action", String.class)).containsOnly("credential.create");

        // another tenant's log does not show these; the system administrator sees everything
        String other = newTenant();
        assertThat(as(other).get("/v1/audit?target={t}", keyId).then().statusCode(200).extract().jsonPath().getList("items"))
                .isEmpty();
        assertThat(admin().get("/v1/audit?target={t}", keyId).then().extract().jsonPath().getList("items")).hasSize(2);

        given().header("Authorization", "Bearer " + auditor).get("/v1/audit?from=yesterday").then().statusCode(400)
                .body("code", equalTo("INVALID_TIME"));
    }

    @Test
    void aBurstOfFailedVerificationsFromOneAddressIsRecordedOnce() {
        int before = bursts();
        for (int i = 0; i < 10; i++) {
            given().header("Authorization", "Bearer kf_live_not-a-real-key-" + i).get("/v1/keys").then().statusCode(401);
        }
        List<String> details = admin().get("/v1/audit?action=credential.verify.failures&outcome=REFUSED")
                .then().statusCode(200).extract().jsonPath().getList("items.detail", String.class);
        assertThat(details).hasSize(before + 1);
        assertThat(details.get(0)).contains("10 failed verifications").contains("127.0.0.1").contains("NOT_FOUND");
    }

    private static int bursts() {
        return admin().get("/v1/audit?action=credential.verify.failures&size=500").then().extract().jsonPath().getList("items").size();
    }
}
