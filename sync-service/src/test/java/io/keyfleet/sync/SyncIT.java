package io.keyfleet.sync;

import static io.keyfleet.sync.PoolApiIT.as;
import static io.keyfleet.sync.SyncTesting.count;
import static io.keyfleet.sync.SyncTesting.counts;
import static io.keyfleet.sync.SyncTesting.pool;
import static io.keyfleet.sync.SyncTesting.runToEnd;
import static io.keyfleet.sync.SyncTesting.tenant;
import static io.keyfleet.sync.SyncTesting.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Catalog syncs against the resource-pool protocol (UpstreamWorld: see there why it stands in for provider-sandbox
 * here). Page size 500 (the default), so 1,200 lines per type make three pages each.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "sync_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(UpstreamWorldResource.class)
class SyncIT extends UpstreamWorldTest {

    @Test
    void fullSyncThenAChangeUpstreamThenASecondSyncAppliesExactlyTheDifference() throws Exception {
        String tenant = tenant();
        world.generate(1_200);
        String poolId = pool(tenant);

        JsonPath first = runToEnd(tenant, poolId, List.of(), false);
        assertThat(first.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(first.getList("items.item")).containsExactly("zones", "operating-systems", "cloud-server-lines", "hosting-lines",
                "hosting-power-options", "bare-metal-lines", "bare-metal-disk-models");
        assertThat(counts(first, "cloud-server-lines")).containsExactly(1_200, 1_200, 0, 0);
        assertThat(counts(first, "zones")).containsExactly(3, 3, 0, 0);
        as(tenant).get("/v1/pools/" + poolId + "/catalog?item=cloud-server-lines&size=5").then().statusCode(200)
                .body("entries.size()", equalTo(5)).body("entries[0].price", equalTo(74.55f)); // 10.50 USD × 7.1

        Instant beforeResync = Instant.now();
        JsonPath unchanged = runToEnd(tenant, poolId, List.of(), false);
        assertThat(counts(unchanged, "cloud-server-lines")).containsExactly(1_200, 0, 0, 0);
        assertThat(rowsSyncedSince(poolId, beforeResync)).isZero();

        world.put("cloud-server-lines", 5, "Item 5 bigger", new BigDecimal("99.00"));
        world.put("cloud-server-lines", 700, "Item 700 bigger", new BigDecimal("98.00"));
        world.remove("cloud-server-lines", 3);
        world.remove("cloud-server-lines", 1_199);
        world.put("cloud-server-lines", 5_000, "Brand new", new BigDecimal("12.00"));
        Instant beforeSecond = Instant.now();
        JsonPath second = runToEnd(tenant, poolId, List.of("cloud-server-lines"), false);
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
        JsonPath job = runToEnd(tenant, poolId, List.of(), false);
        assertThat(job.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(counts(job, "zones")).containsExactly(3, 3, 0, 0);
        assertThat(counts(job, "bare-metal-disk-models")).containsExactly(1_200, 1_200, 0, 0);
    }

    @Test
    void aPageThatKeepsFailingEndsTheJobPartialWithTheReasonAndRemovesNothing() {
        String tenant = tenant();
        world.generate(1_200);
        String poolId = pool(tenant);
        runToEnd(tenant, poolId, List.of(), false);
        world.remove("hosting-lines", 1_100);
        // zones, OS are synced once already: only hosting-lines is asked for; its second page fails 5 times
        world.trouble("NONE", 0);
        for (int i = 0; i < 5; i++) {
            world.trouble("STATUS", 500);
        }
        JsonPath job = runToEnd(tenant, poolId, List.of("hosting-lines"), false);
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

    private long rowsSyncedSince(String poolId, Instant since) throws Exception {
        return count(dataSource, "select count(*) from catalog_item where pool_id = ? and synced_at >= ?",
                UUID.fromString(poolId), Timestamp.from(since));
    }
}
