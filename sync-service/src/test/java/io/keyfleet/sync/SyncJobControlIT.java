package io.keyfleet.sync;

import static io.keyfleet.sync.PoolApiIT.as;
import static io.keyfleet.sync.SyncTesting.count;
import static io.keyfleet.sync.SyncTesting.counts;
import static io.keyfleet.sync.SyncTesting.jobIds;
import static io.keyfleet.sync.SyncTesting.pool;
import static io.keyfleet.sync.SyncTesting.runToEnd;
import static io.keyfleet.sync.SyncTesting.start;
import static io.keyfleet.sync.SyncTesting.tenant;
import static io.keyfleet.sync.SyncTesting.waitFor;
import static io.keyfleet.sync.SyncTesting.update;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.sync.catalog.CatalogType;
import io.keyfleet.sync.job.SyncJobTable;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Cancelling jobs, and one active job per pool and item under concurrent requests. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "sync_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(UpstreamWorldResource.class)
class SyncJobControlIT extends UpstreamWorldTest {

    @Inject
    SyncJobTable syncJobs;

    @Test
    void aCancelledJobStopsAfterItsPageKeepsWhatItAppliedAndANewJobFinishesTheRest() throws Exception {
        String tenant = tenant();
        world.generate(1_200);
        String poolId = pool(tenant);
        // zones, operating systems and the first page of lines come at once; the second page of lines takes a second (the
        // page in flight when the cancel comes); the third asks to wait out a rate limit of 60 s (the longest a job
        // waits), so the job cannot finish the lines before the cancel however slow the machine
        world.noTrouble(3);
        world.trouble("DELAY", 1_000);
        world.trouble("RATE_LIMITED", 60);
        String jobId = start(tenant, poolId, List.of(), false);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> counts(SyncTesting.job(tenant, poolId, jobId), "cloud-server-lines").get(0) >= 500);

        Instant cancelled = Instant.now();
        as(tenant).post("/v1/pools/" + poolId + "/sync-jobs/" + jobId + "/cancel").then().statusCode(200)
                .body("cancelRequested", equalTo(true));
        JsonPath job = waitFor(tenant, poolId, jobId);
        // at most the page in flight, then it stops; not after the rate limit (a minute) it would otherwise wait out
        assertThat(Duration.between(cancelled, Instant.now())).isLessThan(Duration.ofSeconds(30));
        assertThat(job.getString("status")).isEqualTo("PARTIAL");
        assertThat(job.getString("reason")).contains("cancelled");
        assertThat(job.getString("items.find { it.item == 'zones' }.status")).isEqualTo("SUCCEEDED");
        assertThat(job.getString("items.find { it.item == 'cloud-server-lines' }.status")).isEqualTo("PARTIAL");
        assertThat(job.getString("items.find { it.item == 'cloud-server-lines' }.reason")).contains("cancelled by the operator");
        assertThat(job.getString("items.find { it.item == 'bare-metal-disk-models' }.status")).isEqualTo("FAILED");
        assertThat(counts(job, "bare-metal-disk-models")).containsExactly(0, 0, 0, 0);
        // what was applied is in the catalog, and only that
        int applied = counts(job, "cloud-server-lines").get(1);
        assertThat(applied).isBetween(500, 1_000);
        assertThat(count(dataSource, "select count(*) from catalog_item where pool_id = ? and resource_type = 'CLOUD_SERVER_LINES' and not removed",
                UUID.fromString(poolId))).isEqualTo(applied);
        assertThat(count(dataSource, "select count(*) from catalog_item where pool_id = ? and resource_type = 'BARE_METAL_DISK_MODELS'",
                UUID.fromString(poolId))).isZero();
        as(tenant).get("/v1/pools/" + poolId + "/items").then()
                .body("find { it.item == 'cloud-server-lines' }.status", equalTo("PARTIAL"))
                .body("find { it.item == 'bare-metal-disk-models' }.status", equalTo("NEVER_SYNCED"));
        as(tenant).post("/v1/pools/" + poolId + "/sync-jobs/" + jobId + "/cancel").then().statusCode(409)
                .body("code", equalTo("SYNC_JOB_NOT_ACTIVE"));

        world.reset();
        world.generate(1_200);
        JsonPath rest = runToEnd(tenant, poolId, List.of(), false);
        assertThat(rest.getString("status")).isEqualTo("SUCCEEDED");
        assertThat(counts(rest, "cloud-server-lines")).containsExactly(1_200, 1_200 - applied, 0, 0);
        assertThat(counts(rest, "bare-metal-disk-models")).containsExactly(1_200, 1_200, 0, 0);
    }

    @Test
    void aCancelEndsAJobThatIsWaitingOutARateLimit() {
        String tenant = tenant();
        world.generate(1_200);
        String poolId = pool(tenant);
        world.trouble("RATE_LIMITED", 60); // the first page asks for 60 s (keyfleet.sync.max-rate-limit-wait, the longest allowed)
        String jobId = start(tenant, poolId, List.of(), false);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> world.pageCalls() > 0
                && "RUNNING".equals(SyncTesting.job(tenant, poolId, jobId).getString("status")));

        Instant cancelled = Instant.now();
        as(tenant).post("/v1/pools/" + poolId + "/sync-jobs/" + jobId + "/cancel").then().statusCode(200);
        JsonPath job = waitFor(tenant, poolId, jobId);
        // within moments (the wait checks for a cancel every 250 ms), not after the rest of the minute
        assertThat(Duration.between(cancelled, Instant.now())).isLessThan(Duration.ofSeconds(30));
        assertThat(job.getString("status")).isEqualTo("PARTIAL");
        assertThat(job.getString("items.find { it.item == 'zones' }.reason")).contains("cancelled");
        assertThat(job.getList("items.status")).doesNotContain("SUCCEEDED", "QUEUED", "RUNNING");
        start(tenant, poolId, List.of("zones"), false); // the items are free again
    }

    @Test
    void aQueuedJobEndsAtOnceWhenCancelledAndNoWorkerRunsItLater() {
        String tenant = tenant();
        world.generate(5);
        List<String> busyPools = List.of(pool(tenant), pool(tenant));
        List<String> busyJobs = new ArrayList<>();
        for (String busy : busyPools) { // both workers (keyfleet.sync.workers = 2) wait out a 60 s rate limit, until cancelled
            world.trouble("RATE_LIMITED", 60);
            int calls = world.pageCalls();
            busyJobs.add(start(tenant, busy, List.of("zones"), false));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> world.pageCalls() > calls);
        }
        String poolId = pool(tenant);
        String queued = start(tenant, poolId, List.of("zones"), false);
        assertThat(SyncTesting.job(tenant, poolId, queued).getString("status")).isEqualTo("QUEUED");

        as(tenant).post("/v1/pools/" + poolId + "/sync-jobs/" + queued + "/cancel").then().statusCode(200)
                .body("status", equalTo("FAILED")).body("reason", equalTo("cancelled by the operator before it started"))
                .body("items[0].status", equalTo("FAILED"));
        String next = start(tenant, poolId, List.of("zones"), false); // its items are free at once
        for (int i = 0; i < busyPools.size(); i++) {
            as(tenant).post("/v1/pools/" + busyPools.get(i) + "/sync-jobs/" + busyJobs.get(i) + "/cancel").then().statusCode(200);
        }
        assertThat(waitFor(tenant, poolId, next).getString("status")).isEqualTo("SUCCEEDED");
        JsonPath cancelled = SyncTesting.job(tenant, poolId, queued);
        assertThat(cancelled.getString("status")).isEqualTo("FAILED");
        assertThat(cancelled.getString("startedAt")).isNull();
        as(tenant).post("/v1/pools/" + poolId + "/sync-jobs/" + UUID.randomUUID() + "/cancel").then().statusCode(404);
    }

    @Test
    void concurrentRequestsForTheSameItemsMakeOneJobTheOthersJoinOrAreRefused() throws Exception {
        String tenant = tenant();
        world.generate(1_200);
        String poolId = pool(tenant);
        // the job's first page asks to wait 5 s: it is still running when the last of the callers comes, even on a slow machine
        world.trouble("RATE_LIMITED", 5);
        int callers = 8;
        CyclicBarrier together = new CyclicBarrier(callers);
        List<CompletableFuture<Response>> requests = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            // half ask for the lines (which brings the base resources along), half for exactly those three items
            List<String> items = i % 2 == 0 ? List.of("cloud-server-lines") : List.of("zones", "operating-systems", "cloud-server-lines");
            requests.add(CompletableFuture.supplyAsync(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                return as(tenant).body(Map.of("items", items)).post("/v1/pools/" + poolId + "/sync-jobs");
            }));
        }
        List<Integer> statuses = new ArrayList<>();
        Set<String> jobIdsSeen = new HashSet<>();
        for (CompletableFuture<Response> request : requests) {
            Response response = request.get();
            statuses.add(response.statusCode());
            if (response.statusCode() != 409) {
                jobIdsSeen.add(response.path("id"));
            }
        }
        assertThat(statuses).isSubsetOf(202, 200, 409);
        assertThat(statuses.stream().filter(status -> status == 202)).hasSize(1);
        assertThat(jobIdsSeen).hasSize(1);
        assertThat(jobIds(tenant, poolId)).containsExactlyElementsOf(jobIdsSeen);
        JsonPath job = waitFor(tenant, poolId, jobIdsSeen.iterator().next());
        assertThat(counts(job, "cloud-server-lines")).containsExactly(1_200, 1_200, 0, 0);
        assertThat(count(dataSource, "select count(*) from catalog_item where pool_id = ? and resource_type = 'CLOUD_SERVER_LINES'",
                UUID.fromString(poolId))).isEqualTo(1_200);
    }

    @Test
    void theDatabaseRefusesASecondActiveJobForAnItemWithAUniqueViolation() throws Exception {
        // what SyncJobs relies on when two requests both found the item free: the second insert fails with 23505
        String poolId = pool(tenant());
        UUID pool = UUID.fromString(poolId);
        QuarkusTransaction.requiringNew().call(() -> {
            syncJobs.insert(UUID.randomUUID(), "t", pool, List.of(CatalogType.ZONES, CatalogType.HOSTING_LINES), false);
            return null;
        });
        Throwable refused = catchThrowable(() -> QuarkusTransaction.requiringNew().call(() -> {
            syncJobs.insert(UUID.randomUUID(), "t", pool, List.of(CatalogType.HOSTING_LINES), false);
            return null;
        }));
        boolean uniqueViolation = false;
        for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
            uniqueViolation |= cause instanceof SQLException sql && "23505".equals(sql.getSQLState());
        }
        assertThat(uniqueViolation).as("23505 in the cause chain of %s", refused).isTrue();
        assertThat(count(dataSource, "select count(*) from sync_job where pool_id = ?", pool)).isEqualTo(1);
        update(dataSource, "update sync_job_item set status = 'FAILED' where pool_id = ?", pool);
        update(dataSource, "update sync_job set status = 'FAILED' where pool_id = ?", pool);
    }

    @Test
    void differentItemsOfAPoolSyncSideBySideButOverlappingOnesAreRefused() {
        String tenant = tenant();
        world.generate(600);
        String poolId = pool(tenant);
        runToEnd(tenant, poolId, List.of("zones", "operating-systems"), false);
        // each job's first page asks to wait 5 s: both are still running when the third request comes, even on a slow machine
        world.trouble("RATE_LIMITED", 5);
        world.trouble("RATE_LIMITED", 5);
        String lines = start(tenant, poolId, List.of("cloud-server-lines"), false);
        String hosting = start(tenant, poolId, List.of("hosting-lines"), false);
        as(tenant).body(Map.of()).post("/v1/pools/" + poolId + "/sync-jobs").then().statusCode(409)
                .body("code", equalTo("SYNC_ALREADY_RUNNING"));
        assertThat(waitFor(tenant, poolId, lines).getList("items.item")).containsExactly("cloud-server-lines");
        assertThat(waitFor(tenant, poolId, hosting).getString("status")).isEqualTo("SUCCEEDED");
    }
}
