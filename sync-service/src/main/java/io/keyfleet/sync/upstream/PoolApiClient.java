package io.keyfleet.sync.upstream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.auth.RequestSignature;
import io.keyfleet.sync.support.SyncConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The upstream resource-pool API (provider-sandbox implements it): requests signed with the pool's API secret as
 * auth-contracts' RequestSignature describes, member id as SecretId. Every call is bounded by
 * keyfleet.sync.upstream-timeout from connect to the last byte.
 */
@ApplicationScoped
public class PoolApiClient {

    /** Where and as whom to call; toString never shows the secret. */
    public record Endpoint(URI baseUrl, String memberId, String secret) {
        @Override
        public String toString() {
            return "Endpoint[" + baseUrl + ", " + memberId + "]";
        }
    }

    public record Account(String currency, BigDecimal balance, BigDecimal creditLimit) {
    }

    public record Item(String id, String name, String zoneId, String spec, BigDecimal price, String currency) {
    }

    public record Page(int page, int totalPages, List<Item> items) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @Inject
    SyncConfig config;

    private volatile HttpClient http;

    public Account account(Endpoint endpoint) {
        JsonNode body = call(endpoint, "/pool-api/v1/account", null);
        if (!body.hasNonNull("balance") || !body.hasNonNull("currency")) {
            throw new UpstreamException(UpstreamException.Kind.MALFORMED, "The account answer has no balance or currency.");
        }
        return new Account(body.get("currency").asText(), body.get("balance").decimalValue(),
                body.hasNonNull("creditLimit") ? body.get("creditLimit").decimalValue() : BigDecimal.ZERO);
    }

    public Page page(Endpoint endpoint, String typePath, int page, int pageSize) {
        JsonNode body = call(endpoint, "/pool-api/v1/" + typePath, "page=" + page + "&pageSize=" + pageSize);
        JsonNode items = body.get("items");
        if (items == null || !items.isArray() || !body.hasNonNull("totalPages")) {
            throw new UpstreamException(UpstreamException.Kind.MALFORMED, "Page " + page + " of " + typePath + " has no items or totalPages.");
        }
        List<Item> list = new ArrayList<>(items.size());
        for (JsonNode item : items) {
            if (!item.hasNonNull("id") || !item.hasNonNull("name") || !item.hasNonNull("price")) {
                throw new UpstreamException(UpstreamException.Kind.MALFORMED, "An item on page " + page + " of " + typePath
                        + " lacks id, name or price.");
            }
            list.add(new Item(item.get("id").asText(), item.get("name").asText(), text(item, "zoneId"), text(item, "spec"),
                    item.get("price").decimalValue(), text(item, "currency")));
        }
        return new Page(page, body.get("totalPages").asInt(), list);
    }

    private JsonNode call(Endpoint endpoint, String path, String query) {
        URI base = endpoint.baseUrl();
        String basePath = base.getRawPath() == null ? "" : base.getRawPath().replaceAll("/+$", "");
        String fullPath = basePath + path;
        URI uri = base.resolve(fullPath + (query == null ? "" : "?" + query));
        Duration timeout = config.upstreamTimeout();
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        RequestSignature.headers(endpoint.memberId(), endpoint.secret(), "GET", fullPath, query, null, null).forEach(builder::header);
        CompletableFuture<HttpResponse<String>> future = client().sendAsync(builder.build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response;
        try {
            response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timedOut(base, timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HttpTimeoutException) {
                throw timedOut(base, timeout); // the client's own timer (same duration) can fire first
            }
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "Cannot reach " + base + " ("
                    + e.getCause().getClass().getSimpleName() + "); check the API base URL, DNS and firewall.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamException(UpstreamException.Kind.UNREACHABLE, "Interrupted while calling " + base + ".");
        }
        return answer(response, path);
    }

    private static UpstreamException timedOut(URI base, Duration timeout) {
        return new UpstreamException(UpstreamException.Kind.TIMEOUT, "No answer from " + base + " within " + timeout.toMillis()
                + " ms; check the API base URL and that the platform is up.");
    }

    private static JsonNode answer(HttpResponse<String> response, String path) {
        int status = response.statusCode();
        if (status == 429) {
            throw new UpstreamException(UpstreamException.Kind.RATE_LIMITED, "The platform rate-limited " + path + ".", retryAfter(response));
        }
        if (status >= 500) {
            throw new UpstreamException(UpstreamException.Kind.SERVER_ERROR, "The platform answered HTTP " + status + " for " + path + ".");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UpstreamException(UpstreamException.Kind.MALFORMED, "The platform's answer for " + path + " is not valid JSON.");
        }
        if (status == 401) {
            throw new UpstreamException(UpstreamException.Kind.AUTH_FAILED, "The platform refused the credentials ("
                    + body.path("code").asText("HTTP 401") + "): check the member id and API secret. " + body.path("message").asText(""));
        }
        if (status == 403) {
            throw new UpstreamException(UpstreamException.Kind.IP_NOT_AUTHORIZED, "The platform refused this server's address ("
                    + body.path("code").asText("HTTP 403") + "): " + body.path("message").asText("add it to the pool's authorized IPs upstream."));
        }
        if (status >= 300 || body == null || !body.isObject()) {
            throw new UpstreamException(UpstreamException.Kind.REFUSED, "The platform answered HTTP " + status + " for " + path + ": "
                    + (body == null ? "" : body.path("message").asText("")));
        }
        return body;
    }

    /** Retry-After in seconds, else X-RateLimit-Reset as Unix seconds, else one second. */
    static Duration retryAfter(HttpResponse<?> response) {
        try {
            String retryAfter = response.headers().firstValue("Retry-After").orElse(null);
            if (retryAfter != null) {
                return Duration.ofSeconds(Math.max(0, Long.parseLong(retryAfter.trim())));
            }
            String reset = response.headers().firstValue("X-RateLimit-Reset").orElse(null);
            if (reset != null) {
                Duration wait = Duration.between(Instant.now(), Instant.ofEpochSecond(Long.parseLong(reset.trim())));
                return wait.isNegative() ? Duration.ZERO : wait;
            }
        } catch (NumberFormatException e) {
            // an unreadable header: fall back to a short wait
        }
        return Duration.ofSeconds(1);
    }

    private HttpClient client() {
        HttpClient client = http;
        if (client == null) {
            client = HttpClient.newBuilder().connectTimeout(config.upstreamTimeout()).build();
            http = client;
        }
        return client;
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }
}
