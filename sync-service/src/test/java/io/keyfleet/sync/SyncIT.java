package io.keyfleet.sync;

import static io.keyfleet.sync.PoolApiIT.as;
import static io.keyfleet.sync.PoolApiIT.definition;
import static io.keyfleet.sync.PoolApiIT.newMember;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Catalog syncs against the resource-pool protocol (UpstreamWorld: see there why it stands in for provider-sandbox
 * here). Page size 500 (the default), so 1,200 lines per type make three pages each.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "sync_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(UpstreamWorldResource.class)
class SyncIT {

    @Inject
    DataSource dataSource;

    UpstreamWorld world = UpstreamWorldResource.world();

    @AfterEach
    void clean() {
        world.reset();
    }

    @Test
    void fullSyncThenAChangeUpstreamThenASecondSyncAppliesExactlyTheDifference() throws Exception {
        String tenant = tenant();
        world.generate(1_200);
        String poolId = pool(tenant);

        JsonPath first = runToEnd(tenant, poolId, List.of());
        assertThat(first.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(first.getList("items.item")).containsExactly("zones", "operating-systems", "cloud-server-lines", "hosting-lines",
                "hosting-power-options", "bare-metal-lines", "bare-metal-disk-models");
        assertThat(counts(first, "cloud-server-lines")).containsExactly(1_200, 1_200, 0, 0);
        assertThat(counts(first, "zones")).containsExactly(3, 3, 0, 0);
        as(tenant).get("/v1/pools/" + poolId + "/catalog?item=cloud-server-lines&size=5").then().statusCode(200)
                .body("entries.size()", equalTo(5)).body("entries[0].price", equalTo(74.55f)); // 10.50 USD × 7.1

        Instant beforeResync = Instant.now();
        JsonPath unchanged = runToEnd(tenant, poolId, List.of());
        assertThat(counts(unchanged, "cloud-server-lines")).containsExactly(1_200, 0, 0, 0);
        assertThat(rowsSyncedSince(poolId, beforeResync)).isZero();

        world.put("cloud-server-lines", 5, "Item 5 bigger", new BigDecimal("99.00"));
        world.put("cloud-server-lines", 700, "Item 700 bigger", new BigDecimal("98.00"));
        world.remove("cloud-server-lines", 3);
        world.remove("cloud-server-lines", 1_199);
        world.put("cloud-server-lines", 5_000, "Brand new", new BigDecimal("12.00"));
        Instant beforeSecond = Instant.now();
        JsonPath second = runToEnd(tenant, poolId, List.of("cloud-server-lines"));
        assertThat(second.getList("items.item")).containsExactly("cloud-server-lines");
        assertThat(counts(second, "cloud-server-lines")).containsExactly(1_199, 1, 2, 2);
        assertThat(rowsSyncedSince(poolId, beforeSecond)).isEqualTo(5);
        as(tenant).get("/v1/pools/" + poolId + "/catalog?item=cloud-server-lines&removed=true&size=1000&after=cl-0000002")
                .then().body("entries[0].id", equalTo("cl-0000003")).body("entries[0].removed", equalTo(true));
        as(tenant).get("/v1/pools/" + poolId + "/items").then().body("find { it.item == 'cloud-server-lines' }.status", equalTo("SUCCEEDED"));
    }

    @Test
    void rateLimitsAndServerErrorsAreRetriedAndTheCountsStayRight() {
        String tenant = tenant();
        world.generate(1_200);
        String poolId = pool(tenant);
        world.trouble("RATE_LIMITED", 1);
        world.trouble("STATUS", 502);
        world.trouble("MALFORMED", 0);
        world.trouble("STATUS", 503);
        JsonPath job = runToEnd(tenant, poolId, List.of());
        assertThat(job.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(counts(job, "zones")).containsExactly(3, 3, 0, 0);
        assertThat(counts(job, "bare-metal-disk-models")).containsExactly(1_200, 1_200, 0, 0);
    }

    @Test
    void aPageThatKeepsFailingEndsTheJobPartialWithTheReasonAndRemovesNothing() {
        String tenant = tenant();
        world.generate(1_200);
        String poolId = pool(tenant);
        runToEnd(tenant, poolId, List.of());
        world.remove("hosting-lines", 1_100);
        // zones, OS are synced once already: only hosting-lines is asked for; its second page fails 5 times
        world.trouble("NONE", 0);
        for (int i = 0; i < 5; i++) {
            world.trouble("STATUS", 500);
        }
        JsonPath job = runToEnd(tenant, poolId, List.of("hosting-lines"));
        assertThat(job.getString("status")).isEqualTo("PARTIAL");
        assertThat(job.getString("reason")).contains("hosting-lines: page 2 failed").contains("HTTP 500").contains("5 attempts");
        assertThat(counts(job, "hosting-lines")).containsExactly(500, 0, 0, 0);
        as(tenant).get("/v1/pools/" + poolId + "/items").then().body("find { it.item == 'hosting-lines' }.status", equalTo("PARTIAL"));
    }

    @Test
    void aSecondRequestForTheSameItemsJoinsTheRunningJob() {
        String tenant = tenant();
        world.generate(1_200);
        String poolId = pool(tenant);
        world.trouble("DELAY", 1_500);
        String first = as(tenant).body(Map.of("items", List.of("zones"))).post("/v1/pools/" + poolId + "/sync-jobs").then()
                .statusCode(202).extract().path("id");
        as(tenant).body(Map.of("items", List.of("zones"))).post("/v1/pools/" + poolId + "/sync-jobs").then()
                .statusCode(200).body("id", equalTo(first));
        as(tenant).body(Map.of("items", List.of("zones", "operating-systems"))).post("/v1/pools/" + poolId + "/sync-jobs").then()
                .statusCode(409).body("detail", containsString("zones"));
        waitFor(tenant, poolId, first);
    }

    private String tenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private String pool(String tenant) {
        return as(tenant).body(definition(newMember())).post("/v1/pools").then().statusCode(201).extract().path("pool.id");
    }

    private JsonPath runToEnd(String tenant, String poolId, List<String> items) {
        String jobId = as(tenant).body(Map.of("items", items)).post("/v1/pools/" + poolId + "/sync-jobs").then().statusCode(202)
                .extract().path("id");
        return waitFor(tenant, poolId, jobId);
    }

    private JsonPath waitFor(String tenant, String poolId, String jobId) {
        String path = "/v1/pools/" + poolId + "/sync-jobs/" + jobId;
        Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> !List.of("QUEUED", "RUNNING").contains(as(tenant).get(path).then().extract().path("status")));
        return as(tenant).get(path).then().statusCode(200).extract().jsonPath();
    }

    private static List<Integer> counts(JsonPath job, String item) {
        Map<String, Object> progress = job.getMap("items.find { it.item == '" + item + "' }");
        return List.of((Integer) progress.get("seen"), (Integer) progress.get("created"), (Integer) progress.get("updated"),
                (Integer) progress.get("removed"));
    }

    private int rowsSyncedSince(String poolId, Instant since) throws Exception {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("select count(*) from catalog_item where pool_id = ? and synced_at >= ?")) {
            select.setObject(1, UUID.fromString(poolId));
            select.setTimestamp(2, Timestamp.from(since));
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }
}
