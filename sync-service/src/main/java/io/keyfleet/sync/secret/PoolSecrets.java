package io.keyfleet.sync.secret;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.kit.caller.Caller;
import io.keyfleet.sync.support.SyncConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Pool API secrets in key-service's secret backend ({@code /internal/v1/secrets/pools/{poolId}}), reached with this
 * service's own credential and the tenant in X-Keyfleet-Tenant. sync-service keeps only the version number.
 */
@ApplicationScoped
public class PoolSecrets {

    /** key-service refused or could not be reached; the message never contains the secret. */
    public static class PoolSecretException extends RuntimeException {
        public final int status;

        PoolSecretException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Inject
    SyncConfig config;

    @ConfigProperty(name = "keyfleet.auth.service-api-key")
    Optional<String> serviceApiKey;

    public void put(String tenantId, String poolId, int version, String secret) {
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("version", version, "secret", secret));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        send(tenantId, request(poolId, "").PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json"));
    }

    /** The secret of that version; empty when key-service has none (destroyed or never written). */
    public Optional<String> get(String tenantId, String poolId, int version) {
        try {
            String body = send(tenantId, request(poolId, "?version=" + version).GET());
            JsonNode node = JSON.readTree(body);
            return Optional.of(node.get("secret").asText());
        } catch (PoolSecretException e) {
            if (e.status == 404) {
                return Optional.empty();
            }
            throw e;
        } catch (IOException e) {
            throw new PoolSecretException(502, "key-service answered with a body that is not JSON");
        }
    }

    public void destroy(String tenantId, String poolId, int version) {
        send(tenantId, request(poolId, "?version=" + version).DELETE());
    }

    private HttpRequest.Builder request(String poolId, String query) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(config.keyServiceUrl().resolve("/internal/v1/secrets/pools/" + poolId + query))
                .timeout(Duration.ofSeconds(5));
        serviceApiKey.filter(key -> !key.isBlank()).ifPresent(key -> builder.header("Authorization", "Bearer " + key));
        return builder;
    }

    private String send(String tenantId, HttpRequest.Builder builder) {
        HttpRequest request = builder.header(Caller.TENANT_HEADER, tenantId).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new PoolSecretException(response.statusCode(), "key-service answered HTTP " + response.statusCode()
                        + " for pool secret " + request.method());
            }
            return response.body();
        } catch (IOException e) {
            throw new PoolSecretException(0, "key-service at " + config.keyServiceUrl() + " cannot be reached: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PoolSecretException(0, "interrupted");
        }
    }

}
