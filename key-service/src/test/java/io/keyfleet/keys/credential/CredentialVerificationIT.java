package io.keyfleet.keys.credential;

import io.keyfleet.auth.ApiKeyFormat;
import io.keyfleet.auth.RequestSignature.Version;
import io.keyfleet.keys.support.Tenancy;
import io.keyfleet.kit.auth.PresentedCredential;
import io.keyfleet.keys.api.Verification;
import static io.keyfleet.keys.credential.CredentialTesting.createApiKey;
import static io.keyfleet.keys.credential.CredentialTesting.createPair;
import static io.keyfleet.keys.credential.CredentialTesting.signed;
import static io.keyfleet.keys.credential.CredentialTesting.signedNow;
import static io.keyfleet.keys.credential.CredentialTesting.verify;
import static io.keyfleet.keys.credential.CredentialTesting.verifyKey;
import static io.keyfleet.keys.support.Tenancy.admin;
import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every verification outcome, over HTTP and in-process. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class CredentialVerificationIT {

    @Inject
    EntityManager entityManager;

    @Inject
    CredentialVerifier verifier;

    @Inject
    io.keyfleet.kit.auth.VerificationCache verificationCache;

    @Inject
    io.keyfleet.kit.auth.AuthConfig authConfig;

    @Inject
    io.micrometer.core.instrument.MeterRegistry metrics;

    @Test
    void aValidApiKeyIsValidAndNamesItsTenant() {
        String tenant = newTenant();
        ExtractableResponse<Response> created = createApiKey(tenant, "");
        String apiKey = created.path("apiKey");
        verifyKey(apiKey, "198.51.100.1", "keys:read").then().statusCode(200)
                .body("valid", equalTo(true)).body("code", equalTo("VALID"))
                .body("tenantId", equalTo(tenant)).body("credentialId", equalTo(created.path("credential.credentialId")));
        verifyKey("Bearer " + apiKey, null, "tokens:issue").then().body("code", equalTo("VALID"));

        Verification inProcess = verifier.verify(new PresentedCredential(apiKey, null, "10.1.1.1", "keys:read"), null);
        assertThat(inProcess.valid()).isTrue();
        assertThat(inProcess.scopes()).containsExactly("keys:read", "tokens:*");
    }

    @Test
    void aTenantVerifiesOnlyItsOwnCredentialsWhileTheSuiteVerifiesAll() {
        String tenant = newTenant();
        String other = newTenant();
        String othersKey = createApiKey(other, "").path("apiKey");
        String ownKey = createApiKey(tenant, "").path("apiKey");
        String verifierKey = Tenancy.apiKey(tenant, "credentials:verify");
        Map<String, Object> presented = new java.util.HashMap<>();
        presented.put("apiKey", othersKey);
        Tenancy.withKey(verifierKey).contentType(ContentType.JSON).body(presented).post("/v1/credentials/verify")
                .then().statusCode(200).body("code", equalTo("NOT_FOUND")).body("tenantId", nullValue());
        presented.put("apiKey", ownKey);
        Tenancy.withKey(verifierKey).contentType(ContentType.JSON).body(presented).post("/v1/credentials/verify")
                .then().statusCode(200).body("code", equalTo("VALID")).body("tenantId", equalTo(tenant));
        verifyKey(othersKey, null, null).then().body("code", equalTo("VALID")).body("tenantId", equalTo(other));
        // verifying needs its own scope
        Tenancy.withKey(ownKey).contentType(ContentType.JSON).body(presented).post("/v1/credentials/verify")
                .then().statusCode(403).body("code", equalTo("INSUFFICIENT_SCOPE"));
    }

    @Test
    void missingAndUnknownKeys() {
        verifyKey(null, "10.0.0.1", null).then().statusCode(200).body("valid", equalTo(false)).body("code", equalTo("MISSING"));
        String unknown = ApiKeyFormat.generate(true);
        verifyKey(unknown, "10.0.0.1", null).then().body("code", equalTo("NOT_FOUND")).body("message", containsString("Credentials"));
        verifyKey("kf_live_definitely-not-a-key", "10.0.0.1", null).then().body("code", equalTo("NOT_FOUND"))
                .body("message", containsString("checksum"));
        String tenant = newTenant();
        String apiKey = createApiKey(tenant, "").path("apiKey");
        String wrong = apiKey.substring(0, 20) + (apiKey.charAt(20) == 'a' ? 'b' : 'a') + apiKey.substring(21);
        verifyKey(wrong, "10.0.0.1", null).then().body("code", equalTo("NOT_FOUND"));
    }

    @Test
    void expiredRevokedAndDisabled() {
        String tenant = newTenant();
        ExtractableResponse<Response> created = createApiKey(tenant, ",\"expiresAt\":\"2099-01-01T00:00:00Z\"");
        String apiKey = created.path("apiKey");
        String id = created.path("credential.credentialId");
        verifyKey(apiKey, null, null).then().body("code", equalTo("VALID"));

        as(tenant).post("/v1/credentials/{id}/disable", id).then().statusCode(200).body("enabled", equalTo(false));
        verifyKey(apiKey, null, null).then().body("valid", equalTo(false)).body("code", equalTo("DISABLED"))
                .body("message", containsString("enable it"));
        as(tenant).post("/v1/credentials/{id}/enable", id).then().statusCode(200);
        verifyKey(apiKey, null, null).then().body("code", equalTo("VALID"));

        QuarkusTransaction.requiringNew().run(() -> entityManager
                .createNativeQuery("update api_credential set expires_at = '2026-10-01T12:00:00Z' where id = cast(?1 as uuid)")
                .setParameter(1, id).executeUpdate());
        // a change behind the service's back publishes no event: drop the cached VALID answer as the event would
        verificationCache.evict(UUID.fromString(id));
        verifyKey(apiKey, null, null).then().body("code", equalTo("EXPIRED"))
                .body("message", equalTo("The key expired on 2026-10-01; create a new key under Credentials and update the integration."));

        as(tenant).post("/v1/credentials/{id}/revoke", id).then().statusCode(200);
        verifyKey(apiKey, null, null).then().body("code", equalTo("REVOKED")).body("message", containsString("was revoked on"));
    }

    /**
     * Issue 15: a service that has just heard a credential event asks with Cache-Control: no-cache, so that an answer
     * this instance cached before the change (it may not have heard the event yet) does not fill the service's cache.
     */
    @Test
    void noCacheAsksPastTheCachedAnswer() {
        String tenant = newTenant();
        ExtractableResponse<Response> created = createApiKey(tenant, "");
        String apiKey = created.path("apiKey");
        String id = created.path("credential.credentialId");
        verifyKey(apiKey, null, null).then().body("code", equalTo("VALID"));
        QuarkusTransaction.requiringNew().run(() -> entityManager
                .createNativeQuery("update api_credential set enabled = false where id = cast(?1 as uuid)")
                .setParameter(1, id).executeUpdate());
        verifyKey(apiKey, null, null).then().body("code", equalTo("VALID"));
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("apiKey", apiKey);
        admin().header("Cache-Control", "no-cache").contentType(ContentType.JSON).body(body).post("/v1/credentials/verify")
                .then().statusCode(200).body("code", equalTo("DISABLED"));
    }

    @Test
    void wrongSourceAddressAndInsufficientScope() {
        String tenant = newTenant();
        String apiKey = createApiKey(tenant, ",\"ipWhitelist\":[\"203.0.113.0/24\",\"2001:db8::/32\"]").path("apiKey");
        verifyKey(apiKey, "203.0.113.99", "keys:read").then().body("code", equalTo("VALID"));
        verifyKey(apiKey, "2001:db8:1::5", "keys:read").then().body("code", equalTo("VALID"));
        verifyKey(apiKey, "198.51.100.1", "keys:read").then().body("code", equalTo("FORBIDDEN_IP"))
                .body("message", containsString("198.51.100.1")).body("message", containsString("IP whitelist"));
        verifyKey(apiKey, "2001:db9::1", "keys:read").then().body("code", equalTo("FORBIDDEN_IP"));
        verifyKey(apiKey, null, "keys:read").then().body("code", equalTo("FORBIDDEN_IP")).body("message", containsString("unknown address"));
        verifyKey(apiKey, "203.0.113.99", "keys:write").then().body("code", equalTo("INSUFFICIENT_SCOPE"))
                .body("message", containsString("'keys:write'"));
    }

    @Test
    void aSignedRequestIsValidOnceThenReplayed() {
        String tenant = newTenant();
        ExtractableResponse<Response> created = createPair(tenant, "");
        String secretId = created.path("secretId");
        String secretKey = created.path("secretKey");
        Map<String, Object> request = signedNow(secretId, secretKey);
        verify(request).then().statusCode(200).body("code", equalTo("VALID")).body("tenantId", equalTo(tenant));
        verify(request).then().body("valid", equalTo(false)).body("code", equalTo("REPLAYED"))
                .body("message", containsString("fresh random nonce"));
    }

    /**
     * Issue 15: a signed request holds only for the X-Keyfleet-Tenant it was signed with (format v2), as the other
     * services present it (the same over HTTP: CrossTenantMatrixIT).
     */
    @Test
    void aSignedRequestPresentedForAnotherTenantIsRefused() {
        String tenantA = newTenant();
        ExtractableResponse<Response> system = admin().contentType(ContentType.JSON)
                .body("{\"kind\":\"SECRET_PAIR\",\"scopes\":[\"keys:read\"]}").post("/v1/credentials").then().statusCode(201).extract();
        Map<String, Object> signedForA = CredentialTesting.signed(Version.V2, system.path("secretId"), system.path("secretKey"), tenantA,
                Instant.now().getEpochSecond(), UUID.randomUUID().toString());
        for (String other : new String[] {newTenant(), null, ""}) {
            Map<String, Object> presented = new java.util.HashMap<>(signedForA);
            presented.put("tenant", other);
            verify(presented).then().statusCode(200).body("code", equalTo("INVALID_SIGNATURE"))
                    .body("message", containsString("X-Keyfleet-Tenant"));
        }
        verify(signedForA).then().body("code", equalTo("VALID")).body("tenantId", equalTo(authConfig.systemTenant()));
    }

    /** The deprecated first format (no signature version) is accepted while allowed, and every use is counted. */
    @Test
    void aV1SignedRequestIsAcceptedWhileAllowedAndCounted() {
        String tenant = newTenant();
        ExtractableResponse<Response> created = createPair(tenant, "");
        double before = v1Uses("accepted");
        verify(CredentialTesting.signedNowV1(created.path("secretId"), created.path("secretKey"), null)).then()
                .body("code", equalTo("VALID")).body("tenantId", equalTo(tenant));
        assertThat(v1Uses("accepted")).isEqualTo(before + 1);
        // a v2 signature presented as v1 (the version left out) does not match: no downgrade
        Map<String, Object> v2 = signedNow(created.path("secretId"), created.path("secretKey"));
        v2.remove("signatureVersion");
        verify(v2).then().body("code", equalTo("INVALID_SIGNATURE"));
        Map<String, Object> unknown = signedNow(created.path("secretId"), created.path("secretKey"));
        unknown.put("signatureVersion", "3");
        verify(unknown).then().body("code", equalTo("INVALID_SIGNATURE")).body("message", containsString("X-Keyfleet-Signature-Version"));
        assertThat(v1Uses("accepted")).isEqualTo(before + 1);

        // over HTTP: the old client sends no version header
        given().headers(CredentialTesting.v1Headers(created.path("secretId"), created.path("secretKey"), "/v1/keys")).get("/v1/keys")
                .then().statusCode(200);
        assertThat(v1Uses("accepted")).isEqualTo(before + 2);
    }

    @Test
    void v1EndsWithTheSwitchOrOnItsDay() {
        Instant now = Instant.parse("2027-03-01T12:00:00Z");
        assertThat(CredentialVerifier.v1Accepted(true, java.util.Optional.empty(), now)).isTrue();
        assertThat(CredentialVerifier.v1Accepted(false, java.util.Optional.empty(), now)).isFalse();
        assertThat(CredentialVerifier.v1Accepted(true, java.util.Optional.of(java.time.LocalDate.parse("2027-03-02")), now)).isTrue();
        assertThat(CredentialVerifier.v1Accepted(true, java.util.Optional.of(java.time.LocalDate.parse("2027-03-01")), now)).isFalse();
        assertThat(CredentialVerifier.v1Accepted(true, java.util.Optional.of(java.time.LocalDate.parse("2027-03-01")),
                Instant.parse("2027-02-28T23:59:59Z"))).isTrue();
    }

    private double v1Uses(String outcome) {
        return CredentialTesting.v1Uses(metrics, outcome);
    }

    @Test
    void badSignaturesAndStaleTimestamps() {
        String tenant = newTenant();
        ExtractableResponse<Response> created = createPair(tenant, "");
        String secretId = created.path("secretId");
        String secretKey = created.path("secretKey");

        Map<String, Object> wrongKey = signedNow(secretId, secretKey.substring(1) + "x");
        verify(wrongKey).then().body("code", equalTo("INVALID_SIGNATURE"));
        Map<String, Object> tampered = signedNow(secretId, secretKey);
        tampered.put("path", "/v1/credentials");
        verify(tampered).then().body("code", equalTo("INVALID_SIGNATURE"));
        Map<String, Object> garbage = signedNow(secretId, secretKey);
        garbage.put("signature", "%%%");
        verify(garbage).then().body("code", equalTo("INVALID_SIGNATURE"));

        long stale = Instant.now().minusSeconds(301).getEpochSecond();
        verify(signed(secretId, secretKey, stale, UUID.randomUUID().toString())).then().body("code", equalTo("INVALID_SIGNATURE"))
                .body("message", containsString("seconds old")).body("message", containsString("5 minutes"));
        long future = Instant.now().plusSeconds(400).getEpochSecond();
        verify(signed(secretId, secretKey, future, UUID.randomUUID().toString())).then().body("code", equalTo("INVALID_SIGNATURE"))
                .body("message", containsString("in the future"));

        Map<String, Object> unknownId = signedNow("kfid_unknown", secretKey);
        verify(unknownId).then().body("code", equalTo("NOT_FOUND"));
        // the nonce of a refused request is not used up
        Map<String, Object> good = signedNow(secretId, secretKey);
        Map<String, Object> bad = new java.util.HashMap<>(good);
        bad.put("signature", signedNow(secretId, "x".repeat(40)).get("signature"));
        verify(bad).then().body("code", equalTo("INVALID_SIGNATURE"));
        verify(good).then().body("code", equalTo("VALID"));
    }

    @Test
    void aRevokedPairIsRevoked() {
        String tenant = newTenant();
        ExtractableResponse<Response> created = createPair(tenant, "");
        as(tenant).post("/v1/credentials/{id}/revoke", (String) created.path("credential.credentialId")).then().statusCode(200);
        verify(signedNow(created.path("secretId"), created.path("secretKey"))).then().body("code", equalTo("REVOKED"));
    }

    @Test
    void theOldSecretWorksUntilTheGraceEnds() {
        String tenant = newTenant();
        ExtractableResponse<Response> created = createApiKey(tenant, "");
        String oldKey = created.path("apiKey");
        String id = created.path("credential.credentialId");
        ExtractableResponse<Response> pair = createPair(tenant, "");
        String pairId = pair.path("credential.credentialId");
        String oldSecret = pair.path("secretKey");

        // a grace long enough for a slow machine to check both old secrets within it
        String newKey = as(tenant).post("/v1/credentials/{id}/rotate?gracePeriod=PT15S", id).then().statusCode(200).extract().path("apiKey");
        String newSecret = as(tenant).post("/v1/credentials/{id}/rotate?gracePeriod=PT15S", pairId).then().statusCode(200)
                .body("secretId", equalTo(pair.path("secretId"))).extract().path("secretKey");
        Instant cachedFrom = Instant.now();
        verifyKey(oldKey, null, null).then().body("code", equalTo("VALID"));
        verifyKey(newKey, null, null).then().body("code", equalTo("VALID"));
        verify(signedNow(pair.path("secretId"), oldSecret)).then().body("code", equalTo("VALID"));
        verify(signedNow(pair.path("secretId"), newSecret)).then().body("code", equalTo("VALID"));

        // the old API key's VALID is cached, but never past the grace: it is refused before the cache's own TTL ends
        await().atMost(Duration.between(Instant.now(), cachedFrom.plus(authConfig.cacheTtl()))).untilAsserted(() ->
                verifyKey(oldKey, null, null).then().body("code", equalTo("EXPIRED")).body("message", containsString("grace period ended")));
        verifyKey(newKey, null, null).then().body("code", equalTo("VALID"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                verify(signedNow(pair.path("secretId"), oldSecret)).then().body("code", equalTo("EXPIRED"))
                        .body("message", containsString("grace period ended")));
        verify(signedNow(pair.path("secretId"), newSecret)).then().body("code", equalTo("VALID"));
    }

    @Test
    void malformedVerifyBodiesAreAnsweredWithoutA5xx() {
        admin().contentType(ContentType.JSON).body("{}").post("/v1/credentials/verify").then().statusCode(200).body("code", equalTo("MISSING"));
        admin().contentType(ContentType.JSON).body("{\"secretId\":\"kfid_x\"}").post("/v1/credentials/verify").then().statusCode(200)
                .body("code", equalTo("NOT_FOUND"));
        admin().contentType(ContentType.JSON).body("{\"apiKey\":\"" + "k".repeat(500) + "\"}").post("/v1/credentials/verify")
                .then().statusCode(400);
        admin().contentType(ContentType.JSON).body("not json").post("/v1/credentials/verify").then().statusCode(400);
    }
}
