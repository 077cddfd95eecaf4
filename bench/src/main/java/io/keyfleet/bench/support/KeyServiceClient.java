package io.keyfleet.bench.keygen;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

/** The calls the benchmark makes to key-service, over loopback HTTP/1.1 with keep-alive (JDK HttpClient). */
final class KeyServiceClient {

    static final String TENANT_HEADER = "X-Keyfleet-Tenant";

    /** The key pool as key-service's Prometheus endpoint shows it. */
    record Pool(double ready, double hits, double misses) {
    }

    private final HttpClient http;
    private final URI baseUrl;
    private final String tenant;
    private final String apiKey;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    KeyServiceClient(HttpClient http, URI baseUrl, String tenant, String apiKey, Duration timeout) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.tenant = tenant;
        this.apiKey = apiKey;
        this.timeout = timeout;
    }

    static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Creates the tenant; fine if it exists already (the second key-service run shares the database). */
    void createTenant(String name) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(baseUrl.resolve("/v1/tenants"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                        java.util.Map.of("id", tenant, "name", name)))));
        if (response.statusCode() != 201 && response.statusCode() != 409) {
            throw new IOException("POST /v1/tenants answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** {@code POST /v1/keys}: a new RSA-2048 key (the default algorithm) for a new app id; returns its key id. */
    UUID generate(String appId) throws IOException, InterruptedException {
        String body = "{\"provider\":\"alipay\",\"appId\":\"" + appId + "\",\"environment\":\"SANDBOX\"}";
        HttpResponse<String> response = send(HttpRequest.newBuilder(baseUrl.resolve("/v1/keys"))
                .header(TENANT_HEADER, tenant)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 201) {
            throw new IOException("POST /v1/keys answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        return UUID.fromString(json.readTree(response.body()).get("keyId").asText());
    }

    /** {@code GET /v1/keys/{id}}: the key and its versions, read from the database; no key generation. */
    void get(UUID keyId) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(baseUrl.resolve("/v1/keys/" + keyId))
                .header(TENANT_HEADER, tenant)
                .GET());
        if (response.statusCode() != 200) {
            throw new IOException("GET /v1/keys/" + keyId + " answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
    }

    /** The pool's gauge and counters from {@code /q/metrics} (zeros when the service has no pool). */
    Pool pool() throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(baseUrl.resolve("/q/metrics")).GET());
        if (response.statusCode() != 200) {
            throw new IOException("GET /q/metrics answered " + response.statusCode());
        }
        double ready = 0;
        double hits = 0;
        double misses = 0;
        for (String line : response.body().split("\n")) {
            if (line.startsWith("keyfleet_keys_pool_ready")) {
                ready = lastNumber(line);
            } else if (line.startsWith("keyfleet_keys_pool_hits_total")) {
                hits = lastNumber(line);
            } else if (line.startsWith("keyfleet_keys_pool_misses_total")) {
                misses = lastNumber(line);
            }
        }
        return new Pool(ready, hits, misses);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.timeout(timeout).header("Authorization", "Bearer " + apiKey).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double lastNumber(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1).trim());
    }

    private static String abbreviate(String body) {
        return body.length() <= 300 ? body : body.substring(0, 300) + "…";
    }
}
