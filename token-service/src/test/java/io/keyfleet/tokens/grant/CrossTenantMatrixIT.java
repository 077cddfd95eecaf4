package io.keyfleet.tokens.grant;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.tokens.FakeProvider;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.OpenApiOperations;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * Tenant boundaries of every token-service endpoint (issue 15): tenant B against tenant A's grant — read it, read its
 * token, refresh it, revoke it, present the code it was made from. Each operation of the OpenAPI document has a row,
 * so a new endpoint without one fails this test. What B gets for A's grant must read exactly as what it gets for a
 * grant that does not exist (the id B named aside). Single-service tests run without key-service, so the tenant a request
 * acts for is its X-Keyfleet-Tenant header, exactly what a tenant's verified credential gives the endpoints
 * (key-service's CrossTenantMatrixIT and service-kit's AuthFilterIT test that a credential acts only for its tenant).
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "token_service"))
@QuarkusTestResource(KafkaTestResource.class)
class CrossTenantMatrixIT {

    private static final String APP = "2021000000000091";

    /** Tenant A's grant and the code it was exchanged from; B shares A's provider app id, the case the code finding needs. */
    private record Fixture(String tenantA, String tenantB, String grantOfA, String codeOfA, String accessTokenOfA) {
    }

    /** What B gets: the status and, for refusals, the problem code; for lists, that A's grant is not among them. */
    private record Row(BiFunction<RequestSpecification, Fixture, Response> call, int status, String code) {
    }

    private static final Map<String, Row> ROWS = new LinkedHashMap<>();

    static {
        // issue 15, first finding: A's code presented by B is neither a replay of A's exchange nor anything else of A's
        ROWS.put("POST /v1/grants/exchange", new Row((s, f) -> s.body(Map.of("provider", "alipay", "appId", APP, "environment", "sandbox",
                "code", f.codeOfA())).post("/v1/grants/exchange"), 400, "CODE_INVALID"));
        ROWS.put("GET /v1/grants", new Row((s, f) -> s.get("/v1/grants?appId=" + APP), 200, null));
        ROWS.put("GET /v1/grants/{id}", new Row((s, f) -> s.get("/v1/grants/{id}", f.grantOfA()), 404, "GRANT_NOT_FOUND"));
        ROWS.put("GET /v1/grants/{id}/token", new Row((s, f) -> s.get("/v1/grants/{id}/token", f.grantOfA()), 404, "GRANT_NOT_FOUND"));
        ROWS.put("POST /v1/grants/{id}/refresh", new Row((s, f) -> s.post("/v1/grants/{id}/refresh", f.grantOfA()), 404,
                "GRANT_NOT_FOUND"));
        ROWS.put("POST /v1/grants/{id}/revoke", new Row((s, f) -> s.body(Map.of("reason", "tenant B")).post("/v1/grants/{id}/revoke",
                f.grantOfA()), 404, "GRANT_NOT_FOUND"));
    }

    @Inject
    FakeProvider provider;

    @Test
    void tenantBReachesNothingOfTenantAsGrantThroughAnyEndpoint() {
        assertThat(ROWS.keySet()).as("every operation of token-service's OpenAPI has a row")
                .containsExactlyInAnyOrderElementsOf(OpenApiOperations.of(given().get("/q/openapi?format=json").then().statusCode(200)
                        .extract().asString()));
        provider.reset();
        String tenantA = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String tenantB = "t-" + UUID.randomUUID().toString().substring(0, 8);
        String code = provider.consent("2088000000000091");
        String grant = as(tenantA).body(Map.of("provider", "alipay", "appId", APP, "environment", "sandbox", "code", code))
                .post("/v1/grants/exchange").then().statusCode(201).extract().path("id");
        String token = as(tenantA).get("/v1/grants/{id}/token", grant).then().statusCode(200).extract().path("accessToken");
        // B has a grant of its own for the same app id
        as(tenantB).body(Map.of("provider", "alipay", "appId", APP, "environment", "sandbox", "code", provider.consent("2088000000000092")))
                .post("/v1/grants/exchange").then().statusCode(201);
        Fixture f = new Fixture(tenantA, tenantB, grant, code, token);
        long refreshesBefore = provider.refreshCalls(APP);

        // a grant that does not exist, as B would name it: what B gets for A's grant must read exactly the same
        Fixture ghost = new Fixture(tenantA, tenantB, "grt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 20), code, token);

        List<String> wrong = new ArrayList<>();
        ROWS.forEach((operation, row) -> {
            Response response = row.call().apply(as(tenantB), f);
            Response forGhost = row.call().apply(as(tenantB), ghost);
            String problemCode = response.getContentType() != null && response.getContentType().contains("json")
                    ? response.jsonPath().getString("code") : null;
            if (response.statusCode() != row.status() || (row.code() != null && !row.code().equals(problemCode))) {
                wrong.add(operation + ": expected " + row.status() + " " + row.code() + ", got " + response.statusCode() + " " + response.asString());
            }
            if (response.asString().contains(f.accessTokenOfA())) {
                wrong.add(operation + ": the answer holds A's token: " + response.asString());
            }
            if (!normalized(response, f).equals(normalized(forGhost, ghost))) {
                wrong.add(operation + ": A's grant answers otherwise than a grant that does not exist: " + response.asString()
                        + " / " + forGhost.asString());
            }
        });
        assertThat(wrong).isEmpty();

        // A's grant is as it was: active, same token version and token, never refreshed or revoked
        as(tenantA).get("/v1/grants/{id}", grant).then().statusCode(200).body("status", equalTo("ACTIVE")).body("tokenVersion", equalTo(1));
        as(tenantA).get("/v1/grants/{id}/token", grant).then().statusCode(200).body("accessToken", equalTo(token));
        assertThat(provider.refreshCalls(APP)).isEqualTo(refreshesBefore);
    }

    /** The answer with the grant id it was asked about as {id}, and without its request id. */
    private static String normalized(Response response, Fixture f) {
        return response.statusCode() + " " + response.asString().replace(f.grantOfA(), "{id}").replaceAll("\"requestId\":\"[^\"]*\"", "");
    }

    private static RequestSpecification as(String tenantId) {
        return given().header("X-Keyfleet-Tenant", tenantId).contentType(ContentType.JSON);
    }
}
