package io.keyfleet.sync;

import static io.keyfleet.sync.SyncTesting.pool;
import static io.keyfleet.sync.SyncTesting.runToEnd;
import static io.keyfleet.sync.SyncTesting.tenant;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, unbounded upstream answers: a tenant controls the server a pool points at, so nothing it sends may take
 * the pod or a worker. Each hostility of {@link HostileUpstream} ends its item PARTIAL with the reason, the connection
 * is closed, the heap stays where it was, and the service goes on serving and syncing other pools.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "sync_service"))
@QuarkusTestResource(KafkaTestResource.class)
@QuarkusTestResource(UpstreamWorldResource.class)
class UpstreamBoundsIT extends UpstreamWorldTest {

    private static final long MIB = 1024 * 1024;
    /** keyfleet.sync.max-page-bytes by default. */
    private static final long CAP = 4 * MIB;

    private final HostileUpstream hostile = UpstreamWorldResource.hostile();

    @Test
    void aGibibyteAnswerIsCutAtTheCapAndNeverHeld() {
        String tenant = tenant();
        String poolId = pool(tenant, Map.of("apiBaseUrl", hostile.url("huge")));
        long heapBefore = usedHeapAfterGc();
        long sentBefore = hostile.hugeBytesSent.get();
        int answersBefore = hostile.hugeAnswers.get();

        JsonPath job = runToEnd(tenant, poolId, List.of("zones"), false);
        assertThat(job.getString("status")).isEqualTo("PARTIAL");
        assertThat(job.getString("items[0].status")).isEqualTo("PARTIAL");
        assertThat(job.getString("items[0].reason")).contains("larger than keyfleet.sync.max-page-bytes (" + CAP + " bytes)");
        assertThat(hostile.hugeAnswers.get() - answersBefore).as("not retried").isEqualTo(1);
        connectionsClosed();
        // what the server got onto the wire before the connection was closed: the cap plus what socket buffers hold
        assertThat(hostile.hugeBytesSent.get() - sentBefore).isLessThan(CAP + 32 * MIB);
        assertThat(usedHeapAfterGc() - heapBefore).isLessThan(64 * MIB);
        stillServing(tenant);
    }

    @Test
    void anAnswerThatNeverEndsIsCutByTheDeadline() {
        String tenant = tenant();
        String poolId = pool(tenant, Map.of("apiBaseUrl", hostile.url("trickle")));
        int answersBefore = hostile.trickleAnswers.get();

        JsonPath job = runToEnd(tenant, poolId, List.of("zones"), false);
        assertThat(job.getString("status")).isEqualTo("PARTIAL");
        assertThat(job.getString("items[0].reason")).contains("after 5 attempts", "within 5000 ms");
        assertThat(hostile.trickleAnswers.get() - answersBefore).isEqualTo(5);
        connectionsClosed();
        stillServing(tenant);
    }

    @Test
    void aPageClaiming2147483647PagesEndsTheItemAtItsFirstPage() {
        String tenant = tenant();
        String poolId = pool(tenant, Map.of("apiBaseUrl", hostile.url("pages")));
        int callsBefore = hostile.pageCalls.get();

        JsonPath job = runToEnd(tenant, poolId, List.of("zones"), false);
        assertThat(job.getString("status")).isEqualTo("PARTIAL");
        assertThat(job.getString("items[0].reason")).contains("claims 2147483647 pages, more than keyfleet.sync.max-pages (10000)");
        assertThat(hostile.pageCalls.get() - callsBefore).isEqualTo(1);
        assertThat(job.getInt("items[0].seen")).isZero();
        stillServing(tenant);
    }

    @Test
    void aPageWithMoreItemsThanAllowedEndsTheItem() {
        String tenant = tenant();
        String poolId = pool(tenant, Map.of("apiBaseUrl", hostile.url("items")));

        JsonPath job = runToEnd(tenant, poolId, List.of("zones"), false);
        assertThat(job.getString("status")).isEqualTo("PARTIAL");
        assertThat(job.getString("items[0].reason")).contains("more than keyfleet.sync.max-page-items (1000) items");
        assertThat(job.getInt("items[0].seen")).isZero();
        stillServing(tenant);
    }

    /** The hostile server's answers all ended: the client closed every connection. */
    private void connectionsClosed() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(hostile.open).hasValue(0));
    }

    /** Health UP, and a pool of a well-behaved upstream syncs completely. */
    private void stillServing(String tenant) {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        world.generate(20);
        JsonPath job = runToEnd(tenant, pool(tenant), List.of(), false);
        assertThat(job.getString("status")).isEqualTo("SUCCEEDED");
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
