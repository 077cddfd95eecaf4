package io.keyfleet.keys.credential;

import static io.keyfleet.keys.support.Tenancy.as;
import static io.keyfleet.keys.support.Tenancy.newTenant;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: a credential's callbackUrl is tenant-supplied and meant to be called, so service-kit's outbound policy
 * decides at registration: internal addresses are refused with a code, whatever the profile. (Plain http with the
 * production setting: {@link CallbackUrlProductionIT}.)
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "key_service"))
@QuarkusTestResource(KafkaTestResource.class)
class CallbackUrlIT {

    static void create(String tenant, String callbackUrl, int status, String code) {
        as(tenant).contentType(ContentType.JSON)
                .body(Map.of("kind", "API_KEY", "scopes", List.of("keys:read"), "callbackUrl", callbackUrl))
                .post("/v1/credentials").then().statusCode(status).body("code", equalTo(code))
                .body("detail", startsWith("callbackUrl"));
    }

    static void created(String tenant, String callbackUrl) {
        as(tenant).contentType(ContentType.JSON)
                .body(Map.of("kind", "API_KEY", "scopes", List.of("keys:read"), "callbackUrl", callbackUrl))
                .post("/v1/credentials").then().statusCode(201).body("credential.callbackUrl", equalTo(callbackUrl));
    }

    @Test
    void callbackUrlsAtInternalAddressesAreRefused() {
        String tenant = newTenant();
        for (String url : List.of("https://127.0.0.1/cb", "https://localhost:8081/cb", "https://[::1]/cb", "http://10.1.2.3/cb",
                "https://172.20.0.5/cb", "https://192.168.0.1:8443/cb", "http://169.254.169.254/latest/meta-data",
                "https://[fe80::1]/cb", "https://[fd12:3456::1]/cb", "https://[::ffff:10.0.0.1]/cb", "https://0.0.0.0/cb",
                "https://100.64.1.1/cb")) {
            create(tenant, url, 400, "OUTBOUND_ADDRESS_REFUSED");
        }
        create(tenant, "https://user@203.0.113.10/cb", 400, "CALLBACK_URL_INVALID");
        create(tenant, "ftp://203.0.113.10/cb", 400, "CALLBACK_URL_INVALID");
        as(tenant).get("/v1/credentials").then().statusCode(200).body("items", hasSize(0));
        // a public address is fine, over plain http too in the test profile
        created(tenant, "http://203.0.113.10/keyfleet/callback");
        created(tenant, "https://203.0.113.10/keyfleet/callback");
    }
}
