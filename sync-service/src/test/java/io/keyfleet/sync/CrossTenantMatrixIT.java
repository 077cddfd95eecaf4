package io.keyfleet.sync;

import static io.keyfleet.sync.PoolApiIT.SECRET;
import static io.keyfleet.sync.PoolApiIT.as;
import static io.keyfleet.sync.PoolApiIT.definition;
import static io.keyfleet.sync.PoolApiIT.newMember;
import static io.keyfleet.sync.SyncTesting.pool;
import static io.keyfleet.sync.SyncTesting.runToEnd;
import static io.keyfleet.sync.SyncTesting.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.OpenApiOperations;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Tenant boundaries of every sync-service endpoint (issue 15): tenant B against tenant A's pool, its catalog, selection
 * and sync jobs — read, change, delete, act for (check, sync, cancel), also through B's own pool naming A's job. Each
 * operation of the OpenAPI document has a row, so a new endpoint without one fails this test. A refusal about A's pool
 * must read exactly as one about a pool that does not exist (the ids B named aside). Single-service tests run
 * without key-service, so the tenant a request acts for is its X-Keyfleet-Tenant header, exactly what a tenant's
 * verified credential gives the endpoints (key-service's CrossTenantMatrixIT and service-kit's AuthFilterIT test that a
 * credential acts only for its tenant).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "sync_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(UpstreamWorldResource.class)
class CrossTenantMatrixIT extends UpstreamWorldTest {

    /** The answer with the pool and job ids it was asked about as {pool} and {job}, and without its request id. */
    private static String normalized(Response response, Fixture f) {
        return response.statusCode() + " " + response.asString().replace(f.poolOfA(), "{pool}").replace(f.jobOfA(), "{job}")
                .replaceAll("\"requestId\":\"[^\"]*\"", "");
    }

    /** Tenant A's pool, one of its zones and its finished job; B's own pool. */
    private record Fixture(String tenantA, String tenantB, String poolOfA, String zoneOfA, String jobOfA, String poolOfB) {
    }

    /** One call as B and what it must get: status and, for refusals, the problem code; never a word of A's pool. */
    private record Attempt(BiFunction<RequestSpecification, Fixture, Response> call, int status, String code) {
    }

    private static final Map<String, List<Attempt>> ROWS = new LinkedHashMap<>();
    private static final String POOL = "POOL_NOT_FOUND";

    private static void row(String operation, Attempt... attempts) {
        ROWS.put(operation, List.of(attempts));
    }

    private static Attempt refused(BiFunction<RequestSpecification, Fixture, Response> call, int status, String code) {
        return new Attempt(call, status, code);
    }

    private static Attempt answered(BiFunction<RequestSpecification, Fixture, Response> call, int status) {
        return new Attempt(call, status, null);
    }

    static {
        // not addressed to a pool: B's new pool is B's, a definition check stores nothing
        row("POST /v1/pools", answered((s, f) -> s.body(definition(newMember())).post("/v1/pools"), 201));
        row("POST /v1/pools/check", answered((s, f) -> s.body(definition(newMember())).post("/v1/pools/check"), 200));
        row("GET /v1/pools", answered((s, f) -> s.get("/v1/pools?size=500"), 200));
        row("GET /v1/pools/{id}", refused((s, f) -> s.get("/v1/pools/{p}", f.poolOfA()), 404, POOL));
        row("PUT /v1/pools/{id}", refused((s, f) -> s.body(Map.of("remark", "from B", "apiSecret", SECRET)).put("/v1/pools/{p}",
                f.poolOfA()), 404, POOL));
        row("DELETE /v1/pools/{id}", refused((s, f) -> s.delete("/v1/pools/{p}", f.poolOfA()), 404, POOL));
        row("POST /v1/pools/{id}/check", refused((s, f) -> s.post("/v1/pools/{p}/check", f.poolOfA()), 404, POOL));
        row("GET /v1/pools/{poolId}/catalog", refused((s, f) -> s.get("/v1/pools/{p}/catalog?item=zones", f.poolOfA()), 404, POOL));
        row("PUT /v1/pools/{poolId}/catalog/{item}/{itemId}/selling-price", refused((s, f) -> s.body(Map.of("sellingPrice", 1))
                .put("/v1/pools/{p}/catalog/zones/{i}/selling-price", f.poolOfA(), f.zoneOfA()), 404, POOL));
        row("PUT /v1/pools/{poolId}/selection", refused((s, f) -> s.body(Map.of("item", "zones", "selectedIds", List.of()))
                .put("/v1/pools/{p}/selection", f.poolOfA()), 404, POOL));
        row("POST /v1/pools/{poolId}/sync-jobs", refused((s, f) -> s.body(Map.of()).post("/v1/pools/{p}/sync-jobs", f.poolOfA()), 404,
                POOL));
        row("GET /v1/pools/{poolId}/sync-jobs", refused((s, f) -> s.get("/v1/pools/{p}/sync-jobs", f.poolOfA()), 404, POOL));
        row("GET /v1/pools/{poolId}/sync-jobs/{jobId}",
                refused((s, f) -> s.get("/v1/pools/{p}/sync-jobs/{j}", f.poolOfA(), f.jobOfA()), 404, POOL),
                refused((s, f) -> s.get("/v1/pools/{p}/sync-jobs/{j}", f.poolOfB(), f.jobOfA()), 404, "SYNC_JOB_NOT_FOUND"));
        row("POST /v1/pools/{poolId}/sync-jobs/{jobId}/cancel",
                refused((s, f) -> s.post("/v1/pools/{p}/sync-jobs/{j}/cancel", f.poolOfA(), f.jobOfA()), 404, POOL),
                refused((s, f) -> s.post("/v1/pools/{p}/sync-jobs/{j}/cancel", f.poolOfB(), f.jobOfA()), 404, "SYNC_JOB_NOT_FOUND"));
        row("GET /v1/pools/{poolId}/items", refused((s, f) -> s.get("/v1/pools/{p}/items", f.poolOfA()), 404, POOL));
    }

    @Test
    void tenantBReachesNothingOfTenantAsPoolThroughAnyEndpoint() throws Exception {
        assertThat(ROWS.keySet()).as("every operation of sync-service's OpenAPI has a row")
                .containsExactlyInAnyOrderElementsOf(OpenApiOperations.of(given().get("/q/openapi?format=json").then().statusCode(200)
                        .extract().asString()));
        world.generate(5);
        String tenantA = tenant();
        String tenantB = tenant();
        String poolOfA = pool(tenantA);
        String jobOfA = runToEnd(tenantA, poolOfA, List.of(), false).getString("id");
        String zoneOfA = as(tenantA).get("/v1/pools/{p}/catalog?item=zones", poolOfA).then().statusCode(200)
                .extract().path("entries[0].id");
        Response before = as(tenantA).get("/v1/pools/{p}", poolOfA).then().statusCode(200).extract().response();
        Fixture f = new Fixture(tenantA, tenantB, poolOfA, zoneOfA, jobOfA, pool(tenantB));

        // a pool and a job that do not exist: a refusal about A's must read exactly the same (the ids B named aside)
        Fixture ghost = new Fixture(tenantA, tenantB, UUID.randomUUID().toString(), zoneOfA, UUID.randomUUID().toString(), f.poolOfB());

        List<String> wrong = new ArrayList<>();
        ROWS.forEach((operation, attempts) -> attempts.forEach(attempt -> {
            Response response = attempt.call().apply(as(tenantB), f);
            String code = response.getContentType() != null && response.getContentType().contains("json") && response.statusCode() >= 400
                    ? response.jsonPath().getString("code") : null;
            if (response.statusCode() != attempt.status() || (attempt.code() != null && !attempt.code().equals(code))) {
                wrong.add(operation + ": expected " + attempt.status() + " " + attempt.code() + ", got " + response.statusCode() + " "
                        + response.asString());
            }
            if (attempt.code() == null && (response.asString().contains(poolOfA) || response.asString().contains(jobOfA))) {
                wrong.add(operation + ": the answer names A's pool or job: " + response.asString());
            }
            if (attempt.code() != null) {
                Response forGhost = attempt.call().apply(as(tenantB), ghost);
                if (!normalized(response, f).equals(normalized(forGhost, ghost))) {
                    wrong.add(operation + ": A's pool answers otherwise than a pool that does not exist: " + response.asString()
                            + " / " + forGhost.asString());
                }
            }
        }));
        assertThat(wrong).isEmpty();

        // A's pool is as it was: same definition, secret version, health check, selection, jobs and prices
        Response after = as(tenantA).get("/v1/pools/{p}", poolOfA).then().statusCode(200).extract().response();
        assertThat(after.jsonPath().getMap("")).isEqualTo(before.jsonPath().getMap(""));
        as(tenantA).get("/v1/pools/{p}/sync-jobs", poolOfA).then().statusCode(200).body("id", equalTo(List.of(jobOfA)))
                .body("[0].status", equalTo("SUCCEEDED"));
        as(tenantA).get("/v1/pools/{p}/catalog?item=zones", poolOfA).then().statusCode(200)
                .body("entries.find { it.id == '" + zoneOfA + "' }.sellingPrice", equalTo(null))
                .body("entries.size()", equalTo(world.size("zones")));
    }
}
