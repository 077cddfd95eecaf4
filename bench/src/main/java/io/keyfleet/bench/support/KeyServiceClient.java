package io.keyfleet.bench.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The calls benchmarks make to key-service, over loopback HTTP/1.1 with keep-alive (JDK HttpClient), with the given API key
 * and acting for the given tenant where a call is per tenant.
 */
public final class KeyServiceClient {

    public static final String TENANT_HEADER = "X-Keyfleet-Tenant";

    /** The key pool as key-service's Prometheus endpoint shows it. */
    public record Pool(double ready, double hits, double misses) {
    }

    private final HttpClient http;
    private final URI baseUrl;
    private final String tenant;
    private final String apiKey;
    private final Duration timeout;
    private final ObjectMapper json = new ObjectMapper();

    private static final Pattern VERIFICATION_CODE = Pattern.compile("\"code\"\\s*:\\s*\"([A-Z_]+)\"");
    private static final Pattern RESULT_STATUS = Pattern.compile("\"resultStatus\"\\s*:\\s*\"([A-Z]+)\"");

    public KeyServiceClient(HttpClient http, URI baseUrl, String tenant, String apiKey, Duration timeout) {
        this.http = http;
        this.baseUrl = baseUrl;
        this.tenant = tenant;
        this.apiKey = apiKey;
        this.timeout = timeout;
    }

    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Creates the tenant; fine if it exists already (the second key-service run shares the database). */
    public void createTenant(String name) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(baseUrl.resolve("/v1/tenants"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(
                        java.util.Map.of("id", tenant, "name", name)))));
        if (response.statusCode() != 201 && response.statusCode() != 409) {
            throw new IOException("POST /v1/tenants answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** {@code POST /v1/keys}: a new RSA-2048 key (the default algorithm) for a new app id; returns its key id. */
    public UUID generate(String appId) throws IOException, InterruptedException {
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
    public void get(UUID keyId) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(baseUrl.resolve("/v1/keys/" + keyId))
                .header(TENANT_HEADER, tenant)
                .GET());
        if (response.statusCode() != 200) {
            throw new IOException("GET /v1/keys/" + keyId + " answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
    }

    /** The pool's gauge and counters from {@code /q/metrics} (zeros when the service has no pool). */
    public Pool pool() throws IOException, InterruptedException {
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

    /** Waits until the pool holds {@code poolSize} pairs (at most {@code limit}); returns its figures then. */
    public Pool awaitPoolFull(int poolSize, Duration limit) throws IOException, InterruptedException {
        if (poolSize == 0) {
            return pool();
        }
        Pool[] last = {null};
        boolean full = Joins.until(() -> {
            try {
                last[0] = pool();
                return last[0].ready() >= poolSize;
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, limit, Duration.ofMillis(50));
        if (!full) {
            throw new IllegalStateException("the key pool did not refill to " + poolSize + " within " + limit.toSeconds()
                    + " s (last seen: " + last[0] + ")");
        }
        return last[0];
    }

    /** A credential just made: its id and the secret shown once (apiKey, or secretId and secretKey). */
    public record IssuedCredential(UUID credentialId, String apiKey, String secretId, String secretKey) {
    }

    /** {@code POST /v1/credentials} for the tenant: kind API_KEY or SECRET_PAIR with these scopes. */
    public IssuedCredential createCredential(String kind, List<String> scopes) throws IOException, InterruptedException {
        String body = json.writeValueAsString(Map.of("kind", kind, "scopes", scopes, "remark", "bench"));
        HttpResponse<String> response = send(HttpRequest.newBuilder(baseUrl.resolve("/v1/credentials"))
                .header(TENANT_HEADER, tenant)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 201) {
            throw new IOException("POST /v1/credentials answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        JsonNode issued = json.readTree(response.body());
        return new IssuedCredential(UUID.fromString(issued.path("credential").path("credentialId").asText()),
                textOrNull(issued, "apiKey"), textOrNull(issued, "secretId"), textOrNull(issued, "secretKey"));
    }

    /** {@code GET /v1/credentials/whoami}: authenticated, and does nothing else (the "empty endpoint"). */
    public void whoAmI() throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(baseUrl.resolve("/v1/credentials/whoami")).GET());
        if (response.statusCode() != 200) {
            throw new IOException("GET /v1/credentials/whoami answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
    }

    /**
     * {@code POST /v1/credentials/verify} with a prepared JSON body; returns the verification's code (VALID, NOT_FOUND,
     * …), read without parsing the whole answer.
     */
    public String verify(byte[] body) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(baseUrl.resolve("/v1/credentials/verify"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        if (response.statusCode() != 200) {
            throw new IOException("POST /v1/credentials/verify answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        Matcher code = VERIFICATION_CODE.matcher(response.body());
        return code.find() ? code.group(1) : "?";
    }

    /** {@code POST /ams/api/v1/customer/applyPublicKey} with an empty object; returns the answer's resultStatus (S, F, U). */
    public String applyPublicKey() throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(baseUrl.resolve("/ams/api/v1/customer/applyPublicKey"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        if (response.statusCode() != 200) {
            throw new IOException("applyPublicKey answered " + response.statusCode() + ": " + abbreviate(response.body()));
        }
        Matcher status = RESULT_STATUS.matcher(response.body());
        return status.find() ? status.group(1) : "?";
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
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
