package io.keyfleet.keys.credential;

import static io.keyfleet.keys.credential.CredentialTesting.createPair;
import static io.keyfleet.keys.credential.CredentialTesting.signedNow;
import static io.keyfleet.keys.credential.CredentialTesting.signedNowV1;
import static io.keyfleet.keys.credential.CredentialTesting.verify;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.auth.RequestSignature;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With keyfleet.credentials.signature-v1-accepted=false only format v2 gets in. */
@QuarkusTest
@TestProfile(SignatureV1OffIT.V1Off.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class SignatureV1OffIT {

    public static class V1Off implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyfleet.credentials.signature-v1-accepted", "false");
        }
    }

    @Inject
    MeterRegistry metrics;

    @Test
    void aV1SignedRequestIsRefusedAndCountedWhileV2GetsIn() {
        String tenant = newTenant();
        ExtractableResponse<Response> created = createPair(tenant, "");
        String secretId = created.path("secretId");
        String secretKey = created.path("secretKey");
        double before = refusals();

        verify(signedNowV1(secretId, secretKey, null)).then().statusCode(200).body("valid", equalTo(false))
                .body("code", equalTo("INVALID_SIGNATURE")).body("message", containsString("no longer accepted"))
                .body("message", containsString("X-Keyfleet-Signature-Version: 2"));
        assertThat(refusals()).isEqualTo(before + 1);
        verify(signedNow(secretId, secretKey)).then().body("code", equalTo("VALID"));

        // over HTTP: a client of the first format is answered 401 with what to change
        given().headers(CredentialTesting.v1Headers(secretId, secretKey, "/v1/keys")).get("/v1/keys").then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("INVALID_SIGNATURE")).body("detail", containsString("first format"));
        given().headers(RequestSignature.headers(secretId, secretKey, "GET", "/v1/keys", null, null, null)).get("/v1/keys")
                .then().statusCode(200);
        assertThat(refusals()).isEqualTo(before + 2);
    }

    private double refusals() {
        return CredentialTesting.v1Uses(metrics, "refused");
    }
}
