package io.keyfleet.keys.appsecret;

import static io.keyfleet.keys.support.Tenancy.admin;
import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static io.keyfleet.keys.support.Tenancy.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.keyfleet.keys.credential.MaterialReaders;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * App secrets through the real API: an imported content key (Alipay's encrypt_key) is never shown again, a generated
 * one only in its creating answer; rotation keeps the old version usable for the grace period; the bytes reach only
 * signing-service's credential through the internal material API; every change and read is audited; bad input is a 4xx.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class AppSecretIT {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void anImportedKeyIsNeverShownAgainAndIsServedOnlyToSigningService() {
        String tenant = newTenant();
        String app = app();
        String key = base64(16);
        Response created = create(tenant, app, "SANDBOX", "AES", key, null);
        created.then().statusCode(201).body("version", equalTo(1)).body("origin", equalTo("IMPORTED")).body("keyBits", equalTo(128))
                .body("secret", nullValue());
        String secretId = created.path("secretId");
        assertThat(created.asString()).doesNotContain(key);
        String view = as(tenant).get("/v1/app-secrets/{id}", secretId).then().statusCode(200).body("type", equalTo("AES"))
                .body("versions", hasSize(1)).body("versions[0].state", equalTo("CURRENT")).extract().asString();
        assertThat(view).doesNotContain(key);
        assertThat(as(tenant).get("/v1/app-secrets?appId={a}", app).then().statusCode(200).body("total", equalTo(1)).extract().asString())
                .doesNotContain(key);

        material(tenant, app, "SANDBOX", "AES").then().statusCode(200).body("secretId", equalTo(secretId)).body("tenantId", equalTo(tenant))
                .body("currentVersion", equalTo(1)).body("versions", hasSize(1)).body("versions[0].secret", equalTo(key));
        // the administrator holds every scope, but only signing-service is handed material
        admin().get(materialPath(tenant, app, "SANDBOX", "AES")).then().statusCode(403).contentType("application/problem+json")
                .body("code", equalTo(MaterialReaders.REFUSED_CODE));
        service("token-service", tenant).get(materialPath(tenant, app, "SANDBOX", "AES")).then().statusCode(403);
        material(tenant, app, "PRODUCTION", "AES").then().statusCode(404).body("code", equalTo("SECRET_NOT_FOUND"));
        material(tenant, app, "SANDBOX", "HMAC_SHA256").then().statusCode(404).body("code", equalTo("SECRET_NOT_FOUND"));

        List<String> actions = as(tenant).get("/v1/audit?target={id}", secretId).then().statusCode(200).extract().jsonPath()
                .getList("items.action");
        assertThat(actions).contains("app-secret.create", "app-secret.material.read");
    }

    @Test
    void rotationKeepsTheOldVersionForItsGraceAndRevokingEndsItEarly() {
        String tenant = newTenant();
        String app = app();
        Response created = create(tenant, app, "SANDBOX", "AES", null, "PT1H");
        created.then().statusCode(201).body("origin", equalTo("GENERATED")).body("secret", notNullValue()).body("notice", notNullValue());
        String secretId = created.path("secretId");
        String v1 = created.path("secret");
        assertThat(Base64.getDecoder().decode(v1)).hasSize(16);

        String v2 = base64(32);
        as(tenant).contentType(ContentType.JSON).body("{\"secret\":\"" + v2 + "\"}").post("/v1/app-secrets/{id}/import", secretId)
                .then().statusCode(200).body("version", equalTo(2)).body("keyBits", equalTo(256)).body("secret", nullValue());
        material(tenant, app, "SANDBOX", "AES").then().statusCode(200).body("currentVersion", equalTo(2)).body("versions", hasSize(2))
                .body("versions[0].version", equalTo(1)).body("versions[0].state", equalTo("PREVIOUS"))
                .body("versions[0].validUntil", notNullValue()).body("versions[0].secret", equalTo(v1))
                .body("versions[1].state", equalTo("CURRENT")).body("versions[1].secret", equalTo(v2));

        // a generated rotation shows its secret once
        String v3 = as(tenant).post("/v1/app-secrets/{id}/rotate", secretId).then().statusCode(200).body("version", equalTo(3))
                .body("origin", equalTo("GENERATED")).extract().path("secret");
        assertThat(Base64.getDecoder().decode(v3)).hasSize(16);

        as(tenant).post("/v1/app-secrets/{id}/versions/3/revoke", secretId).then().statusCode(409).body("code", equalTo("VERSION_IS_CURRENT"));
        as(tenant).post("/v1/app-secrets/{id}/versions/1/revoke", secretId).then().statusCode(200)
                .body("versions[0].state", equalTo("RETIRED")).body("versions[0].retiredAt", notNullValue());
        as(tenant).post("/v1/app-secrets/{id}/versions/9/revoke", secretId).then().statusCode(404).body("code", equalTo("VERSION_NOT_FOUND"));
        material(tenant, app, "SANDBOX", "AES").then().statusCode(200).body("currentVersion", equalTo(3))
                .body("versions.version", equalTo(List.of(2, 3)));

        List<String> actions = as(tenant).get("/v1/audit?target={id}", secretId).then().statusCode(200).extract().jsonPath()
                .getList("items.action");
        assertThat(actions).contains("app-secret.create", "app-secret.rotate", "app-secret.revoke");
    }

    @Test
    void withoutGraceTheOldVersionEndsAtOnce() {
        String tenant = newTenant();
        String app = app();
        String secretId = create(tenant, app, "PRODUCTION", "HMAC_SHA256", base64(40), "PT0S").then().statusCode(201)
                .body("keyBits", equalTo(320)).extract().path("secretId");
        as(tenant).post("/v1/app-secrets/{id}/rotate", secretId).then().statusCode(200).body("version", equalTo(2));
        material(tenant, app, "PRODUCTION", "HMAC_SHA256").then().statusCode(200).body("versions.version", equalTo(List.of(2)));
    }

    @Test
    void badInputIsA4xxAndNeverEchoesTheSecret() {
        String tenant = newTenant();
        String app = app();
        problem(create(tenant, app, "SANDBOX", "AES", "***not base64***", null), 400, "SECRET_NOT_BASE64");
        problem(create(tenant, app, "SANDBOX", "AES", "QUJD=", null), 400, "SECRET_NOT_BASE64");
        String fifteen = base64(15);
        Response wrongLength = create(tenant, app, "SANDBOX", "AES", fifteen, null);
        problem(wrongLength, 400, "SECRET_LENGTH_INVALID");
        assertThat(wrongLength.asString()).doesNotContain(fifteen);
        problem(create(tenant, app, "SANDBOX", "HMAC_SHA256", base64(8), null), 400, "SECRET_LENGTH_INVALID");
        problem(create(tenant, app, "SANDBOX", "HMAC_SHA256", base64(65), null), 400, "SECRET_LENGTH_INVALID");
        problem(create(tenant, app, "SANDBOX", "AES", null, "P91D"), 400, "GRACE_PERIOD_INVALID");
        problem(create(tenant, app, "SANDBOX", "RC4", null, null), 400, null);
        problem(create(tenant, "bad app!", "SANDBOX", "AES", null, null), 400, null);
        problem(create(tenant, app, "SANDBOX", "AES", "A".repeat(200), null), 400, null);
        as(tenant).get("/v1/app-secrets?appId={a}", app).then().statusCode(200).body("total", equalTo(0));

        String secretId = create(tenant, app, "SANDBOX", "AES", null, null).then().statusCode(201).extract().path("secretId");
        problem(create(tenant, app, "SANDBOX", "AES", null, null), 409, "SECRET_EXISTS");
        problem(as(tenant).contentType(ContentType.JSON).body("{\"secret\":\"" + base64(20) + "\"}")
                .post("/v1/app-secrets/{id}/import", secretId), 400, "SECRET_LENGTH_INVALID");
        problem(as(tenant).contentType(ContentType.JSON).body("{}").post("/v1/app-secrets/{id}/import", secretId), 400, null);
        problem(as(tenant).post("/v1/app-secrets/{id}/rotate", UUID.randomUUID()), 404, "SECRET_NOT_FOUND");
        as(tenant).get("/v1/app-secrets/{id}", secretId).then().statusCode(200).body("currentVersion", equalTo(1));
    }

    private static Response create(String tenant, String app, String environment, String type, String secret, String grace) {
        StringBuilder body = new StringBuilder("{\"provider\":\"alipay\",\"appId\":\"" + app + "\",\"environment\":\"" + environment
                + "\",\"type\":\"" + type + "\"");
        if (secret != null) {
            body.append(",\"secret\":\"").append(secret).append('"');
        }
        if (grace != null) {
            body.append(",\"gracePeriod\":\"").append(grace).append('"');
        }
        return as(tenant).contentType(ContentType.JSON).body(body.append('}').toString()).post("/v1/app-secrets");
    }

    private static Response material(String tenant, String app, String environment, String type) {
        return service("signing-service", null).get(materialPath(tenant, app, environment, type));
    }

    private static String materialPath(String tenant, String app, String environment, String type) {
        return "/internal/v1/app-secrets?tenantId=" + tenant + "&provider=alipay&appId=" + app + "&environment=" + environment + "&type=" + type;
    }

    private static void problem(Response response, int status, String code) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        if (code != null) {
            assertThat(response.<String>path("code")).as(response.asString()).isEqualTo(code);
        }
    }

    private static String base64(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    private static String app() {
        return "app-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
