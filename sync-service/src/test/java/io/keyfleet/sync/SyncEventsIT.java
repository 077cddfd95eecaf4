package io.keyfleet.sync;

import static io.keyfleet.sync.PoolApiIT.SECRET;
import static io.keyfleet.sync.PoolApiIT.as;
import static io.keyfleet.sync.PoolApiIT.definition;
import static io.keyfleet.sync.PoolApiIT.newMember;
import static io.keyfleet.sync.SyncTesting.count;
import static io.keyfleet.sync.SyncTesting.counts;
import static io.keyfleet.sync.SyncTesting.pool;
import static io.keyfleet.sync.SyncTesting.runToEnd;
import static io.keyfleet.sync.SyncTesting.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.PoolHealthChanged;
import io.keyfleet.events.PriceProtectionTriggered;
import io.keyfleet.events.SyncCompleted;
import io.keyfleet.events.Topics;
import io.keyfleet.testkit.KafkaClients;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Price protection and the pool events, read from the real Kafka topic the outbox relay publishes to. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "sync_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(UpstreamWorldResource.class)
class SyncEventsIT extends UpstreamWorldTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aSyncedCostAboveTheSellingPriceFlagsTheItemAndSaysSoOnce() throws Exception {
        String tenant = tenant();
        world.generate(5);
        String poolId = pool(tenant, Map.of("priceProtection", true, "exchangeRate", "7.1"));
        runToEnd(tenant, poolId, List.of(), false);
        // cl-0000001 costs 11.50 USD × 7.1 = 81.65; cl-0000002 12.50 × 7.1 = 88.75
        sellAt(tenant, poolId, "cl-0000001", "100").body("priceFlagged", equalTo(false));
        sellAt(tenant, poolId, "cl-0000002", "90").body("priceFlagged", equalTo(false));

        world.put("cloud-server-lines", 1, "Item 1", new BigDecimal("15.00")); // 106.50 > 100
        world.put("cloud-server-lines", 2, "Item 2", new BigDecimal("12.60")); // 89.46 < 90
        JsonPath job = runToEnd(tenant, poolId, List.of("cloud-server-lines"), false);
        as(tenant).get("/v1/pools/" + poolId + "/catalog?item=cloud-server-lines&flagged=true").then()
                .body("entries.id", equalTo(List.of("cl-0000001")));
        runToEnd(tenant, poolId, List.of("cloud-server-lines"), false); // no change: no second event

        List<EventEnvelope> events = events(poolId, all -> all.stream().filter(e -> e.type().equals("SyncCompleted")).count() >= 3);
        List<PriceProtectionTriggered> triggered = events.stream().filter(e -> e.type().equals("PriceProtectionTriggered"))
                .map(e -> EventCodec.payload(e, PriceProtectionTriggered.class)).toList();
        assertThat(triggered).hasSize(1);
        PriceProtectionTriggered event = triggered.get(0);
        assertThat(event.poolId()).isEqualTo(poolId);
        assertThat(event.item()).isEqualTo("cloud-server-lines");
        assertThat(event.itemId()).isEqualTo("cl-0000001");
        assertThat(new BigDecimal(event.cost())).isEqualByComparingTo("106.50");
        assertThat(new BigDecimal(event.sellingPrice())).isEqualByComparingTo("100");
        assertThat(events).allSatisfy(e -> assertThat(e.tenantId()).isEqualTo(tenant));

        SyncCompleted completed = events.stream().filter(e -> e.type().equals("SyncCompleted"))
                .map(e -> EventCodec.payload(e, SyncCompleted.class)).filter(e -> e.jobId().equals(job.getString("id"))).findFirst().orElseThrow();
        assertThat(completed.status()).isEqualTo("SUCCEEDED");
        assertThat(completed.reason()).isNull();
        assertThat(completed.items()).containsExactly(new SyncCompleted.ItemCounts("cloud-server-lines", "SUCCEEDED", 5, 0, 2, 0));
    }

    @Test
    void withPriceProtectionOffNothingIsFlaggedAndNoEventIsSent() throws Exception {
        String tenant = tenant();
        world.generate(5);
        String poolId = pool(tenant, Map.of("priceProtection", false));
        runToEnd(tenant, poolId, List.of(), false);
        sellAt(tenant, poolId, "cl-0000001", "1").body("priceFlagged", equalTo(false));
        world.put("cloud-server-lines", 1, "Item 1", new BigDecimal("15.00"));
        String jobId = runToEnd(tenant, poolId, List.of("cloud-server-lines"), false).getString("id");
        as(tenant).get("/v1/pools/" + poolId + "/catalog?item=cloud-server-lines&flagged=true").then().body("entries.size()", equalTo(0));
        // the job's SyncCompleted is recorded after every page was applied: a flag event would be in the outbox before it
        events(poolId, all -> all.stream().anyMatch(e -> e.type().equals("SyncCompleted") && e.payload().path("jobId").asText().equals(jobId)));
        assertThat(count(dataSource, "select count(*) from outbox_event where aggregate_id = ? and event_type = 'PriceProtectionTriggered'",
                poolId)).isZero();
    }

    @Test
    void aPartialSyncAndAHealthChangeAreAnnouncedWithoutTheSecret() throws Exception {
        String tenant = tenant();
        world.generate(5);
        String member = newMember();
        String poolId = as(tenant).body(definition(member)).post("/v1/pools").then().statusCode(201).extract().path("pool.id");
        for (int i = 0; i < 5; i++) {
            world.trouble("STATUS", 500);
        }
        JsonPath partial = runToEnd(tenant, poolId, List.of("zones"), false);
        assertThat(partial.getString("status")).isEqualTo("PARTIAL");

        world.member(member, "rotated-upstream-9876"); // the platform no longer accepts the pool's secret
        as(tenant).post("/v1/pools/" + poolId + "/check").then().body("health", equalTo("AUTH_FAILED"));
        world.member(member, SECRET);
        as(tenant).post("/v1/pools/" + poolId + "/check").then().body("health", equalTo("HEALTHY"));

        List<EventEnvelope> events = events(poolId, all -> all.stream().filter(e -> e.type().equals("PoolHealthChanged")).count() >= 2);
        SyncCompleted completed = events.stream().filter(e -> e.type().equals("SyncCompleted"))
                .map(e -> EventCodec.payload(e, SyncCompleted.class)).findFirst().orElseThrow();
        assertThat(completed.jobId()).isEqualTo(partial.getString("id"));
        assertThat(completed.status()).isEqualTo("PARTIAL");
        assertThat(completed.reason()).contains("zones: page 1 failed").contains("HTTP 500");
        assertThat(completed.items()).containsExactly(new SyncCompleted.ItemCounts("zones", "PARTIAL", 0, 0, 0, 0));
        assertThat(counts(partial, "zones")).containsExactly(0, 0, 0, 0);

        List<PoolHealthChanged> changes = events.stream().filter(e -> e.type().equals("PoolHealthChanged"))
                .map(e -> EventCodec.payload(e, PoolHealthChanged.class)).toList();
        assertThat(changes).extracting(PoolHealthChanged::previousHealth, PoolHealthChanged::health)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("HEALTHY", "AUTH_FAILED"), org.assertj.core.groups.Tuple.tuple("AUTH_FAILED", "HEALTHY"));
        assertThat(changes.get(0).poolId()).isEqualTo(poolId);
        assertThat(changes.get(0).message()).contains("API secret");
        assertThat(events).allSatisfy(e -> assertThat(EventCodec.encode(e)).doesNotContain(SECRET).doesNotContain("rotated-upstream-9876"));
    }

    private io.restassured.response.ValidatableResponse sellAt(String tenant, String poolId, String itemId, String price) {
        return as(tenant).body(Map.of("sellingPrice", new BigDecimal(price)))
                .put("/v1/pools/" + poolId + "/catalog/cloud-server-lines/" + itemId + "/selling-price").then().statusCode(200);
    }

    /** The pool's events on the pools topic, in order, once {@code enough} holds for them (and whatever else was there by then). */
    private List<EventEnvelope> events(String poolId, Predicate<List<EventEnvelope>> enough) {
        return KafkaClients.readUntil(bootstrapServers, Topics.POOLS, poolId, EventCodec::decode, enough, Duration.ofSeconds(120));
    }
}
