package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.localstack.KafkaBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing keeps working through key rotations while the broker is killed and started again: a client signs back to
 * back the whole time, no request fails, and every version key-service made — the one rotated while the broker was
 * gone included — reaches signing-service and signs.
 */
@ExtendWith(SuiteLogSecrets.class)
class RotationThroughBrokerRestartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration VERSION_ARRIVES = Duration.ofSeconds(120);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private String admin;

    @Test
    void everyVersionReachesSigningServiceAndNoSignFails(@TempDir Path dataDirectory) throws Exception {
        Suite definition = Suite.builder(ProjectLayout.locate().root())
                .services(KeyfleetService.KEY_SERVICE, KeyfleetService.SIGNING_SERVICE)
                .anyFreePorts()
                .dataDirectory(dataDirectory)
                .readinessTimeout(Duration.ofSeconds(300))
                .build();
        try (RunningSuite suite = SuiteLogSecrets.watch(definition, definition.start())) {
            admin = definition.adminApiKey().orElseThrow();
            URI keys = suite.baseUrl(KeyfleetService.KEY_SERVICE);
            URI sign = suite.baseUrl(KeyfleetService.SIGNING_SERVICE).resolve("/v1/sign");
            String tenant = "restart-" + UUID.randomUUID().toString().substring(0, 8);
            String appId = "2021000000000077";
            send("POST", keys.resolve("/v1/tenants"), null, "{\"id\":\"" + tenant + "\",\"name\":\"Broker restart\"}", 201);
            String keyId = send("POST", keys.resolve("/v1/keys"), tenant,
                    "{\"provider\":\"alipay\",\"appId\":\"" + appId + "\",\"environment\":\"SANDBOX\"}", 201).get("keyId").asText();
            String signBody = "{\"key\":{\"provider\":\"alipay\",\"appId\":\"" + appId + "\",\"environment\":\"SANDBOX\"},"
                    + "\"scheme\":\"alipay-rsa2\",\"request\":{\"params\":{\"app_id\":\"" + appId + "\",\"method\":\"alipay.trade.query\","
                    + "\"charset\":\"utf-8\",\"sign_type\":\"RSA2\",\"timestamp\":\"2026-12-04 12:00:00\",\"version\":\"1.0\"}}}";
            await().atMost(VERSION_ARRIVES).pollInterval(Duration.ofMillis(250)).alias("signing-service signs with version 1")
                    .until(() -> signedVersion(sign, tenant, signBody) == 1);

            Set<Integer> versionsSeen = new ConcurrentSkipListSet<>();
            List<String> failures = new CopyOnWriteArrayList<>();
            AtomicLong latest = new AtomicLong(1);
            AtomicInteger signs = new AtomicInteger();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread client = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = post(sign, tenant, signBody);
                        signs.incrementAndGet();
                        if (response.statusCode() != 200) {
                            failures.add(response.statusCode() + " " + response.body());
                            continue;
                        }
                        int version = JSON.readTree(response.body()).get("keyVersion").asInt();
                        versionsSeen.add(version);
                        latest.set(version);
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }, "signing-client");
            client.start();
            try {
                rotateAndAwait(keys, tenant, keyId, 2, latest);

                // the broker is killed: the next rotation waits in key-service's outbox, signing goes on with version 2
                KafkaBroker broker = suite.kafkaBroker();
                long pid = broker.pid().orElseThrow();
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                await().atMost(Duration.ofSeconds(30)).alias("the broker is gone").until(() -> !broker.isRunning());
                send("POST", keys.resolve("/v1/keys/" + keyId + "/rotate"), tenant, "", 200);
                int before = signs.get();
                await().atMost(Duration.ofSeconds(60)).until(() -> signs.get() >= before + 20);
                broker.start();
                await().atMost(VERSION_ARRIVES).pollInterval(Duration.ofMillis(100))
                        .alias("version 3, made while the broker was down, reaches signing-service").until(() -> latest.get() == 3);

                rotateAndAwait(keys, tenant, keyId, 4, latest);
            } finally {
                running.set(false);
                client.join(30_000);
            }
            assertEquals(List.of(), failures, "failed signs");
            assertEquals(Set.of(1, 2, 3, 4), versionsSeen, "versions that signed");
            assertTrue(signs.get() > 50, "the client signed throughout: " + signs.get());
        }
    }

    private void rotateAndAwait(URI keys, String tenant, String keyId, int version, AtomicLong latest) throws Exception {
        assertEquals(version, send("POST", keys.resolve("/v1/keys/" + keyId + "/rotate"), tenant, "", 200).get("version").asInt());
        await().atMost(VERSION_ARRIVES).pollInterval(Duration.ofMillis(100)).alias("version " + version + " signs")
                .until(() -> latest.get() == version);
    }

    private int signedVersion(URI sign, String tenant, String body) throws Exception {
        HttpResponse<String> response = post(sign, tenant, body);
        return response.statusCode() == 200 ? JSON.readTree(response.body()).get("keyVersion").asInt() : -1;
    }

    private HttpResponse<String> post(URI uri, String tenant, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + admin).header("X-Keyfleet-Tenant", tenant)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode send(String method, URI uri, String tenant, String body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + admin).method(method, HttpRequest.BodyPublishers.ofString(body));
        if (tenant != null) {
            request.header("X-Keyfleet-Tenant", tenant);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        SuiteLogSecrets.harvest(response.body());
        assertEquals(expected, response.statusCode(), uri + " answered " + response.body());
        return JSON.readTree(response.body());
    }
}
