package io.keyfleet.tokens.refresh;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.keyfleet.tokens.FakeProvider;
import io.keyfleet.tokens.support.TokensConfig;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Two scheduler replicas (two owners, each with its own thread pool, as two processes would have) share one real
 * PostgreSQL and keep 300 grants with 4-second access tokens alive through at least three cycles while clients read the tokens
 * over HTTP. The provider ({@link FakeProvider}, a boundary here) counts every use of every refresh token.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "token_service"))
@QuarkusTestResource(KafkaTestResource.class)
class RefreshReplicasIT {

    private static final int GRANTS = 300;
    private static final String APP_ID = "2021000000000002";
    private static final long LIFETIME_SECONDS = 4;
    /** Every grant through at least three refresh cycles. */
    private static final int MIN_VERSION = 4;

    @Inject
    FakeProvider provider;

    @Inject
    Refresher refresher;

    @Inject
    AgroalDataSource database;

    @Inject
    TokensConfig config;

    @Test
    void twoReplicasRefreshEveryGrantOncePerCycleAndNoExpiredTokenIsHandedOut() throws Exception {
        provider.reset();
        provider.lifetimes(LIFETIME_SECONDS, 600);
        String tenant = "t-replicas";
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger refreshedByA = new AtomicInteger();
        AtomicInteger refreshedByB = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        threads.add(replica("replica-a", refreshedByA, running));
        threads.add(replica("replica-b", refreshedByB, running));

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < GRANTS; i++) {
            ids.add(given().header("X-Keyfleet-Tenant", tenant).contentType(ContentType.JSON)
                    .body(Map.of("provider", "alipay", "appId", APP_ID, "environment", "sandbox",
                            "code", provider.consent("2088" + String.format("%012d", i))))
                    .post("/v1/grants/exchange").then().statusCode(201).extract().path("id"));
        }

        ConcurrentLinkedQueue<String> badReads = new ConcurrentLinkedQueue<>();
        AtomicInteger reads = new AtomicInteger();
        for (int r = 0; r < 2; r++) {
            Random random = new Random(r);
            Thread reader = new Thread(() -> {
                while (running.get()) {
                    String id = ids.get(random.nextInt(ids.size()));
                    Instant asked = Instant.now();
                    Response token = given().header("X-Keyfleet-Tenant", tenant).get("/v1/grants/" + id + "/token");
                    reads.incrementAndGet();
                    // handed out at some moment after it was asked for, with more than min-remaining of life left then
                    // (comparing with the moment the answer arrived would count a slow answer as an expired token)
                    if (token.statusCode() != 200) {
                        badReads.add(id + ": HTTP " + token.statusCode() + " " + token.asString());
                    } else if (!Instant.parse(token.path("expiresAt")).isAfter(asked.plus(config.minRemaining()))) {
                        badReads.add(id + ": token v" + token.path("tokenVersion") + " with less than " + config.minRemaining()
                                + " left, asked for at " + asked + ": " + token.asString());
                    }
                }
            }, "reader-" + r);
            reader.start();
            threads.add(reader);
        }

        // until every grant went through several cycles and the readers read a while: slow on a loaded machine, not wrong
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500))
                .until(() -> reads.get() > 100 && versions(tenant).stream().mapToInt(Integer::intValue).min().orElse(0) >= MIN_VERSION);
        running.set(false);
        for (Thread thread : threads) {
            thread.join(30_000);
        }

        assertThat(badReads).as("tokens handed out expired or not at all").isEmpty();
        assertThat(reads.get()).isGreaterThan(100);
        assertThat(provider.refreshTokensUsedTwice()).as("refresh tokens used twice (a grant refreshed twice in a cycle)").isZero();

        List<Integer> versions = versions(tenant);
        assertThat(versions).hasSize(GRANTS);
        int minVersion = versions.stream().mapToInt(Integer::intValue).min().orElseThrow();
        long refreshesStored = versions.stream().mapToLong(v -> v - 1).sum();
        assertThat(minVersion).as("every grant went through several cycles").isGreaterThanOrEqualTo(MIN_VERSION);
        assertThat(provider.refreshCalls(APP_ID)).as("one upstream call per stored refresh, none wasted").isEqualTo(refreshesStored);
        assertThat(refreshedByA.get()).isPositive();
        assertThat(refreshedByB.get()).isPositive();
        System.out.printf("RefreshReplicasIT: %d grants, %d refreshes (replica a %d, b %d, on reads the rest), versions %d..%d, %d reads%n",
                GRANTS, refreshesStored, refreshedByA.get(), refreshedByB.get(), minVersion,
                versions.stream().mapToInt(Integer::intValue).max().orElseThrow(), reads.get());
    }

    private Thread replica(String owner, AtomicInteger refreshed, AtomicBoolean running) {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Thread loop = new Thread(() -> {
            try {
                while (running.get()) {
                    refreshed.addAndGet(refresher.refreshDue(owner, 50, pool));
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                pool.shutdown();
                try {
                    pool.awaitTermination(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, owner);
        loop.start();
        return loop;
    }

    private List<Integer> versions(String tenant) throws Exception {
        List<Integer> versions = new ArrayList<>();
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement("select generation from token_grant where tenant_id = ? and status = 'ACTIVE'")) {
            statement.setString(1, tenant);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    versions.add(rows.getInt(1));
                }
            }
        }
        return versions;
    }
}
