package io.keyfleet.sync;

import static io.keyfleet.sync.PoolApiIT.as;
import static io.keyfleet.sync.SyncTesting.jobIds;
import static io.keyfleet.sync.SyncTesting.pool;
import static io.keyfleet.sync.SyncTesting.tenant;
import static io.keyfleet.sync.SyncTesting.update;
import static io.keyfleet.sync.SyncTesting.waitFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.nullValue;

import io.keyfleet.sync.job.SyncJobs;
import io.micrometer.core.instrument.MeterRegistry;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Schedules per pool, run by the real scheduler (every second in tests: see UpstreamWorldResource). */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "sync_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(UpstreamWorldResource.class)
class SyncScheduleIT extends UpstreamWorldTest {

    @Inject
    SyncJobs service;

    @Inject
    MeterRegistry registry;

    @Test
    void aPoolWithAnIntervalIsSyncedOnScheduleAndOnlyThen() throws Exception {
        String tenant = tenant();
        world.generate(20);
        String unscheduled = pool(tenant);
        String scheduled = pool(tenant, Map.of("syncIntervalMinutes", 5));
        String disabledLater = pool(tenant, Map.of("syncIntervalMinutes", 5));

        String first = awaitJobs(tenant, scheduled, 1).get(0);
        assertThat(waitFor(tenant, scheduled, first).getList("items.item")).hasSize(7);
        waitFor(tenant, disabledLater, awaitJobs(tenant, disabledLater, 1).get(0));
        as(tenant).body(Map.of("syncIntervalMinutes", 0)).put("/v1/pools/" + disabledLater).then().statusCode(200)
                .body("pool.syncIntervalMinutes", nullValue());

        // not due again within the interval, however often the scheduler looks meanwhile
        awaitFurtherScheduleChecks();
        assertThat(jobIds(tenant, scheduled)).hasSize(1);

        // the interval passes (moved back, not waited for); the look that starts the second job sees both moved
        backdate(disabledLater);
        backdate(scheduled);
        String second = awaitJobs(tenant, scheduled, 2).get(0);
        waitFor(tenant, scheduled, second);
        awaitFurtherScheduleChecks(); // the look that started it has ended, and another after it
        assertThat(jobIds(tenant, disabledLater)).hasSize(1);
        assertThat(jobIds(tenant, unscheduled)).isEmpty();
    }

    @Test
    void aScheduleDueWhileItsPoolIsSyncingDoesNotStartASecondJob() throws Exception {
        String tenant = tenant();
        world.generate(5);
        // the first page waits out a rate limit as long as a job may (keyfleet.sync.max-rate-limit-wait, 60 s) until the
        // cancel below: the job is still running when the schedule is due, however slow the machine
        world.trouble("RATE_LIMITED", 60);
        String poolId = pool(tenant, Map.of("syncIntervalMinutes", 5));
        String running = awaitJobs(tenant, poolId, 1).get(0);

        backdate(poolId);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> SyncTesting.count(dataSource,
                "select count(*) from pool where id = ? and last_scheduled_at > now() - interval '1 minute'", UUID.fromString(poolId)) == 1);
        assertThat(SyncTesting.job(tenant, poolId, running).getString("status")).isEqualTo("RUNNING");
        as(tenant).post("/v1/pools/" + poolId + "/sync-jobs/" + running + "/cancel").then().statusCode(200);
        waitFor(tenant, poolId, running);
        assertThat(jobIds(tenant, poolId)).containsExactly(running);
    }

    @Test
    void replicasRunningTheScheduleAtOnceStartOneJob() throws Exception {
        String tenant = tenant();
        world.generate(5);
        String poolId = pool(tenant); // no schedule yet: the scheduler leaves it alone until it is due
        update(dataSource, "update pool set sync_interval_minutes = 5, last_scheduled_at = now() - interval '6 minutes' where id = ?",
                UUID.fromString(poolId));
        CyclicBarrier together = new CyclicBarrier(4);
        List<CompletableFuture<Void>> replicas = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            replicas.add(CompletableFuture.runAsync(() -> {
                try {
                    together.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                service.runSchedules();
            }));
        }
        CompletableFuture.allOf(replicas.toArray(CompletableFuture[]::new)).get();
        List<String> jobs = jobIds(tenant, poolId);
        assertThat(jobs).hasSize(1);
        waitFor(tenant, poolId, jobs.get(0));
        awaitFurtherScheduleChecks(); // the scheduler looked after the job ended: still not due
        assertThat(jobIds(tenant, poolId)).hasSize(1);
    }

    private List<String> awaitJobs(String tenant, String poolId, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> jobIds(tenant, poolId).size() >= count);
        return jobIds(tenant, poolId);
    }

    /** Two more completed looks at the schedules: the second began after the first ended, so after this call. */
    private void awaitFurtherScheduleChecks() {
        double checks = scheduleChecks();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> scheduleChecks() >= checks + 2);
    }

    private double scheduleChecks() {
        return registry.counter("keyfleet.sync.schedule.checks").count();
    }

    private void backdate(String poolId) throws Exception {
        update(dataSource, "update pool set last_scheduled_at = last_scheduled_at - interval '6 minutes' where id = ?", UUID.fromString(poolId));
    }
}
