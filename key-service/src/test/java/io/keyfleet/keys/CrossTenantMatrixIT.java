package io.keyfleet.keys;

import static io.keyfleet.keys.support.Tenancy.admin;
import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static io.keyfleet.keys.support.Tenancy.withKey;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.auth.RequestSignature;
import io.keyfleet.auth.Scopes;
import io.keyfleet.keys.support.OneTimeClient;
import io.keyfleet.keys.support.Tenancy;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.OpenApiOperations;
import io.keyfleet.testkit.PostgresTestResource;
import io.keyfleet.testkit.TestCa;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Tenant boundaries of every key-service endpoint (issue 15). Tenant B's own credential, holding every scope a
 * tenant may hold, goes at tenant A's resources: read, change, delete, act for. Each operation of key-service's
 * OpenAPI document has a row here, so a new endpoint without one fails this test. Every row is called twice: as B
 * (A's ids are 404 as if they did not exist, lists and searches leave A out, what only the system tenant may do is
 * 403, and what creates something creates it in B; a 404 reads exactly as one about an id nobody has), and as B
 * naming A in X-Keyfleet-Tenant (403). Afterwards A's
 * key, credential, provider key, one-time key and app secret are exactly as they were. The last test is the second finding of
 * the issue: a system credential's signed request cannot be sent again for another tenant.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class CrossTenantMatrixIT {

    /** What tenant A owns; B's calls name these ids. */
    private record Fixture(String tenantA, String tenantB, String keyId, String appId, String credentialId, String apiKeyOfA,
                           String providerKeyId, String oneTimeId, String oneTimeCiphertext, String secretId,
                           String providerCertificateId) {
    }

    /** Checks one answer; null when it is as expected, else what is wrong. */
    @FunctionalInterface
    private interface Expectation {
        String problem(Response response, Fixture fixture);
    }

    /** namingA: the code of the 403 when B names A in X-Keyfleet-Tenant (a scope B cannot hold is refused before that). */
    private record Row(BiFunction<RequestSpecification, Fixture, Response> call, Expectation asB, String namingA) {
    }

    private static final String NOT_ALLOWED = "TENANT_NOT_ALLOWED";
    private static final String SCOPE = "INSUFFICIENT_SCOPE";
    private static final Map<String, Row> ROWS = new LinkedHashMap<>();
    /** Alipay certificate mode: one CA for A's and B's certificates. */
    private static final TestCa.Authority ROOT = TestCa.root("CN=Matrix Root,O=Keyfleet Test,C=CN", "SHA256withRSA");
    private static final String ROOT_PEM = ROOT.pem();
    private static final String PROVIDER_CERTIFICATES = "{\"provider\":\"alipay\",\"environment\":\"SANDBOX\",\"certificate\":\""
            + TestCa.pem(TestCa.leaf(ROOT, "CN=Matrix Alipay", TestCa.rsa().getPublic())).replace("\n", "\\n")
            + "\",\"rootCertificate\":\"" + ROOT_PEM.replace("\n", "\\n") + "\"}";

    private static void row(String operation, BiFunction<RequestSpecification, Fixture, Response> call, Expectation asB) {
        ROWS.put(operation, new Row(call, asB, NOT_ALLOWED));
    }

    /** An operation only the system tenant's credentials reach: B cannot even hold its scope. */
    private static void systemOnly(String operation, BiFunction<RequestSpecification, Fixture, Response> call) {
        ROWS.put(operation, new Row(call, refused(403, SCOPE), SCOPE));
    }

    static {
        // tenants and cross-tenant internals: scopes a tenant's credential cannot hold
        systemOnly("POST /v1/tenants", (s, f) -> json(s, "{\"id\":\"t-" + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"name\":\"B's\"}").post("/v1/tenants"));
        systemOnly("GET /v1/tenants/{tenantId}", (s, f) -> s.get("/v1/tenants/{t}", f.tenantA()));
        systemOnly("GET /internal/v1/keys", (s, f) -> s.get("/internal/v1/keys?tenantId={t}&provider=alipay&appId={a}&environment=SANDBOX",
                f.tenantA(), f.appId()));
        systemOnly("GET /internal/v1/keys/{keyId}", (s, f) -> s.get("/internal/v1/keys/{k}", f.keyId()));
        systemOnly("GET /internal/v1/keys/{keyId}/versions/{version}/material", (s, f) -> s.get(
                "/internal/v1/keys/{k}/versions/1/material", f.keyId()));
        systemOnly("PUT /internal/v1/secrets/pools/{poolId}", (s, f) -> json(s, "{\"version\":2,\"secret\":\"from-b\"}")
                .put("/internal/v1/secrets/pools/pool-of-a"));
        systemOnly("GET /internal/v1/secrets/pools/{poolId}", (s, f) -> s.get("/internal/v1/secrets/pools/pool-of-a?version=1"));
        systemOnly("DELETE /internal/v1/secrets/pools/{poolId}", (s, f) -> s.delete("/internal/v1/secrets/pools/pool-of-a?version=1"));
        systemOnly("POST /internal/v1/secrets/rewrap", (s, f) -> s.post("/internal/v1/secrets/rewrap"));
        systemOnly("GET /internal/v1/app-secrets", (s, f) -> s.get("/internal/v1/app-secrets?tenantId={t}&provider=alipay&appId={a}"
                + "&environment=SANDBOX&type=AES", f.tenantA(), f.appId()));

        // app secrets: B's POST makes B's own secret for the app, never A's
        row("POST /v1/app-secrets", (s, f) -> json(s, "{\"provider\":\"alipay\",\"appId\":\"" + f.appId()
                + "\",\"environment\":\"SANDBOX\",\"type\":\"AES\"}").post("/v1/app-secrets"), created("secretId", Fixture::secretId));
        row("GET /v1/app-secrets", (s, f) -> s.get("/v1/app-secrets?appId={a}", f.appId()), without(Fixture::secretId));
        row("GET /v1/app-secrets/{secretId}", (s, f) -> s.get("/v1/app-secrets/{id}", f.secretId()), refused(404, "SECRET_NOT_FOUND"));
        row("POST /v1/app-secrets/{secretId}/rotate", (s, f) -> s.post("/v1/app-secrets/{id}/rotate", f.secretId()),
                refused(404, "SECRET_NOT_FOUND"));
        row("POST /v1/app-secrets/{secretId}/import", (s, f) -> json(s, "{\"secret\":\"" + Base64.getEncoder().encodeToString(new byte[16])
                + "\"}").post("/v1/app-secrets/{id}/import", f.secretId()), refused(404, "SECRET_NOT_FOUND"));
        row("POST /v1/app-secrets/{secretId}/versions/{version}/revoke", (s, f) -> s.post("/v1/app-secrets/{id}/versions/1/revoke",
                f.secretId()), refused(404, "SECRET_NOT_FOUND"));

        // app keys
        row("POST /v1/keys", (s, f) -> json(s, "{\"provider\":\"alipay\",\"appId\":\"" + f.appId() + "\",\"environment\":\"SANDBOX\"}")
                .post("/v1/keys"), created("keyId", Fixture::keyId));
        row("POST /v1/keys/import", (s, f) -> json(s, "{\"provider\":\"alipay\",\"appId\":\"" + f.appId()
                + "\",\"environment\":\"PRODUCTION\",\"publicKey\":\"" + publicKeyBase64() + "\"}").post("/v1/keys/import"),
                created("keyId", Fixture::keyId));
        row("GET /v1/keys", (s, f) -> s.get("/v1/keys?appId={a}", f.appId()), without(Fixture::keyId));
        row("GET /v1/keys/{keyId}", (s, f) -> s.get("/v1/keys/{k}", f.keyId()), refused(404, "KEY_NOT_FOUND"));
        row("GET /v1/keys/{keyId}/public-key", (s, f) -> s.get("/v1/keys/{k}/public-key", f.keyId()), refused(404, "KEY_NOT_FOUND"));
        row("POST /v1/keys/{keyId}/rotate", (s, f) -> s.post("/v1/keys/{k}/rotate", f.keyId()), refused(404, "KEY_NOT_FOUND"));
        row("POST /v1/keys/{keyId}/versions", (s, f) -> json(s, "{}").post("/v1/keys/{k}/versions", f.keyId()),
                refused(404, "KEY_NOT_FOUND"));
        row("POST /v1/keys/{keyId}/versions/{version}/promote", (s, f) -> s.post("/v1/keys/{k}/versions/2/promote", f.keyId()),
                refused(404, "KEY_NOT_FOUND"));
        row("POST /v1/keys/{keyId}/versions/{version}/revoke", (s, f) -> s.post("/v1/keys/{k}/versions/2/revoke", f.keyId()),
                refused(404, "KEY_NOT_FOUND"));
        row("POST /v1/keys/{keyId}/revoke", (s, f) -> s.post("/v1/keys/{k}/revoke", f.keyId()), refused(404, "KEY_NOT_FOUND"));
        row("PUT /v1/keys/{keyId}/policy", (s, f) -> json(s, "{\"gracePeriod\":\"PT1S\",\"rotateAfterDays\":1}")
                .put("/v1/keys/{k}/policy", f.keyId()), refused(404, "KEY_NOT_FOUND"));

        // provider keys: B's PUT sets B's own key for the provider, never A's
        row("PUT /v1/provider-keys", (s, f) -> json(s, "{\"provider\":\"alipay\",\"environment\":\"SANDBOX\",\"publicKey\":\""
                + publicKeyBase64() + "\"}").put("/v1/provider-keys"), created("id", Fixture::providerKeyId));
        row("GET /v1/provider-keys", (s, f) -> s.get("/v1/provider-keys?provider=alipay"), without(Fixture::providerKeyId));
        row("GET /v1/provider-keys/{id}", (s, f) -> s.get("/v1/provider-keys/{id}", f.providerKeyId()),
                refused(404, "PROVIDER_KEY_NOT_FOUND"));

        // Alipay certificate mode: B's PUT sets B's own provider certificates; A's app certificates are A's key's
        row("PUT /v1/provider-certificates", (s, f) -> json(s, PROVIDER_CERTIFICATES).put("/v1/provider-certificates"),
                created("id", Fixture::providerCertificateId));
        row("GET /v1/provider-certificates", (s, f) -> s.get("/v1/provider-certificates?provider=alipay"),
                without(Fixture::providerCertificateId));
        row("GET /v1/provider-certificates/{id}", (s, f) -> s.get("/v1/provider-certificates/{id}", f.providerCertificateId()),
                refused(404, "PROVIDER_CERTIFICATE_NOT_FOUND"));
        row("PUT /v1/keys/{keyId}/certificates", (s, f) -> json(s, "{\"certificate\":\"" + ROOT_PEM.replace("\n", "\\n") + "\"}")
                .put("/v1/keys/{k}/certificates", f.keyId()), refused(404, "KEY_NOT_FOUND"));
        row("GET /v1/keys/{keyId}/certificates", (s, f) -> s.get("/v1/keys/{k}/certificates", f.keyId()), refused(404, "KEY_NOT_FOUND"));

        // credentials
        row("POST /v1/credentials", (s, f) -> json(s, "{\"kind\":\"API_KEY\",\"scopes\":[\"keys:read\"]}").post("/v1/credentials"),
                created("credential.credentialId", Fixture::credentialId));
        row("GET /v1/credentials", (s, f) -> s.get("/v1/credentials?size=200"), without(Fixture::credentialId));
        row("GET /v1/credentials/{id}", (s, f) -> s.get("/v1/credentials/{id}", f.credentialId()), refused(404, "CREDENTIAL_NOT_FOUND"));
        row("GET /v1/credentials/{id}/health", (s, f) -> s.get("/v1/credentials/{id}/health", f.credentialId()),
                refused(404, "CREDENTIAL_NOT_FOUND"));
        row("POST /v1/credentials/{id}/rotate", (s, f) -> s.post("/v1/credentials/{id}/rotate", f.credentialId()),
                refused(404, "CREDENTIAL_NOT_FOUND"));
        row("POST /v1/credentials/{id}/revoke", (s, f) -> s.post("/v1/credentials/{id}/revoke", f.credentialId()),
                refused(404, "CREDENTIAL_NOT_FOUND"));
        row("POST /v1/credentials/{id}/enable", (s, f) -> s.post("/v1/credentials/{id}/enable", f.credentialId()),
                refused(404, "CREDENTIAL_NOT_FOUND"));
        row("POST /v1/credentials/{id}/disable", (s, f) -> s.post("/v1/credentials/{id}/disable", f.credentialId()),
                refused(404, "CREDENTIAL_NOT_FOUND"));
        // B verifies only its own credentials: A's key is unknown to it
        row("POST /v1/credentials/verify", (s, f) -> json(s, "{\"apiKey\":\"" + f.apiKeyOfA() + "\"}").post("/v1/credentials/verify"),
                answered(200, "code", "NOT_FOUND"));
        row("GET /v1/credentials/whoami", (s, f) -> s.get("/v1/credentials/whoami"), (response, f) ->
                answered(200, "actingForTenant", f.tenantB()).problem(response, f));

        // audit: A's records are not B's to see, even searched for by A's id
        row("GET /v1/audit", (s, f) -> s.get("/v1/audit?target={k}", f.keyId()), answered(200, "total", "0"));

        // one-time keys: B's apply makes a key of B; A's key cannot be decrypted (or used up) by B
        row("POST /ams/api/v1/customer/applyPublicKey", (s, f) -> json(s, "{\"customerId\":\"2188000012345678\"}")
                .post("/ams/api/v1/customer/applyPublicKey"), answered(200, "result.resultStatus", "S"));
        row("POST /internal/v1/onetime/decrypt", (s, f) -> json(s, "{\"uniqueId\":\"" + f.oneTimeId() + "\",\"ciphertext\":\""
                + f.oneTimeCiphertext() + "\"}").post("/internal/v1/onetime/decrypt"), refused(404, "ONE_TIME_KEY_NOT_FOUND"));
    }

    @Test
    void tenantBsCredentialReachesNoneOfTenantAsResourcesThroughAnyEndpoint() throws Exception {
        assertThat(ROWS.keySet()).as("every operation of key-service's OpenAPI has a row")
                .containsExactlyInAnyOrderElementsOf(OpenApiOperations.of(given().get("/q/openapi?format=json").then().statusCode(200)
                        .extract().asString()));
        Fixture f = tenantAWithOneOfEverything();
        String credentialOfB = Tenancy.apiKey(f.tenantB(), tenantScopes());

        // ids nobody has: a 404 about A's resource must read exactly as one about these (the ids B named aside)
        Fixture ghost = new Fixture(f.tenantA(), f.tenantB(), UUID.randomUUID().toString(), f.appId(), UUID.randomUUID().toString(),
                f.apiKeyOfA(), UUID.randomUUID().toString(), UUID.randomUUID().toString().replace("-", "").substring(0, 22),
                f.oneTimeCiphertext(), UUID.randomUUID().toString(), UUID.randomUUID().toString());

        List<String> wrong = new ArrayList<>();
        ROWS.forEach((operation, row) -> {
            Response asB = row.call().apply(withKey(credentialOfB), f);
            String problem = row.asB().problem(asB, f);
            if (problem != null) {
                wrong.add("as B: " + operation + ": " + problem);
            }
            if (asB.statusCode() == 404) {
                Response forGhost = row.call().apply(withKey(credentialOfB), ghost);
                if (!normalized(asB, f).equals(normalized(forGhost, ghost))) {
                    wrong.add("as B: " + operation + ": A's resource answers otherwise than one that does not exist: " + asB.asString()
                            + " / " + forGhost.asString());
                }
            }
            Response namingA = row.call().apply(withKey(credentialOfB).header(Caller.TENANT_HEADER, f.tenantA()), f);
            problem = refused(403, row.namingA()).problem(namingA, f);
            if (problem != null) {
                wrong.add("as B naming A: " + operation + ": " + problem);
            }
        });
        assertThat(wrong).isEmpty();

        // A's resources are as they were
        as(f.tenantA()).get("/v1/keys/{k}", f.keyId()).then().statusCode(200).body("currentVersion", equalTo(1))
                .body("revokedAt", equalTo(null)).body("rotateAfterDays", equalTo(null))
                .body("versions.find { it.version == 2 }.state", equalTo("PENDING"));
        as(f.tenantA()).get("/v1/credentials/{id}", f.credentialId()).then().statusCode(200).body("currentVersion", equalTo(1))
                .body("enabled", equalTo(true)).body("revokedAt", equalTo(null));
        withKey(f.apiKeyOfA()).get("/v1/credentials/whoami").then().statusCode(200).body("tenantId", equalTo(f.tenantA()));
        as(f.tenantA()).get("/v1/provider-keys/{id}", f.providerKeyId()).then().statusCode(200).body("currentVersion", equalTo(1));
        as(f.tenantA()).get("/v1/app-secrets/{id}", f.secretId()).then().statusCode(200).body("currentVersion", equalTo(1))
                .body("versions.size()", equalTo(1));
        as(f.tenantA()).get("/v1/provider-certificates/{id}", f.providerCertificateId()).then().statusCode(200)
                .body("rootCertSn", equalTo(io.keyfleet.kit.crypto.AlipayCertificates.certSn(ROOT.certificate())));
        as(f.tenantA()).get("/v1/keys/{k}/certificates", f.keyId()).then().statusCode(200).body("size()", equalTo(1));
        as(f.tenantA()).contentType(ContentType.JSON).body("{\"uniqueId\":\"" + f.oneTimeId() + "\",\"ciphertext\":\""
                + f.oneTimeCiphertext() + "\"}").post("/internal/v1/onetime/decrypt").then().statusCode(200)
                .body("password", equalTo("password of A"));
    }

    /**
     * Issue 15, second finding: a system credential acts for whichever tenant it names, so its signed request must hold
     * only for the tenant it was signed for. Caught on its way and sent first with another X-Keyfleet-Tenant (or none),
     * it is refused; the genuine request still goes through afterwards.
     */
    @Test
    void aSystemCredentialsSignedRequestCannotBeSentAgainForAnotherTenant() {
        String tenantA = newTenant();
        String tenantB = newTenant();
        json(as(tenantB), "{\"provider\":\"alipay\",\"appId\":\"2021000000000077\",\"environment\":\"SANDBOX\"}").post("/v1/keys")
                .then().statusCode(201);
        ExtractableResponse<Response> system = json(admin(), "{\"kind\":\"SECRET_PAIR\",\"scopes\":[\"keys:read\"]}")
                .post("/v1/credentials").then().statusCode(201).extract();
        Map<String, String> forA = RequestSignature.headers(system.path("secretId"), system.path("secretKey"), "GET", "/v1/keys", null,
                tenantA, null);

        Map<String, String> forB = new HashMap<>(forA);
        forB.put(Caller.TENANT_HEADER, tenantB);
        given().headers(forB).get("/v1/keys").then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("INVALID_SIGNATURE")).body("detail", containsString(Caller.TENANT_HEADER));
        Map<String, String> forNone = new HashMap<>(forA);
        forNone.remove(Caller.TENANT_HEADER);
        given().headers(forNone).get("/v1/keys").then().statusCode(401).body("code", equalTo("INVALID_SIGNATURE"));

        given().headers(forA).get("/v1/keys").then().statusCode(200).body("total", equalTo(0));
        given().headers(forA).get("/v1/keys").then().statusCode(401).body("code", equalTo("REPLAYED"));
    }

    // --- fixture and expectations ----------------------------------------------------------------------------------

    private static Fixture tenantAWithOneOfEverything() throws Exception {
        String tenantA = newTenant();
        String tenantB = newTenant();
        String appId = "cross-" + UUID.randomUUID().toString().substring(0, 8);
        ExtractableResponse<Response> key = json(as(tenantA), "{\"provider\":\"alipay\",\"appId\":\"" + appId + "\",\"environment\":\"SANDBOX\"}")
                .post("/v1/keys").then().statusCode(201).extract();
        String keyId = key.path("keyId");
        String providerCertificateId = json(as(tenantA), PROVIDER_CERTIFICATES).put("/v1/provider-certificates").then().statusCode(200)
                .extract().path("id");
        java.security.PublicKey appPublicKey = java.security.KeyFactory.getInstance("RSA").generatePublic(
                new java.security.spec.X509EncodedKeySpec(Base64.getDecoder().decode((String) key.path("publicKeyBase64"))));
        json(as(tenantA), "{\"certificate\":\"" + TestCa.pem(TestCa.leaf(ROOT, "CN=" + appId, appPublicKey)).replace("\n", "\\n") + "\"}")
                .put("/v1/keys/{k}/certificates", keyId).then().statusCode(200);
        json(as(tenantA), "{}").post("/v1/keys/{k}/versions", keyId).then().statusCode(201).body("version", equalTo(2));
        ExtractableResponse<Response> credential = json(as(tenantA), "{\"kind\":\"API_KEY\",\"scopes\":[\"keys:read\"]}")
                .post("/v1/credentials").then().statusCode(201).extract();
        String providerKeyId = json(as(tenantA), "{\"provider\":\"alipay\",\"environment\":\"SANDBOX\",\"publicKey\":\""
                + publicKeyBase64() + "\"}").put("/v1/provider-keys").then().statusCode(200).extract().path("id");
        JsonPath applied = json(as(tenantA), "{\"customerId\":\"2188000012345678\"}").post("/ams/api/v1/customer/applyPublicKey")
                .then().statusCode(200).extract().jsonPath();
        String secretId = json(as(tenantA), "{\"provider\":\"alipay\",\"appId\":\"" + appId
                + "\",\"environment\":\"SANDBOX\",\"type\":\"AES\"}").post("/v1/app-secrets").then().statusCode(201).extract().path("secretId");
        return new Fixture(tenantA, tenantB, keyId, appId, credential.path("credential.credentialId"), credential.path("apiKey"),
                providerKeyId, applied.getString("publicKeyInfo.uniqueId"), OneTimeClient.clientEncrypt(applied, "password of A"), secretId,
                providerCertificateId);
    }

    /** Every scope a tenant's credential may hold. */
    private static String[] tenantScopes() {
        List<String> scopes = new ArrayList<>(Scopes.ALL);
        scopes.removeAll(Scopes.SYSTEM_ONLY);
        return scopes.toArray(String[]::new);
    }

    private static RequestSpecification json(RequestSpecification spec, String body) {
        return spec.contentType(ContentType.JSON).body(body);
    }

    private static String publicKeyBase64() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The answer with the ids it was asked about as placeholders, and without its request id. */
    private static String normalized(Response response, Fixture f) {
        return response.statusCode() + " " + response.asString().replace(f.keyId(), "{key}").replace(f.credentialId(), "{credential}")
                .replace(f.providerKeyId(), "{providerKey}").replace(f.providerCertificateId(), "{providerCertificate}")
                .replace(f.oneTimeId(), "{oneTime}").replace(f.secretId(), "{secret}")
                .replaceAll("\"requestId\":\"[^\"]*\"", "");
    }

    private static String code(Response response) {
        String type = response.getContentType();
        return type != null && type.contains("json") ? response.jsonPath().getString("code") : null;
    }

    private static Expectation refused(int status, String code) {
        return (response, f) -> response.statusCode() == status && code.equals(code(response)) ? null
                : "expected " + status + " " + code + ", got " + response.statusCode() + " " + response.asString();
    }

    /** The status, and the field at {@code path} reads {@code value}. */
    private static Expectation answered(int status, String path, String value) {
        return (response, f) -> response.statusCode() == status && value.equals(response.jsonPath().getString(path)) ? null
                : "expected " + status + " with " + path + " = " + value + ", got " + response.statusCode() + " " + response.asString();
    }

    /** 200, and A's id appears nowhere in the answer. */
    private static Expectation without(java.util.function.Function<Fixture, String> idOfA) {
        return (response, f) -> response.statusCode() == 200 && !response.asString().contains(idOfA.apply(f)) ? null
                : "expected 200 without A's " + idOfA.apply(f) + ", got " + response.statusCode() + " " + response.asString();
    }

    /** A new resource of B's own (2xx), never A's. */
    private static Expectation created(String idPath, java.util.function.Function<Fixture, String> idOfA) {
        return (response, f) -> response.statusCode() / 100 == 2 && response.jsonPath().getString(idPath) != null
                && !response.jsonPath().getString(idPath).equals(idOfA.apply(f)) ? null
                : "expected a new resource of B, got " + response.statusCode() + " " + response.asString();
    }
}
