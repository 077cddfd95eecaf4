package io.keyfleet.keys.credential;

import static io.keyfleet.keys.support.Tenancy.withKey;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.auth.ApiKeyFormat;
import io.keyfleet.keys.support.Tenancy;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * With keyfleet.credentials.replaced-key-grace=PT0S, a service key replaced through configuration stops working at
 * once: what a restart with the service's new key in KEYFLEET_SERVICE_KEYS does (BootstrapCredentials.configure, as at
 * start). A service of its own, so that the test profile's service keys stay as they are for the other tests.
 */
@QuarkusTest
@TestProfile(ReplacedKeyGraceIT.NoGrace.class)
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class ReplacedKeyGraceIT {

    public static class NoGrace implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyfleet.credentials.replaced-key-grace", "PT0S");
        }
    }

    @Inject
    BootstrapCredentials bootstrap;

    @Test
    void theReplacedKeyIsRefusedAtOnceAndTheNewOneWorks() {
        String service = "grace-" + UUID.randomUUID().toString().substring(0, 8);
        String oldKey = ApiKeyFormat.generate(false);
        String newKey = ApiKeyFormat.generate(false);

        start(service, oldKey);
        withKey(oldKey).get("/v1/credentials/whoami").then().statusCode(200);

        start(service, newKey);
        withKey(oldKey).get("/v1/credentials/whoami").then().statusCode(401)
                .contentType("application/problem+json").body("code", equalTo("EXPIRED"));
        withKey(newKey).get("/v1/credentials/whoami").then().statusCode(200);
    }

    /** A key-service start with this service's key (and the admin key of the test profile). */
    private void start(String service, String key) {
        bootstrap.configure(Tenancy.ADMIN_API_KEY, Map.of(service, key), BootstrapCredentials.serviceScopes("", Set.of(service)));
    }
}
