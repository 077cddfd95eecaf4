package io.keyfleet.keys.credential;

import static io.keyfleet.keys.support.Tenancy.admin;
import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static io.keyfleet.keys.support.Tenancy.service;
import static io.keyfleet.keys.support.Tenancy.withKey;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.auth.ServiceIdentity;
import io.keyfleet.keys.support.Tenancy;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.OpenApiOperations;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Every internal endpoint of key-service × every service identity, acting for another tenant than the one that owns
 * the resource: each service reaches only what its {@link ServiceIdentity} lists, private material only the service
 * that uses it. The endpoints come from key-service's own OpenAPI, so a new internal endpoint without a row here fails.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class ServiceIdentityMatrixIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one service identity gets from one endpoint: status and, for refusals, the problem code. */
    private record Outcome(int status, String code) {
        static Outcome ok(int status) {
            return new Outcome(status, null);
        }

        static Outcome refused(int status, String code) {
            return new Outcome(status, code);
        }
    }

    private record Endpoint(BiFunction<RequestSpecification, Fixture, Response> call, Map<String, Outcome> expected) {
    }

    /** Tenant A owns a key and a pool secret; every identity acts for tenant B. */
    private record Fixture(String tenantA, String tenantB, String appId, String keyId, String poolId) {
    }

    private static final Outcome SCOPE = Outcome.refused(403, "INSUFFICIENT_SCOPE");

    private static Map<String, Outcome> only(String service, Outcome forIt) {
        Map<String, Outcome> expected = new LinkedHashMap<>();
        Tenancy.SERVICE_API_KEYS.keySet().forEach(name -> expected.put(name, name.equals(service) ? forIt : SCOPE));
        return expected;
    }

    private static Map<String, Outcome> nobody() {
        return only(null, null);
    }

    private static final Map<String, Endpoint> ENDPOINTS = new LinkedHashMap<>();

    static {
        // signing-service signs for every tenant, so it finds and reads any tenant's key; nobody else does
        ENDPOINTS.put("GET /internal/v1/keys", new Endpoint((spec, f) -> spec.get(
                "/internal/v1/keys?tenantId={t}&provider=alipay&appId={a}&environment=PRODUCTION", f.tenantA, f.appId),
                only("signing-service", Outcome.ok(200))));
        ENDPOINTS.put("GET /internal/v1/keys/{keyId}", new Endpoint((spec, f) -> spec.get("/internal/v1/keys/{k}", f.keyId),
                only("signing-service", Outcome.ok(200))));
        ENDPOINTS.put("GET /internal/v1/keys/{keyId}/versions/{version}/material", new Endpoint((spec, f) -> spec.get(
                "/internal/v1/keys/{k}/versions/1/material", f.keyId), only("signing-service", Outcome.ok(200))));
        // sync-service keeps pool secrets, but acting for B it finds none of A's: the path is the acting tenant's
        ENDPOINTS.put("GET /internal/v1/secrets/pools/{poolId}", new Endpoint((spec, f) -> spec.get(
                "/internal/v1/secrets/pools/{p}?version=1", f.poolId), only("sync-service", Outcome.refused(404, "POOL_SECRET_NOT_FOUND"))));
        ENDPOINTS.put("PUT /internal/v1/secrets/pools/{poolId}", new Endpoint((spec, f) -> spec.contentType(ContentType.JSON)
                .body("{\"version\":2,\"secret\":\"attacker-secret\"}").put("/internal/v1/secrets/pools/{p}", f.poolId),
                only("sync-service", Outcome.refused(409, "SECRET_VERSION_CONFLICT"))));
        ENDPOINTS.put("DELETE /internal/v1/secrets/pools/{poolId}", new Endpoint((spec, f) -> spec.delete(
                "/internal/v1/secrets/pools/{p}?version=1", f.poolId), only("sync-service", Outcome.ok(204))));
        ENDPOINTS.put("POST /internal/v1/onetime/decrypt", new Endpoint((spec, f) -> spec.contentType(ContentType.JSON)
                .body("{\"uniqueId\":\"" + UUID.randomUUID() + "\",\"ciphertext\":\"AAAA\"}").post("/internal/v1/onetime/decrypt"),
                nobody()));
        // app secrets are key material too: signing-service reads any tenant's, nobody else any
        ENDPOINTS.put("GET /internal/v1/app-secrets", new Endpoint((spec, f) -> spec.get(
                "/internal/v1/app-secrets?tenantId={t}&provider=alipay&appId={a}&environment=PRODUCTION&type=AES", f.tenantA, f.appId),
                only("signing-service", Outcome.ok(200))));
        ENDPOINTS.put("POST /internal/v1/secrets/rewrap", new Endpoint((spec, f) -> spec.post("/internal/v1/secrets/rewrap"), nobody()));
    }

    @Test
    void everyInternalEndpointAnswersEachServiceOnlyWhatItsIdentityAllows() throws Exception {
        assertThat(ENDPOINTS.keySet()).as("every internal endpoint of the OpenAPI has a row").containsExactlyInAnyOrderElementsOf(internalOperations());
        String tenantA = newTenant();
        String tenantB = newTenant();
        String appId = "matrix-" + UUID.randomUUID().toString().substring(0, 8);
        String keyId = as(tenantA).contentType(ContentType.JSON)
                .body("{\"provider\":\"alipay\",\"appId\":\"" + appId + "\",\"environment\":\"PRODUCTION\"}")
                .post("/v1/keys").then().statusCode(201).extract().path("keyId");
        as(tenantA).contentType(ContentType.JSON).body("{\"provider\":\"alipay\",\"appId\":\"" + appId
                + "\",\"environment\":\"PRODUCTION\",\"type\":\"AES\",\"secret\":\"dGVuYW50LWEtc2VjcmV0IQ==\"}")
                .post("/v1/app-secrets").then().statusCode(201);
        String poolId = "pool-" + UUID.randomUUID().toString().substring(0, 8);
        service("sync-service", tenantA).contentType(ContentType.JSON).body("{\"version\":1,\"secret\":\"tenant-a-secret\"}")
                .put("/internal/v1/secrets/pools/{p}", poolId).then().statusCode(204);
        Fixture fixture = new Fixture(tenantA, tenantB, appId, keyId, poolId);

        List<String> wrong = new ArrayList<>();
        ENDPOINTS.forEach((operation, endpoint) -> endpoint.expected.forEach((identity, expected) -> {
            Response response = endpoint.call.apply(service(identity, tenantB), fixture);
            String code = response.getContentType().contains("json") ? response.jsonPath().getString("code") : null;
            if (response.statusCode() != expected.status || (expected.code != null && !expected.code.equals(code))) {
                wrong.add(identity + " " + operation + ": expected " + expected + ", got " + response.statusCode() + " " + code);
            }
            assertThat(response.asString()).doesNotContain("tenant-a-secret");
        }));
        assertThat(wrong).isEmpty();

        // nothing acting for B touched A's secret
        service("sync-service", tenantA).get("/internal/v1/secrets/pools/{p}?version=1", poolId)
                .then().statusCode(200).body("secret", equalTo("tenant-a-secret"));
    }

    @Test
    void privateMaterialIsHandedOnlyToTheServiceThatUsesItWhateverTheScopes() {
        String tenant = newTenant();
        String keyId = as(tenant).contentType(ContentType.JSON)
                .body("{\"provider\":\"alipay\",\"appId\":\"admin-" + UUID.randomUUID().toString().substring(0, 8)
                        + "\",\"environment\":\"SANDBOX\"}")
                .post("/v1/keys").then().statusCode(201).extract().path("keyId");
        // the administrator holds every scope, and a system credential it makes may hold keys:material: neither signs
        String handMade = admin().contentType(ContentType.JSON)
                .body("{\"kind\":\"API_KEY\",\"scopes\":[\"keys:material\",\"secrets:pools\"]}").post("/v1/credentials")
                .then().statusCode(201).extract().path("apiKey");
        for (String apiKey : List.of(Tenancy.ADMIN_API_KEY, handMade)) {
            for (String path : List.of("/internal/v1/keys/{k}/versions/1/material", "/internal/v1/keys/{k}",
                    "/internal/v1/app-secrets?tenantId=" + tenant + "&provider=alipay&appId=x&environment=SANDBOX&type=AES&k={k}")) {
                withKey(apiKey).get(path, keyId).then().statusCode(403)
                        .contentType("application/problem+json").body("code", equalTo(MaterialReaders.REFUSED_CODE))
                        .body("detail", org.hamcrest.Matchers.containsString("signing-service"));
            }
        }
        admin().get("/internal/v1/keys/{k}/versions/1/material", UUID.randomUUID()).then().statusCode(403)
                .body("code", equalTo(MaterialReaders.REFUSED_CODE));
        service("sync-service", tenant).contentType(ContentType.JSON).body("{\"version\":1,\"secret\":\"kept-from-admin\"}")
                .put("/internal/v1/secrets/pools/p1").then().statusCode(204);
        withKey(handMade).header(Caller.TENANT_HEADER, tenant).get("/internal/v1/secrets/pools/p1?version=1").then().statusCode(403)
                .body("code", equalTo(MaterialReaders.REFUSED_CODE));
        service("signing-service", null).get("/internal/v1/keys/{k}/versions/1/material", keyId).then().statusCode(200);
    }

    @Test
    void nobodyTakesOverAServiceCredentialByRotatingIt() {
        String signingCredential = withKey(Tenancy.SERVICE_API_KEYS.get("signing-service")).get("/v1/credentials/whoami")
                .then().statusCode(200).extract().path("credentialId");
        // a new key of signing-service's credential would be signing-service: its keys change only through configuration
        admin().post("/v1/credentials/{id}/rotate", signingCredential).then().statusCode(409)
                .contentType("application/problem+json").body("code", equalTo("BOOTSTRAP_CREDENTIAL"))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("kf_")));
        service("signing-service", null).get("/internal/v1/keys/{k}", UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void operatorsSeeEachServiceCredentialWithOnlyItsOwnScopes() {
        JsonNode items = JSON.valueToTree(admin().get("/v1/credentials?size=100").then().statusCode(200).extract().jsonPath().getList("items"));
        Map<String, List<String>> scopesByBootstrap = new LinkedHashMap<>();
        for (JsonNode item : items) {
            if (!item.path("bootstrap").isNull() && !item.path("bootstrap").isMissingNode()) {
                List<String> scopes = new ArrayList<>();
                item.path("scopes").forEach(scope -> scopes.add(scope.asText()));
                scopesByBootstrap.put(item.path("bootstrap").asText(), scopes);
            }
        }
        for (ServiceIdentity identity : ServiceIdentity.KNOWN) {
            assertThat(scopesByBootstrap.get("service:" + identity.name())).as(identity.name())
                    .containsExactlyInAnyOrderElementsOf(identity.scopes());
        }
        assertThat(scopesByBootstrap.get("service:bench")).containsExactlyElementsOf(ServiceIdentity.OTHER);
        for (String service : Tenancy.SERVICE_API_KEYS.keySet()) {
            assertThat(scopesByBootstrap.get("service:" + service)).doesNotContain("keys:write", "tenants:admin", "credentials:admin");
        }
    }

    private static TreeSet<String> internalOperations() {
        TreeSet<String> operations = OpenApiOperations.of(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        operations.removeIf(operation -> !operation.substring(operation.indexOf(' ') + 1).startsWith("/internal/"));
        return operations;
    }
}
