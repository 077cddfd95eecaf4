package io.keyfleet.signing.signature;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.auth.VerificationCode;
import io.keyfleet.keys.api.Verification;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: with key-service hung (connections taken, no answer) or stopped, what signing-service holds keeps working and
 * what it does not is refused fast. Callers
 * are authenticated for real here (key-service's verify answered by the stub), unlike the other single-service tests.
 */
@QuarkusTest
@TestProfile(KeyServiceDownIT.CallersAuthenticated.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "signing_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(StubbedKeyService.class)
class KeyServiceDownIT {

    public static class CallersAuthenticated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyfleet.auth.enabled", "true");
        }
    }

    private static final String TENANT = "tenant-down";
    private static final String KNOWN = "kf_test_KnownCallerOfSigningServiceWhileKeyServiceIsUp01";

    @Test
    void keyServiceHungOrStopped_aCachedCallerSignsWithACachedKey_andAnUnknownCredentialIsRefusedWithinASecond() {
        KeyPair pair = StubbedKeyService.rsa();
        StubbedKeyService.add(UUID.randomUUID().toString(), TENANT, "alipay", "app-kd", "SANDBOX", 1, pair);
        StubbedKeyService.STUB.putVerification(KNOWN, new Verification(true, VerificationCode.VALID, "ok", UUID.randomUUID(), TENANT,
                List.of("signing:sign"), null));
        sign(KNOWN, "app-kd").then().statusCode(200).body("keyVersion", equalTo(1));

        // key-service hangs: connections are taken (the kernel's backlog) but nothing answers
        int port = URI.create(StubbedKeyService.STUB.url()).getPort();
        StubbedKeyService.stopServer();
        // the first callers wait for the 2 s timeout; once the circuit breaker is open the rest are refused at once (a trial
        // call every 2 s waits again)
        int fast = 0;
        try (ServerSocket hung = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            for (int i = 0; i < 20; i++) {
                sign(KNOWN, "app-kd").then().statusCode(200).body("keyVersion", equalTo(1));
                long started = System.nanoTime();
                Response unknown = sign("kf_test_NeverSeenWhileKeyServiceHangs" + i + "xxxxxxxxxxxxxxxxxx", "app-kd");
                long millis = (System.nanoTime() - started) / 1_000_000;
                unknown.then().statusCode(503).body("code", equalTo("VERIFICATION_UNAVAILABLE"));
                assertThat(millis).as("refusal %d while key-service hangs took %d ms", i, millis).isLessThan(3000);
                fast += millis < 1000 ? 1 : 0;
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(fast).as("refusals under 1 s while key-service hangs").isGreaterThanOrEqualTo(14);

        // key-service is down: nothing listens on its port
        try {
            for (int i = 0; i < 20; i++) {
                sign(KNOWN, "app-kd").then().statusCode(200).body("keyVersion", equalTo(1));

                long started = System.nanoTime();
                Response unknown = sign("kf_test_NeverSeenBeforeCredential" + i + "xxxxxxxxxxxxxxxxxxxxxx", "app-kd");
                long millis = (System.nanoTime() - started) / 1_000_000;
                unknown.then().statusCode(503).contentType("application/problem+json").body("code", equalTo("VERIFICATION_UNAVAILABLE"));
                assertThat(millis).as("refusal %d took %d ms", i, millis).isLessThan(1000);

                // a known caller asking for a key signing-service has never loaded: refused fast, not hung
                started = System.nanoTime();
                sign(KNOWN, "app-never-loaded").then().statusCode(503).body("code", equalTo("KEY_SERVICE_UNAVAILABLE"));
                millis = (System.nanoTime() - started) / 1_000_000;
                assertThat(millis).as("uncached key %d took %d ms", i, millis).isLessThan(1000);
            }
        } finally {
            StubbedKeyService.restartServer();
        }
    }

    private static Response sign(String apiKey, String appId) {
        return given().header("Authorization", "Bearer " + apiKey).contentType(ContentType.JSON)
                .body(SignatureApiIT.rsa2Request(appId, "SANDBOX")).post("/v1/sign");
    }
}
