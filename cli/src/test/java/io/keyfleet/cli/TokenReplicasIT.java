package io.keyfleet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The check, over real processes: two token-service instances (the suite's and a second process) share one
 * database and refresh 1,000 grants with 30-second access tokens against the sandbox, signed through signing-service,
 * through three refresh cycles while readers ask both instances for tokens. The sandbox counts every use of every
 * refresh token: exactly one refresh per grant per cycle, and its count per grant matches token-service's token
 * version; no read ever returns a token past its expiry; both instances took grants.
 */
class TokenReplicasIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int GRANTS = 1_000;
    private static final int ACCESS_LIFETIME_SECONDS = 30;
    private static final int CYCLES = 3;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String adminApiKey;

    @Test
    void twoInstancesKeepAThousandGrantsAliveWithOneUpstreamRefreshPerGrantPerCycle(
            @TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dataDirectory) throws Exception {
        long started = System.nanoTime();
        Path root = ProjectLayout.locate().root();
        Suite definition = Suite.builder(root)
                .services(KeyfleetService.PROVIDER_SANDBOX, KeyfleetService.KEY_SERVICE, KeyfleetService.SIGNING_SERVICE,
                        KeyfleetService.TOKEN_SERVICE)
                .anyFreePorts()
                .dataDirectory(dataDirectory)
                .readinessTimeout(Duration.ofSeconds(240))
                .build();
        Process second = null;
        ExecutorService workers = Executors.newFixedThreadPool(8);
        try (RunningSuite suite = definition.start()) {
            adminApiKey = definition.adminApiKey().orElseThrow();
            Duration suiteStart = Duration.ofNanos(System.nanoTime() - started);
            URI keys = suite.baseUrl(KeyfleetService.KEY_SERVICE);
            URI sandbox = suite.baseUrl(KeyfleetService.PROVIDER_SANDBOX);
            URI tokens = suite.baseUrl(KeyfleetService.TOKEN_SERVICE);
            SecondReplica replica = SecondReplica.start(root, suite, adminApiKey, dataDirectory.resolve("token-service-2.log"), Map.of());
            second = replica.process();

            String tenant = "replicas-" + UUID.randomUUID().toString().substring(0, 8);
            String appId = "20210000" + (10_000_000 + new Random().nextInt(89_999_999));
            send("POST", keys.resolve("/v1/tenants"), null, "{\"id\":\"" + tenant + "\",\"name\":\"Replicas\"}", 201);
            JsonNode key = send("POST", keys.resolve("/v1/keys"), tenant,
                    "{\"provider\":\"alipay\",\"appId\":\"" + appId + "\",\"environment\":\"SANDBOX\"}", 201);
            String platformKey = send("GET", sandbox.resolve("/sandbox/admin/platform-key"), null, null, 200).get("alipayPublicKey").asText();
            send("PUT", keys.resolve("/v1/provider-keys"), tenant,
                    "{\"provider\":\"alipay\",\"environment\":\"SANDBOX\",\"publicKey\":\"" + platformKey + "\"}", 200);
            send("PUT", sandbox.resolve("/sandbox/admin/apps/" + appId), null, "{\"publicKey\":\"" + key.get("publicKeyBase64").asText()
                    + "\",\"accessTokenLifetimeSeconds\":" + ACCESS_LIFETIME_SECONDS + ",\"refreshTokenLifetimeSeconds\":900}", 200);
            replica.awaitReady(http);
            URI tokens2 = replica.baseUrl();
            List<URI> instances = List.of(tokens, tokens2);

            List<Future<String>> exchanged = new ArrayList<>();
            for (int i = 0; i < GRANTS; i++) {
                URI instance = instances.get(i % 2);
                exchanged.add(workers.submit(() -> {
                    String code = send("POST", sandbox.resolve("/sandbox/consents"), null, "{\"appId\":\"" + appId + "\"}", 201)
                            .get("appAuthCode").asText();
                    return send("POST", instance.resolve("/v1/grants/exchange"), tenant, "{\"provider\":\"alipay\",\"appId\":\""
                            + appId + "\",\"environment\":\"SANDBOX\",\"code\":\"" + code + "\"}", 201).get("id").asText();
                }));
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
                        HttpResponse<String> response = call("GET", instance.resolve("/v1/grants/" + id + "/token"), tenant, null);
                        Instant received = Instant.now();
                        reads.incrementAndGet();
                        if (response.statusCode() != 200) {
                            badReads.add(id + ": HTTP " + response.statusCode() + " " + response.body());
                        } else if (!Instant.parse(JSON.readTree(response.body()).get("expiresAt").asText()).isAfter(received)) {
                            badReads.add(id + ": expired token at " + received + ": " + response.body());
                        }
                    }
                    return null;
                }));
            }
            Set<String> leaseOwners = ConcurrentHashMap.newKeySet();
            Instant until = Instant.now().plusSeconds(CYCLES * ACCESS_LIFETIME_SECONDS / 2 + 10);
            try (Connection database = DriverManager.getConnection(suite.jdbcUrl(KeyfleetService.TOKEN_SERVICE),
                    suite.databaseUser(), suite.databasePassword()); Statement query = database.createStatement()) {
                while (Instant.now().isBefore(until)) {
                    try (ResultSet owners = query.executeQuery("select distinct lease_owner from token_grant where lease_owner is not null")) {
                        while (owners.next()) {
                            leaseOwners.add(owners.getString(1));
                        }
                    }
                    assertTrue(second.isAlive(), "the second token-service exited");
                    Thread.sleep(1_000);
                }
            }
            running.set(false);
            for (Future<?> reader : readers) {
                reader.get(60, TimeUnit.SECONDS);
            }

            // token versions first, then the sandbox's counts: a refresh under way in between shows as one more upstream
            Map<String, Integer> versionByMerchant = new HashMap<>();
            String after = null;
            do {
                JsonNode page = send("GET", tokens.resolve("/v1/grants?appId=" + appId + "&limit=500"
                        + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8))), tenant, null, 200);
                for (JsonNode grant : page.get("items")) {
                    assertEquals("ACTIVE", grant.get("status").asText(), grant.toString());
                    versionByMerchant.put(grant.get("merchantId").asText(), grant.get("tokenVersion").asInt());
                }
                after = page.get("nextAfter").isNull() ? null : page.get("nextAfter").asText();
            } while (after != null);
            JsonNode perGrant = send("GET", sandbox.resolve("/sandbox/admin/stats/grants?appId=" + appId + "&limit=10000"), null, null, 200);
            JsonNode summary = send("GET", sandbox.resolve("/sandbox/admin/stats/refreshes?appId=" + appId), null, null, 200);

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
                second.destroyForcibly();
            }
        }
    }

    private HttpResponse<String> call(String method, URI uri, String tenant, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + adminApiKey)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (tenant != null) {
            request.header("X-Keyfleet-Tenant", tenant);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode send(String method, URI uri, String tenant, String body, int expectedStatus) throws Exception {
        HttpResponse<String> response = call(method, uri, tenant, body);
        assertEquals(expectedStatus, response.statusCode(), method + " " + uri + " answered " + response.body());
        return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
    }

    /** A second token-service process over the suite's database, sharing its token encryption key; logs to a file. */
    record SecondReplica(Process process, URI baseUrl) {

        static SecondReplica start(Path root, RunningSuite suite, String serviceApiKey, Path log, Map<String, String> extraEnvironment)
                throws Exception {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-jar", KeyfleetService.TOKEN_SERVICE.runnableJar(root).toString())
                    .directory(root.resolve("token-service").toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Map<String, String> environment = builder.environment();
            environment.put("QUARKUS_HTTP_PORT", String.valueOf(port));
            environment.put("KEYFLEET_DB_URL", suite.jdbcUrl(KeyfleetService.TOKEN_SERVICE));
            environment.put("KEYFLEET_DB_USER", suite.databaseUser());
            environment.put("KEYFLEET_DB_PASSWORD", suite.databasePassword());
            environment.put("KAFKA_BOOTSTRAP_SERVERS", suite.kafkaBootstrapServers());
            environment.put("KEYFLEET_KEY_SERVICE_URL", suite.baseUrl(KeyfleetService.KEY_SERVICE).toString());
            environment.put("KEYFLEET_SIGNING_URL", suite.baseUrl(KeyfleetService.SIGNING_SERVICE).toString());
            environment.put("KEYFLEET_GATEWAY_URL", suite.baseUrl(KeyfleetService.PROVIDER_SANDBOX).toString());
            // the suite's service keys are its own business: the admin credential stands in for this replica's
            environment.put("KEYFLEET_SERVICE_API_KEY", serviceApiKey);
            // replicas must share the key their stored tokens are encrypted with: the one ./keyfleet up keeps for the suite
            environment.put("KEYFLEET_TOKENS_KEY_FILE", log.resolveSibling("secrets").resolve("token-encryption.key").toString());
            environment.putAll(extraEnvironment);
            return new SecondReplica(builder.start(), URI.create("http://localhost:" + port));
        }

        void awaitReady(HttpClient http) throws Exception {
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (System.nanoTime() < deadline) {
                assertTrue(process.isAlive(), "the second token-service exited");
                try {
                    if (http.send(HttpRequest.newBuilder(baseUrl.resolve("/q/health/ready")).GET().build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (java.io.IOException e) {
                    // not listening yet
                }
                Thread.sleep(500);
            }
            throw new AssertionError("the second token-service did not get ready");
        }
    }
}
