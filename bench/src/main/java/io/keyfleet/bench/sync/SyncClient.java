package io.keyfleet.bench.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** The calls the benchmark makes: provider-sandbox's admin API (accounts, changes) and sync-service's pools and jobs. */
final class SyncClient {

    /** One item of a finished job: what sync-service counted. */
    record ItemCounts(String item, String status, int seen, int created, int updated, int removed) {
    }

    record Job(String status, String reason, double serverSeconds, Map<String, ItemCounts> items) {
        long seen() {
            return items.values().stream().mapToLong(ItemCounts::seen).sum();
        }

        long written() {
            return items.values().stream().mapToLong(item -> item.created() + item.updated() + item.removed()).sum();
        }
    }

    static final class Refused extends IOException {
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Status polls answered with a 5xx, retried: reported, as they say the machine was overloaded. */
    int failedPolls;

    private final HttpClient http;
    private final URI sandbox;
    private final URI syncService;
    private final String tenant;
    private final String apiKey;
    private final Duration timeout;

    SyncClient(HttpClient http, URI sandbox, URI syncService, String tenant, String apiKey, Duration timeout) {
        this.http = http;
        this.sandbox = sandbox;
        this.syncService = syncService;
        this.tenant = tenant;
        this.apiKey = apiKey;
        this.timeout = timeout;
    }

    /** An upstream account with a generated catalog of {@code catalogSize} items. */
    void upstreamAccount(String memberId, String secret, int catalogSize) throws IOException, InterruptedException {
        send("PUT", sandbox.resolve("/sandbox/admin/pools/" + memberId), false, Map.of("apiSecret", secret,
                "authorizedIps", java.util.List.of("127.0.0.1"), "currency", "USD", "catalogSize", catalogSize, "seed", 7), 200);
    }

    void upstreamChange(String memberId, String type, int added, int changed, int removed) throws IOException, InterruptedException {
        send("POST", sandbox.resolve("/sandbox/admin/pools/" + memberId + "/changes"), false, Map.of("type", type, "added", added,
                "changed", changed, "removed", removed), 200);
    }

    /** A pool in sync-service for that upstream account (its secret goes to key-service); returns its id. */
    UUID createPool(String memberId, String secret) throws IOException, InterruptedException {
        JsonNode created = send("POST", syncService.resolve("/v1/pools"), true, Map.of("providerName", "Sandbox " + memberId,
                "type", "cloud", "memberId", memberId, "apiBaseUrl", sandbox.toString(), "apiSecret", secret,
                "authorizedIps", java.util.List.of("127.0.0.1"), "exchangeRate", "7.2", "priceProtection", true), 201);
        String health = created.at("/pool/health").asText();
        if (!health.equals("HEALTHY")) {
            throw new IllegalStateException("the pool's connectivity check answered " + health + ": " + created);
        }
        return UUID.fromString(created.at("/pool/id").asText());
    }

    /** "Sync all", polled every 50 ms until the job ends. */
    Job syncAll(UUID poolId, Duration jobTimeout) throws IOException, InterruptedException {
        String jobId = send("POST", syncService.resolve("/v1/pools/" + poolId + "/sync-jobs"), true, Map.of(), 202).get("id").asText();
        long deadline = System.nanoTime() + jobTimeout.toNanos();
        String last = "";
        while (true) {
            try {
                JsonNode job = send("GET", syncService.resolve("/v1/pools/" + poolId + "/sync-jobs/" + jobId), true, null, 200);
                String status = job.get("status").asText();
                if (!status.equals("QUEUED") && !status.equals("RUNNING")) {
                    return job(job);
                }
                last = job.toString();
            } catch (Refused e) {
                // on a loaded machine sync-service's check of the caller's key with key-service can time out (503): poll again
                if (e.status < 500) {
                    throw e;
                }
                failedPolls++;
                last = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("sync job " + jobId + " did not end within " + jobTimeout.toSeconds() + " s: " + last);
            }
            Thread.sleep(50);
        }
    }

    private static Job job(JsonNode job) {
        Map<String, ItemCounts> items = new java.util.LinkedHashMap<>();
        for (JsonNode item : job.get("items")) {
            items.put(item.get("item").asText(), new ItemCounts(item.get("item").asText(), item.get("status").asText(),
                    item.get("seen").asInt(), item.get("created").asInt(), item.get("updated").asInt(), item.get("removed").asInt()));
        }
        double serverSeconds = Double.NaN;
        if (job.hasNonNull("startedAt") && job.hasNonNull("finishedAt")) {
            serverSeconds = Duration.between(java.time.Instant.parse(job.get("startedAt").asText()),
                    java.time.Instant.parse(job.get("finishedAt").asText())).toNanos() / 1e9;
        }
        return new Job(job.get("status").asText(), job.path("reason").asText(null), serverSeconds, items);
    }

    private JsonNode send(String method, URI uri, boolean toSyncService, Object body, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .header("Content-Type", "application/json");
        if (toSyncService) {
            request.header("Authorization", "Bearer " + apiKey).header("X-Keyfleet-Tenant", tenant);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new Refused(response.statusCode(), method + " " + uri.getPath() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body().isBlank() ? JSON.nullNode() : JSON.readTree(response.body());
    }
}
