package io.keyfleet.keys.support;

import static io.restassured.RestAssured.given;

import io.keyfleet.kit.caller.Caller;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/**
 * Callers for tests. The administrator's API key is fixed by the test profile (keyfleet.credentials.admin-api-key);
 * it acts for a tenant through the X-Keyfleet-Tenant header. A fresh tenant per test keeps tests independent in the
 * shared database.
 */
public final class Tenancy {

    public static final String ADMIN_API_KEY = "kf_test_TestAdminKeyForKeyServiceTestsOnly0000013zaMH7";

    /** The service credentials of the test profile (keyfleet.credentials.service-keys), by service name. */
    public static final java.util.Map<String, String> SERVICE_API_KEYS = java.util.Map.of(
            "signing-service", "kf_test_TestSigningServiceKeyForKeyServiceTest011bNiCQ",
            "token-service", "kf_test_TestTokenServiceKeyForKeyServiceTests00108lfyb",
            "sync-service", "kf_test_TestSyncServiceKeyForKeyServiceTests00011AJL34",
            "bench", "kf_test_TestOtherServiceKeyForKeyServiceTests0010Yj4xz");

    private Tenancy() {
    }

    public static String newTenant() {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        admin().contentType(ContentType.JSON).body("{\"id\":\"" + id + "\",\"name\":\"Tenant " + id + "\"}")
                .post("/v1/tenants").then().statusCode(201);
        return id;
    }

    /** The administrator, acting for the system tenant. */
    public static RequestSpecification admin() {
        return withKey(ADMIN_API_KEY);
    }

    /** The service's own credential, acting for the tenant (none if null). */
    public static RequestSpecification service(String name, String tenantId) {
        RequestSpecification spec = withKey(SERVICE_API_KEYS.get(name));
        return tenantId == null ? spec : spec.header(Caller.TENANT_HEADER, tenantId);
    }

    /** The administrator acting for the tenant. */
    public static RequestSpecification as(String tenantId) {
        return admin().header(Caller.TENANT_HEADER, tenantId);
    }

    /** A caller presenting this API key. */
    public static RequestSpecification withKey(String apiKey) {
        return given().header("Authorization", "Bearer " + apiKey);
    }

    /** A new API key of the tenant holding exactly these scopes. */
    public static String apiKey(String tenantId, String... scopes) {
        String list = String.join("\",\"", scopes);
        return as(tenantId).contentType(ContentType.JSON).body("{\"kind\":\"API_KEY\",\"scopes\":[\"" + list + "\"]}")
                .post("/v1/credentials").then().statusCode(201).extract().path("apiKey");
    }
}
