package io.keyfleet.sync;

import static io.keyfleet.sync.PoolApiIT.as;
import static io.keyfleet.sync.PoolApiIT.definition;
import static io.keyfleet.sync.PoolApiIT.newMember;

import io.restassured.path.json.JsonPath;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.awaitility.Awaitility;

/** Pools and jobs over the API, and a look at the tables, for the sync ITs. */
final class SyncTesting {

    private SyncTesting() {
    }

    static String tenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String pool(String tenant) {
        return pool(tenant, Map.of());
    }

    /** A pool of a fresh member, with fields of the default definition replaced by {@code changes}. */
    static String pool(String tenant, Map<String, Object> changes) {
        Map<String, Object> body = definition(newMember());
        body.putAll(changes);
        return as(tenant).body(body).post("/v1/pools").then().statusCode(201).extract().path("pool.id");
    }

    static String start(String tenant, String poolId, List<String> items, boolean selectedOnly) {
        return as(tenant).body(Map.of("items", items, "selectedOnly", selectedOnly)).post("/v1/pools/" + poolId + "/sync-jobs").then()
                .statusCode(202).extract().path("id");
    }

    static JsonPath runToEnd(String tenant, String poolId, List<String> items, boolean selectedOnly) {
        return waitFor(tenant, poolId, start(tenant, poolId, items, selectedOnly));
    }

    static JsonPath job(String tenant, String poolId, String jobId) {
        return as(tenant).get("/v1/pools/" + poolId + "/sync-jobs/" + jobId).then().statusCode(200).extract().jsonPath();
    }

    static JsonPath waitFor(String tenant, String poolId, String jobId) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> !List.of("QUEUED", "RUNNING").contains(job(tenant, poolId, jobId).getString("status")));
        return job(tenant, poolId, jobId);
    }

    static List<String> jobIds(String tenant, String poolId) {
        return as(tenant).get("/v1/pools/" + poolId + "/sync-jobs").then().statusCode(200).extract().jsonPath().getList("id");
    }

    /** seen, created, updated, removed of one item of a job. */
    static List<Integer> counts(JsonPath job, String item) {
        Map<String, Object> progress = job.getMap("items.find { it.item == '" + item + "' }");
        return List.of((Integer) progress.get("seen"), (Integer) progress.get("created"), (Integer) progress.get("updated"),
                (Integer) progress.get("removed"));
    }

    static long count(DataSource dataSource, String sql, Object... params) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                select.setObject(i + 1, params[i]);
            }
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    static int update(DataSource dataSource, String sql, Object... params) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                update.setObject(i + 1, params[i]);
            }
            return update.executeUpdate();
        }
    }
}
