package io.keyfleet.keys.credential;

import io.keyfleet.auth.RequestSignature;
import io.keyfleet.auth.ApiKeyFormat;
import io.keyfleet.keys.support.Database;
import static io.keyfleet.keys.credential.CredentialTesting.createApiKey;
import static io.keyfleet.keys.credential.CredentialTesting.createPair;
import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Creating, reading, rotating and revoking credentials; what is stored, what is shown, and to whom. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class CredentialResourceIT {

    @Inject
    EntityManager entityManager;

    @Test
    void anApiKeyIsShownOnceAndStoredOnlyAsItsHash() {
        String tenant = newTenant();
        long auditBefore = Database.callerAuditRecords(entityManager);
        ExtractableResponse<Response> created = createApiKey(tenant,
                ",\"live\":false,\"ipWhitelist\":\"203.0.113.0/24, 2001:db8::1\",\"remark\":\"billing\",\"callbackUrl\":\"https://203.0.113.10/cb\"");
        String apiKey = created.path("apiKey");
        String id = created.path("credential.credentialId");
        assertThat(apiKey).startsWith("kf_test_").hasSize(54);
        assertThat(ApiKeyFormat.isWellFormed(apiKey)).isTrue();
        assertThat((String) created.path("notice")).contains("shown only in this response");
        assertThat((List<String>) created.path("credential.ipWhitelist")).containsExactly("203.0.113.0/24", "2001:db8::1");

        as(tenant).get("/v1/credentials/{id}", id).then().statusCode(200)
                .body("kind", equalTo("API_KEY")).body("remark", equalTo("billing"))
                .body("versions[0].keyPrefix", equalTo(apiKey.substring(0, 12)))
                .body(not(containsString(apiKey.substring(12))));
        as(tenant).get("/v1/credentials").then().statusCode(200).body("items", hasSize(1)).body(not(containsString(apiKey.substring(12))));

        String dump = Database.dump(entityManager);
        assertThat(dump).contains(id).contains(HexFormat.of().formatHex(RequestSignature.sha256(apiKey.getBytes(StandardCharsets.UTF_8))));
        assertThat(dump).doesNotContain(apiKey.substring(12));
        assertThat(eventTypes(id)).containsExactly("CredentialCreated");
        assertThat(Database.callerAuditRecords(entityManager)).isEqualTo(auditBefore + 1);
    }

    @Test
    void aSecretPairShowsItsSecretKeyOnceAndKeepsItOnlyInTheSecretStore() {
        String tenant = newTenant();
        ExtractableResponse<Response> created = createPair(tenant, "");
        String secretKey = created.path("secretKey");
        String secretId = created.path("secretId");
        String id = created.path("credential.credentialId");
        assertThat(secretId).startsWith("kfid_");
        assertThat(secretKey).hasSize(40);
        assertThat((String) created.path("apiKey")).isNull();

        as(tenant).get("/v1/credentials/{id}", id).then().statusCode(200).body("secretId", equalTo(secretId))
                .body(not(containsString(secretKey)));
        String dump = Database.dump(entityManager);
        assertThat(dump).contains(secretId);
        assertThat(dump).doesNotContain(secretKey);
        assertThat(dump).doesNotContain(HexFormat.of().formatHex(secretKey.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rotateAndRevokeAreRecordedAsEventsAndAudited() {
        String tenant = newTenant();
        String id = createApiKey(tenant, "").path("credential.credentialId");
        long auditBefore = Database.callerAuditRecords(entityManager);
        String newKey = as(tenant).post("/v1/credentials/{id}/rotate", id).then().statusCode(200)
                .body("version", equalTo(2)).body("credential.versions[0].validUntil", not(nullValue()))
                .extract().path("apiKey");
        assertThat(ApiKeyFormat.isWellFormed(newKey)).isTrue();
        as(tenant).post("/v1/credentials/{id}/revoke?reason=leaked", id).then().statusCode(200)
                .body("revokedAt", not(nullValue())).body("revokeReason", equalTo("leaked"));
        as(tenant).post("/v1/credentials/{id}/rotate", id).then().statusCode(409).body("code", equalTo("CREDENTIAL_REVOKED"));
        assertThat(eventTypes(id)).containsExactly("CredentialCreated", "CredentialRotated", "CredentialRevoked");
        assertThat(Database.callerAuditRecords(entityManager)).isEqualTo(auditBefore + 2);
    }

    @Test
    void anotherTenantsCredentialIsNotFound() {
        String owner = newTenant();
        String other = newTenant();
        String id = createApiKey(owner, "").path("credential.credentialId");
        as(other).get("/v1/credentials/{id}", id).then().statusCode(404).body("code", equalTo("CREDENTIAL_NOT_FOUND"));
        as(other).post("/v1/credentials/{id}/rotate", id).then().statusCode(404);
        as(other).post("/v1/credentials/{id}/revoke", id).then().statusCode(404);
        as(other).post("/v1/credentials/{id}/disable", id).then().statusCode(404);
        as(other).get("/v1/credentials").then().statusCode(200).body("items", hasSize(0));
        as(owner).get("/v1/credentials/{id}", id).then().statusCode(200).body("enabled", equalTo(true));
    }

    @Test
    void elevenWhitelistEntriesAreRefused() {
        String tenant = newTenant();
        String eleven = String.join(",", java.util.Collections.nCopies(11, "\"10.0.0.1\""));
        as(tenant).contentType(ContentType.JSON).body("{\"kind\":\"API_KEY\",\"scopes\":[\"keys:read\"],\"ipWhitelist\":[" + eleven + "]}")
                .post("/v1/credentials").then().statusCode(400).body("code", equalTo("IP_WHITELIST_INVALID"))
                .body("detail", containsString("11 entries")).body("detail", containsString("at most 10"));
        as(tenant).get("/v1/credentials").then().body("items", hasSize(0));
    }

    @Test
    void aNulCharacterOrAnExpiryBeyondWhatTheDatabaseStoresIsABadRequest() {
        String tenant = newTenant();
        as(tenant).contentType(ContentType.JSON).body("{\"kind\":\"API_KEY\",\"scopes\":[\"keys:read\"],\"remark\":\"a\\u0000b\"}")
                .post("/v1/credentials").then().statusCode(400).body("code", equalTo("REMARK_INVALID"));
        as(tenant).contentType(ContentType.JSON).body("{\"kind\":\"API_KEY\",\"scopes\":[\"keys:read\"],\"expiresAt\":\"+300000-01-01T00:00:00Z\"}")
                .post("/v1/credentials").then().statusCode(400).body("code", equalTo("EXPIRY_INVALID"));
        java.util.Map<String, Object> signed = new java.util.HashMap<>();
        signed.put("secretId", "kfid_a\u0000b");
        signed.put("timestamp", "1");
        signed.put("nonce", "n");
        signed.put("signature", "c2ln");
        CredentialTesting.verify(signed).then().statusCode(200).body("code", equalTo("NOT_FOUND"));
        as(tenant).get("/v1/credentials").then().body("total", equalTo(0));
    }

    @Test
    void anInvalidWhitelistEntryIsNamed() {
        String tenant = newTenant();
        as(tenant).contentType(ContentType.JSON).body("{\"kind\":\"API_KEY\",\"scopes\":[\"keys:read\"],\"ipWhitelist\":\"10.0.0.1, 10.0.0.300/8\"}")
                .post("/v1/credentials").then().statusCode(400).body("code", equalTo("IP_WHITELIST_INVALID"))
                .body("detail", containsString("'10.0.0.300/8'"));
        as(tenant).contentType(ContentType.JSON).body("{\"kind\":\"API_KEY\",\"scopes\":[\"keys:read\"],\"ipWhitelist\":[\"2001:db8::/200\"]}")
                .post("/v1/credentials").then().statusCode(400).body("detail", containsString("'2001:db8::/200'"));
        as(tenant).contentType(ContentType.JSON).body("{\"kind\":\"API_KEY\",\"scopes\":[\"keys:read\"],\"ipWhitelist\":[42]}")
                .post("/v1/credentials").then().statusCode(400).body("detail", containsString("42"));
        as(tenant).contentType(ContentType.JSON).body("{\"kind\":\"API_KEY\",\"scopes\":[\"keys:all\"]}")
                .post("/v1/credentials").then().statusCode(400).body("code", equalTo("SCOPE_INVALID")).body("detail", containsString("'keys:all'"));
        as(tenant).contentType(ContentType.JSON).body("{\"kind\":\"API_KEY\",\"scopes\":[\"keys:read\"],\"callbackUrl\":\"ftp://example.com\"}")
                .post("/v1/credentials").then().statusCode(400).body("code", equalTo("CALLBACK_URL_INVALID"));
        as(tenant).contentType(ContentType.JSON).body("{\"kind\":\"API_KEY\",\"scopes\":[\"keys:read\"],\"expiresAt\":\"2020-01-01T00:00:00Z\"}")
                .post("/v1/credentials").then().statusCode(400).body("code", equalTo("EXPIRY_INVALID"));
        as(tenant).get("/v1/credentials").then().body("items", hasSize(0));
    }

    private List<String> eventTypes(String aggregateId) {
        return QuarkusTransaction.requiringNew().call(() -> entityManager
                .createNativeQuery("select event_type from outbox_event where aggregate_id = ?1 order by created_at, id", String.class)
                .setParameter(1, aggregateId).getResultList());
    }


}
