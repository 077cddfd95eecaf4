package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton end to end, over real processes, real HTTP, a real broker and real PostgreSQL: a key made and
 * rotated in key-service reaches signing-service's key-version table through the outbox, Kafka and the inbox.
 */
@ExtendWith(SuiteLogSecrets.class)
class KeyEventJourneyIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String adminApiKey;

    @Test
    void aRotatedKeyTravelsFromKeyServiceToSigningService(@TempDir Path dataDirectory) throws Exception {
        Suite definition = Suite.builder(ProjectLayout.locate().root())
                .services(KeyfleetService.KEY_SERVICE, KeyfleetService.SIGNING_SERVICE)
                .anyFreePorts()
                .dataDirectory(dataDirectory)
                .readinessTimeout(Duration.ofSeconds(300))
                .build();
        try (RunningSuite suite = SuiteLogSecrets.watch(definition, definition.start())) {
            adminApiKey = definition.adminApiKey().orElseThrow();
            URI keys = suite.baseUrl(KeyfleetService.KEY_SERVICE);
            URI signing = suite.baseUrl(KeyfleetService.SIGNING_SERVICE);
            String tenant = "journey-" + UUID.randomUUID().toString().substring(0, 8);

            send(keys.resolve("/v1/tenants"), null, "{\"id\":\"" + tenant + "\",\"name\":\"Journey\"}", 201);
            JsonNode created = send(keys.resolve("/v1/keys"), tenant,
                    "{\"provider\":\"alipay\",\"appId\":\"2021000000000001\",\"environment\":\"SANDBOX\"}", 201);
            String keyId = created.get("keyId").asText();
            JsonNode rotated = send(keys.resolve("/v1/keys/" + keyId + "/rotate"), tenant, "", 200);

            URI versions = signing.resolve("/v1/keys/" + keyId + "/versions");
            AtomicReference<JsonNode> seen = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(versions).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + adminApiKey).header("X-Keyfleet-Tenant", tenant).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                seen.set(response.statusCode() == 200 ? JSON.readTree(response.body()) : null);
                JsonNode versionsKnown = seen.get();
                assertTrue(versionsKnown != null && versionsKnown.size() == 2 && "CURRENT".equals(versionsKnown.get(1).get("state").asText()),
                        "signing-service knows both versions: " + response.statusCode() + " " + response.body());
            });
            JsonNode known = seen.get();
            assertEquals("PREVIOUS", known.get(0).get("state").asText());
            assertEquals(created.get("fingerprint").asText(), known.get(0).get("fingerprint").asText());
            assertEquals("CURRENT", known.get(1).get("state").asText());
            assertEquals(rotated.get("fingerprint").asText(), known.get(1).get("fingerprint").asText());
        }
    }

    private JsonNode send(URI uri, String tenant, String body, int expectedStatus) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + adminApiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (tenant != null) {
            request.header("X-Keyfleet-Tenant", tenant);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        SuiteLogSecrets.harvest(response.body());
        assertEquals(expectedStatus, response.statusCode(), uri + " answered " + response.body());
        return JSON.readTree(response.body());
    }
}
