package io.keyfleet.sandbox.pool;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.keyfleet.auth.RequestSignature;
import io.keyfleet.auth.SignedRequestHeaders;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The resource-pool API over real HTTP with signed requests, as sync-service calls it. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "provider_sandbox"))
class PoolApiIT {

    private static final String SECRET = "pool-secret-0123456789";

    @AfterEach
    void calmDown() {
        given().delete("/sandbox/admin/scenarios").then().statusCode(200);
    }

    @Test
    void pagesAddUpToTheCatalogAndChangesShowExactlyTheDifference() {
        String member = account(List.of("127.0.0.1", "::1"), 1_036);
        Map<String, Map<String, Object>> before = all(member, "cloud-server-lines", 37);
        assertThat(before).hasSize(200);
        assertThat(all(member, "zones", 5)).hasSize(12);
        assertThat(all(member, "operating-systems", 100)).hasSize(24);
        assertThat(all(member, "cloud-server-lines", 37)).isEqualTo(before);

        Map<String, Object> change = new HashMap<>(Map.of("type", "cloud-server-lines", "added", 3, "changed", 5, "removed", 2));
        given().contentType(ContentType.JSON).body(change).post("/sandbox/admin/pools/" + member + "/changes").then().statusCode(200);
        Map<String, Map<String, Object>> after = all(member, "cloud-server-lines", 37);
        assertThat(after).hasSize(201);
        long changed = before.keySet().stream().filter(after::containsKey).filter(id -> !before.get(id).equals(after.get(id))).count();
        long removed = before.keySet().stream().filter(id -> !after.containsKey(id)).count();
        long added = after.keySet().stream().filter(id -> !before.containsKey(id)).count();
        assertThat(List.of(added, changed, removed)).containsExactly(3L, 5L, 2L);
    }

    @Test
    void refusesWrongSecretsUnauthorizedAddressesAndUnsignedCalls() {
        String member = account(List.of("203.0.113.0/24"), 100);
        Response wrongIp = signed(member, SECRET, "/pool-api/v1/account", null);
        assertThat(wrongIp.statusCode()).isEqualTo(403);
        assertThat(wrongIp.jsonPath().getString("code")).isEqualTo("IP_NOT_AUTHORIZED");

        String open = account(List.of(), 100);
        assertThat(signed(open, "not-the-secret", "/pool-api/v1/account", null).jsonPath().getString("code")).isEqualTo("SIGNATURE_INVALID");
        assertThat(given().get("/pool-api/v1/account").statusCode()).isEqualTo(401);
        Response ok = signed(open, SECRET, "/pool-api/v1/account", null);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.jsonPath().getString("currency")).isEqualTo("EUR");
        assertThat(ok.jsonPath().getDouble("creditLimit")).isEqualTo(500.0);

        Map<String, String> once = RequestSignature.headers(open, SECRET, "GET", "/pool-api/v1/account", null, null, null);
        assertThat(given().headers(once).get("/pool-api/v1/account").statusCode()).isEqualTo(200);
        Response replayed = given().headers(once).get("/pool-api/v1/account");
        assertThat(replayed.statusCode()).isEqualTo(401);
        assertThat(replayed.jsonPath().getString("code")).isEqualTo("NONCE_REPLAYED");
    }

    /** Format v2 (what sync-service sends) covers X-Keyfleet-Tenant; the first format, without a version header, still works. */
    @Test
    void bothSignatureFormatsAreUnderstoodAndV2CoversTheTenantHeader() {
        String member = account(List.of(), 100);
        Map<String, String> forAcme = RequestSignature.headers(member, SECRET, "GET", "/pool-api/v1/account", null, "acme", null);
        Map<String, String> forGlobex = new HashMap<>(forAcme);
        forGlobex.put(SignedRequestHeaders.TENANT, "globex");
        assertThat(given().headers(forGlobex).get("/pool-api/v1/account").jsonPath().getString("code")).isEqualTo("SIGNATURE_INVALID");
        assertThat(given().headers(forAcme).get("/pool-api/v1/account").statusCode()).isEqualTo(200);

        Map<String, String> v1 = new HashMap<>(RequestSignature.headers(member, SECRET, "GET", "/pool-api/v1/account", null, null, null));
        v1.remove(SignedRequestHeaders.SIGNATURE_VERSION);
        v1.put(SignedRequestHeaders.SIGNATURE, RequestSignature.sign(SECRET.getBytes(StandardCharsets.UTF_8), RequestSignature.canonical(
                RequestSignature.Version.V1, "GET", "/pool-api/v1/account", null, null, v1.get(SignedRequestHeaders.TIMESTAMP),
                v1.get(SignedRequestHeaders.NONCE), RequestSignature.sha256Hex(null))));
        assertThat(given().headers(v1).get("/pool-api/v1/account").statusCode()).isEqualTo(200);

        Map<String, String> unknown = new HashMap<>(RequestSignature.headers(member, SECRET, "GET", "/pool-api/v1/account", null, null, null));
        unknown.put(SignedRequestHeaders.SIGNATURE_VERSION, "9");
        Response refused = given().headers(unknown).get("/pool-api/v1/account");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.jsonPath().getString("code")).isEqualTo("SIGNATURE_VERSION_INVALID");
    }

    @Test
    void errorScenariosAnswerWithRateLimitsServerErrorsAndMalformedPages() {
        String member = account(List.of(), 100);
        scenario(member, "RATE_LIMITED", 1, 30L);
        Response limited = signed(member, SECRET, "/pool-api/v1/zones", "page=1&pageSize=10");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 30L);
        assertThat(limited.header("X-RateLimit-Reset")).isNotBlank();

        scenario(member, "SERVER_ERROR", 1, null);
        assertThat(signed(member, SECRET, "/pool-api/v1/zones", "page=1&pageSize=10").statusCode()).isEqualTo(502);
        scenario(member, "MALFORMED", 1, null);
        assertThat(signed(member, SECRET, "/pool-api/v1/zones", "page=1&pageSize=10").asString()).doesNotEndWith("}");
        assertThat(signed(member, SECRET, "/pool-api/v1/zones", "page=1&pageSize=10").statusCode()).isEqualTo(200);
    }

    private static String account(List<String> ips, int size) {
        String member = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("apiSecret", SECRET);
        body.put("authorizedIps", ips);
        body.put("currency", "EUR");
        body.put("catalogSize", size);
        body.put("seed", 42);
        given().contentType(ContentType.JSON).body(body).put("/sandbox/admin/pools/" + member).then().statusCode(200);
        return member;
    }

    private static void scenario(String member, String kind, Integer count, Long durationSeconds) {
        Map<String, Object> body = new HashMap<>();
        body.put("kind", kind);
        body.put("appId", member);
        body.put("count", count);
        body.put("durationSeconds", durationSeconds);
        given().contentType(ContentType.JSON).body(body).post("/sandbox/admin/scenarios").then().statusCode(201);
    }

    private static Map<String, Map<String, Object>> all(String member, String type, int pageSize) {
        Map<String, Map<String, Object>> items = new LinkedHashMap<>();
        int totalPages = 1;
        for (int page = 1; page <= totalPages; page++) {
            Response response = signed(member, SECRET, "/pool-api/v1/" + type, "page=" + page + "&pageSize=" + pageSize);
            assertThat(response.statusCode()).isEqualTo(200);
            totalPages = response.jsonPath().getInt("totalPages");
            List<Map<String, Object>> list = new ArrayList<>(response.jsonPath().getList("items"));
            list.forEach(item -> items.put((String) item.get("id"), item));
        }
        return items;
    }

    private static Response signed(String member, String secret, String path, String query) {
        Map<String, String> headers = RequestSignature.headers(member, secret, "GET", path, query, null, null);
        return given().urlEncodingEnabled(false).headers(headers).get(query == null ? path : path + "?" + query);
    }
}
