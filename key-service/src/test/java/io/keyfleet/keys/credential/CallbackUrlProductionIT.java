package io.keyfleet.keys.credential;

import static io.keyfleet.keys.credential.CallbackUrlIT.create;
import static io.keyfleet.keys.credential.CallbackUrlIT.created;
import static io.keyfleet.keys.support.Tenancy.newTenant;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 15: with production's outbound setting (plain http refused), an http callbackUrl is refused with a code. */
@QuarkusTest
@TestProfile(CallbackUrlProductionIT.ProductionOutbound.class)
class CallbackUrlProductionIT {

    /** keyfleet.outbound.allow-http as the prod profile has it (the default), not the test profile's true. */
    public static class ProductionOutbound implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("keyfleet.outbound.allow-http", "false");
        }
    }

    @Test
    void plainHttpCallbackUrlsAreRefused() {
        String tenant = newTenant();
        create(tenant, "http://203.0.113.10/keyfleet/callback", 400, "OUTBOUND_SCHEME_REFUSED");
        created(tenant, "https://203.0.113.10/keyfleet/callback");
    }
}
