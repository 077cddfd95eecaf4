package io.keyfleet.sync;

import static io.keyfleet.sync.PoolApiIT.as;
import static io.keyfleet.sync.SyncTesting.count;
import static io.keyfleet.sync.SyncTesting.counts;
import static io.keyfleet.sync.SyncTesting.pool;
import static io.keyfleet.sync.SyncTesting.runToEnd;
import static io.keyfleet.sync.SyncTesting.tenant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The custom selection of lines, and selection syncs (600 lines per type: two pages of 500). */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "sync_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(UpstreamWorldResource.class)
class CatalogSelectionIT extends UpstreamWorldTest {

    @Test
    void everyLineStartsSelectedAndAfterAnItemsCustomSelectionItsNewLinesStartUnselected() throws Exception {
        String tenant = tenant();
        world.generate(600);
        String poolId = pool(tenant);
        runToEnd(tenant, poolId, List.of(), false);
        assertThat(selected(poolId, "CLOUD_SERVER_LINES")).isEqualTo(600);
        assertThat(selected(poolId, "HOSTING_LINES")).isEqualTo(600);

        select(tenant, poolId, "cloud-server-lines", List.of("cl-0000001", "cl-0000002", "cl-0000550"));
        as(tenant).get("/v1/pools/" + poolId).then().body("customSelectionItems", equalTo(List.of("cloud-server-lines")));
        assertThat(selected(poolId, "CLOUD_SERVER_LINES")).isEqualTo(3);
        as(tenant).get("/v1/pools/" + poolId + "/catalog?item=cloud-server-lines&selectedOnly=true").then()
                .body("entries.id", equalTo(List.of("cl-0000001", "cl-0000002", "cl-0000550")));

        world.put("cloud-server-lines", 5_000, "Authorized later", new BigDecimal("20.00"));
        world.put("hosting-lines", 5_000, "Authorized later", new BigDecimal("20.00"));
        JsonPath job = runToEnd(tenant, poolId, List.of("cloud-server-lines", "hosting-lines"), false);
        assertThat(counts(job, "cloud-server-lines")).containsExactly(601, 1, 0, 0);
        as(tenant).get("/v1/pools/" + poolId + "/catalog?item=cloud-server-lines&after=cl-0004999").then()
                .body("entries[0].id", equalTo("cl-0005000")).body("entries[0].selected", equalTo(false));
        // hosting lines have no custom selection: their new line is sold like the others
        as(tenant).get("/v1/pools/" + poolId + "/catalog?item=hosting-lines&after=ho-0004999").then()
                .body("entries[0].selected", equalTo(true));
        assertThat(selected(poolId, "CLOUD_SERVER_LINES")).isEqualTo(3);
        assertThat(selected(poolId, "HOSTING_LINES")).isEqualTo(601);
    }

    @Test
    void aSelectionSyncChangesExactlyTheSelectedLines() throws Exception {
        String tenant = tenant();
        world.generate(600);
        String poolId = pool(tenant);
        runToEnd(tenant, poolId, List.of(), false);
        select(tenant, poolId, "cloud-server-lines", List.of("cl-0000001", "cl-0000002", "cl-0000550"));

        world.put("cloud-server-lines", 1, "Selected, changed", new BigDecimal("30.00"));
        world.put("cloud-server-lines", 550, "Selected, changed", new BigDecimal("31.00"));
        world.remove("cloud-server-lines", 2);
        world.put("cloud-server-lines", 10, "Unselected, changed", new BigDecimal("32.00"));
        world.remove("cloud-server-lines", 20);
        world.put("cloud-server-lines", 5_000, "Authorized later", new BigDecimal("20.00"));
        JsonPath selection = runToEnd(tenant, poolId, List.of("cloud-server-lines"), true);
        assertThat(selection.getBoolean("selectedOnly")).isTrue();
        assertThat(selection.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(counts(selection, "cloud-server-lines")).containsExactly(599, 0, 2, 1);
        assertThat(name(poolId, "cl-0000001")).isEqualTo("Selected, changed");
        assertThat(name(poolId, "cl-0000010")).isEqualTo("Item 10");
        assertThat(removed(poolId, "cl-0000002")).isTrue();
        assertThat(removed(poolId, "cl-0000020")).isFalse();
        assertThat(count(dataSource, "select count(*) from catalog_item where pool_id = ? and item_id = 'cl-0005000'",
                UUID.fromString(poolId))).isZero();

        // a full sync then brings the rest: the unselected change and removal, and the new line (unselected)
        JsonPath full = runToEnd(tenant, poolId, List.of("cloud-server-lines"), false);
        assertThat(counts(full, "cloud-server-lines")).containsExactly(599, 1, 1, 1);
        assertThat(name(poolId, "cl-0000010")).isEqualTo("Unselected, changed");
        assertThat(removed(poolId, "cl-0000020")).isTrue();
        assertThat(selected(poolId, "CLOUD_SERVER_LINES")).isEqualTo(2);
    }

    @Test
    void baseResourcesGoFirstAndAreSyncedWhollyInASelectionSync() throws Exception {
        String tenant = tenant();
        world.generate(600);
        String poolId = pool(tenant);
        JsonPath first = runToEnd(tenant, poolId, List.of("bare-metal-lines"), true);
        assertThat(first.getList("items.item")).containsExactly("zones", "operating-systems", "bare-metal-lines");
        assertThat(counts(first, "zones")).containsExactly(3, 3, 0, 0);
        assertThat(count(dataSource, "select count(*) from catalog_item z, catalog_item l where z.pool_id = ? and l.pool_id = z.pool_id "
                + "and z.resource_type = 'ZONES' and l.resource_type = 'BARE_METAL_LINES' and z.synced_at > l.synced_at",
                UUID.fromString(poolId))).isZero();

        select(tenant, poolId, "bare-metal-lines", List.of("ba-0000001"));
        world.put("zones", 1, "Zone renamed", new BigDecimal("0.50"));
        world.put("zones", 7, "Zone added", new BigDecimal("0.50"));
        JsonPath next = runToEnd(tenant, poolId, List.of("zones", "bare-metal-lines"), true);
        assertThat(next.getList("items.item")).containsExactly("zones", "bare-metal-lines");
        assertThat(counts(next, "zones")).containsExactly(4, 1, 1, 0);
        as(tenant).get("/v1/pools/" + poolId + "/catalog?item=zones").then().body("entries.selected", equalTo(List.of(true, true, true, true)));
    }

    private static void select(String tenant, String poolId, String item, List<String> selectedIds) {
        as(tenant).body(Map.of("item", item, "selectedIds", selectedIds)).put("/v1/pools/" + poolId + "/selection").then().statusCode(200);
    }

    private long selected(String poolId, String type) throws Exception {
        return count(dataSource, "select count(*) from catalog_item where pool_id = ? and resource_type = ? and selected and not removed",
                UUID.fromString(poolId), type);
    }

    private String name(String poolId, String itemId) {
        return query(poolId, itemId, "name");
    }

    private boolean removed(String poolId, String itemId) {
        return Boolean.parseBoolean(query(poolId, itemId, "cast(removed as text)"));
    }

    private String query(String poolId, String itemId, String column) {
        try (var connection = dataSource.getConnection();
             var select = connection.prepareStatement("select " + column + " from catalog_item where pool_id = ? and item_id = ?")) {
            select.setObject(1, UUID.fromString(poolId));
            select.setString(2, itemId);
            try (var row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
