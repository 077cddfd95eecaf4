package io.keyfleet.keys.support;

import static io.restassured.RestAssured.given;

import io.keyfleet.kit.caller.Caller;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;

/** Tenants for tests: a fresh one per test keeps tests independent in the shared database. */
public final class Tenancy {

    private Tenancy() {
    }

    public static String newTenant() {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body("{\"id\":\"" + id + "\",\"name\":\"Tenant " + id + "\"}")
                .post("/v1/tenants").then().statusCode(201);
        return id;
    }

    /** A request acting for the tenant. */
    public static RequestSpecification as(String tenantId) {
        return given().header(Caller.TENANT_HEADER, tenantId);
    }
}
