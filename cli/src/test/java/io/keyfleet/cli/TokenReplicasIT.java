package io.keyfleet.cli;

import io.keyfleet.launcher.ServiceProcess;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check, over real processes: two token-service instances (the suite's and a second process) share one
 * database and refresh 1,000 grants with 30-second access tokens against the sandbox, signed through signing-service,
 * through three refresh cycles while readers ask both instances for tokens. The sandbox counts every use of every
 * refresh token: exactly one refresh per grant per cycle, and its count per grant matches token-service's token
 * version; no read ever returns a token past its expiry; both instances took grants.
 */
@ExtendWith(SuiteLogSecrets.class)
class TokenReplicasIT {

    private static final int GRANTS = 1_000;
    private static final int ACCESS_LIFETIME_SECONDS = 30;
    private static final int CYCLES = 3;

    @Test
    void twoInstancesKeepAThousandGrantsAliveWithOneUpstreamRefreshPerGrantPerCycle(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dataDirectory) throws Exception {
        long started = System.nanoTime();
        Path root = ProjectLayout.locate().root();
        Suite definition = TokenSuiteFixture.suite(root, dataDirectory);
        ServiceProcess second = null;
        ExecutorService workers = Executors.newFixedThreadPool(8);
        try (RunningSuite suite = SuiteLogSecrets.watch(definition, definition.start())) {
            TokenSuiteFixture fixture = new TokenSuiteFixture(definition, suite);
            Duration suiteStart = Duration.ofNanos(System.nanoTime() - started);
            URI tokens = fixture.tokens;
            TokenServiceReplica replica = TokenServiceReplica.start(root, suite, fixture.adminApiKey,
                    dataDirectory.resolve("token-service-2.log"), Map.of());
            second = replica.process();

            String tenant = fixture.tenantTrustingTheSandbox("replicas", "Replicas");
            String appId = fixture.sandboxApp(tenant, ACCESS_LIFETIME_SECONDS, 900);
            replica.awaitReady();
            URI tokens2 = replica.baseUrl();
            List<URI> instances = List.of(tokens, tokens2);

            List<Future<String>> exchanged = new ArrayList<>();
            for (int i = 0; i < GRANTS; i++) {
                URI instance = instances.get(i % 2);
                exchanged.add(workers.submit(() -> fixture.newGrant(instance, tenant, appId)));
            }
            List<String> grantIds = new ArrayList<>();
            for (Future<String> id : exchanged) {
                grantIds.add(id.get(120, TimeUnit.SECONDS));
            }
            Duration exchanging = Duration.ofNanos(System.nanoTime() - started).minus(suiteStart);

            // readers on both instances; the database is watched for whose leases there are
            AtomicBoolean running = new AtomicBoolean(true);
            ConcurrentLinkedQueue<String> badReads = new ConcurrentLinkedQueue<>();
            AtomicInteger reads = new AtomicInteger();
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                Random random = new Random(r);
                URI instance = instances.get(r % 2);
                readers.add(workers.submit(() -> {
                    while (running.get()) {
                        String id = grantIds.get(random.nextInt(grantIds.size()));
                        Instant asked = Instant.now();
                        HttpResponse<String> response = fixture.readToken(instance, tenant, id);
                        reads.incrementAndGet();
                        if (response.statusCode() != 200) {
                            badReads.add(id + ": HTTP " + response.statusCode() + " " + response.body());
                        } else if (!TokenSuiteFixture.freshWhenHandedOut(response.body(), asked)) {
                            badReads.add(id + ": less than min-remaining left when asked at " + asked + ": " + response.body());
                        }
                    }
                    return null;
                }));
            }
            Set<String> leaseOwners = ConcurrentHashMap.newKeySet();
            // until every grant has been through the cycles, both instances were seen holding leases and the readers read
            // a while: some 50 s when nothing is slow, longer on a loaded machine
            try (Connection database = fixture.tokenDatabase()) {
                await().atMost(Duration.ofSeconds(400)).pollInterval(Duration.ofSeconds(1)).pollInSameThread().until(() -> {
                    leaseOwners.addAll(TokenSuiteFixture.leaseOwners(database));
                    assertTrue(replica.process().isAlive(), "the second token-service exited");
                    return TokenSuiteFixture.lowestGeneration(database, tenant) >= 1 + CYCLES && leaseOwners.size() >= 2
                            && reads.get() > 1_000;
                });
            }
            running.set(false);
            for (Future<?> reader : readers) {
                reader.get(60, TimeUnit.SECONDS);
            }

            // token versions first, then the sandbox's counts: a refresh under way in between shows as one more upstream
            Map<String, Integer> versionByMerchant = new HashMap<>();
            String after = null;
            do {
                JsonNode page = fixture.send("GET", tokens.resolve("/v1/grants?appId=" + appId + "&limit=500"
                        + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8))), tenant, null, 200);
                for (JsonNode grant : page.get("items")) {
                    assertEquals("ACTIVE", grant.get("status").asText(), grant.toString());
                    versionByMerchant.put(grant.get("merchantId").asText(), grant.get("tokenVersion").asInt());
                }
                after = page.get("nextAfter").isNull() ? null : page.get("nextAfter").asText();
            } while (after != null);
            JsonNode perGrant = fixture.send("GET", fixture.sandbox.resolve("/sandbox/admin/stats/grants?appId=" + appId + "&limit=10000"), null, null, 200);
            JsonNode summary = fixture.refreshStats(appId);

            assertEquals(GRANTS, versionByMerchant.size());
            assertEquals(GRANTS, perGrant.size());
            int minVersion = Integer.MAX_VALUE;
            int maxVersion = 0;
            int underWay = 0;
            for (JsonNode grant : perGrant) {
                int version = versionByMerchant.get(grant.get("userId").asText());
                long upstream = grant.get("refreshes").asLong();
                assertTrue(upstream == version - 1 || upstream == version,
                        "grant of " + grant.get("userId") + ": token version " + version + ", upstream refreshes " + upstream);
                underWay += upstream == version ? 1 : 0;
                minVersion = Math.min(minVersion, version);
                maxVersion = Math.max(maxVersion, version);
            }
            Duration total = Duration.ofNanos(System.nanoTime() - started);
            System.out.printf("TokenReplicasIT: suite started in %ds, second instance started and %d grants exchanged in %ds; token versions %d..%d, %d refreshes"
                            + " under way at the end; %d reads; lease owners seen %s; sandbox %s; %ds in all%n",
                    suiteStart.toSeconds(), GRANTS, exchanging.toSeconds(), minVersion, maxVersion, underWay, reads.get(), leaseOwners, summary, total.toSeconds());
            assertTrue(badReads.isEmpty(), badReads.size() + " reads handed out no token or an expired one, e.g. " + badReads.peek());
            assertTrue(reads.get() > 1_000, "readers kept reading: " + reads.get());
            assertTrue(minVersion >= 1 + CYCLES, "every grant went through " + CYCLES + " refresh cycles: lowest version " + minVersion);
            assertEquals(0, summary.get("tokensRefreshedMoreThanOnce").asInt(), "no refresh token used twice: " + summary);
            assertEquals(1, summary.get("maxRefreshesOfOneToken").asInt(), summary.toString());
            assertEquals(2, leaseOwners.size(), "both instances claimed grants: " + leaseOwners);
        } finally {
            workers.shutdownNow();
            if (second != null && second.isAlive()) {
                second.kill(Duration.ofSeconds(10));
            }
        }
    }
}
