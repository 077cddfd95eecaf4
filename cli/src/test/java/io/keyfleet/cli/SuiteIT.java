package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;

import io.keyfleet.localstack.LocalPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starts the whole suite the way {@code ./keyfleet up} does, but on free ports in a temporary directory. Needs the
 * services' {@code target/quarkus-app/quarkus-run.jar}: the reactor builds them before this module.
 */
@ExtendWith(SuiteLogSecrets.class)
class SuiteIT {

    private static final Pattern STATUS_UP = Pattern.compile("\"status\"\\s*:\\s*\"UP\"");
    private static final List<String> ALL_COMPONENTS = List.of("postgres", "kafka", "provider-sandbox", "key-service",
            "signing-service", "token-service", "sync-service");

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    @Test
    void startsEveryServiceReadyAndStopsWithoutLeavingAProcessOrAPortBehind(@TempDir Path dataDirectory)
            throws Exception {
        Path projectRoot = ProjectLayout.locate().root();
        Map<String, Long> processIds;
        Map<String, Integer> ports;

        Suite definition = Suite.builder(projectRoot)
                .anyFreePorts()
                .dataDirectory(dataDirectory)
                .readinessTimeout(Duration.ofSeconds(300))
                .build();
        RunningSuite suite = SuiteLogSecrets.watch(definition, definition.start());
        try {
            processIds = suite.processIds();
            ports = suite.ports();
            assertEquals(ALL_COMPONENTS, List.copyOf(processIds.keySet()), "a process for every component");
            assertEquals(ALL_COMPONENTS, List.copyOf(ports.keySet()));
            assertFalse(ports.containsValue(Suite.DEFAULT_POSTGRES_PORT) || ports.containsValue(8081),
                    "free ports, not the defaults: " + ports);

            for (KeyfleetService service : suite.services()) {
                HttpResponse<String> readiness = get(suite.baseUrl(service).resolve("/q/health/ready"));
                assertEquals(200, readiness.statusCode(), service + " readiness: " + readiness.body());
                assertTrue(STATUS_UP.matcher(readiness.body()).find(), service + " readiness: " + readiness.body());

                HttpResponse<String> swaggerUi = get(suite.swaggerUiUrl(service));
                assertEquals(200, swaggerUi.statusCode(), service + " Swagger UI at " + suite.swaggerUiUrl(service));
            }
            assertEquals("jdbc:postgresql://localhost:" + suite.postgresPort() + "/key_service",
                    suite.jdbcUrl(KeyfleetService.KEY_SERVICE));
            assertEquals("127.0.0.1:" + suite.kafkaPort(), suite.kafkaBootstrapServers());
        } finally {
            suite.stop();
        }

        processIds.forEach((component, pid) -> assertFalse(
                ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                component + " (pid " + pid + ") is still alive after stop()"));
        ports.forEach((component, port) -> assertTrue(LocalPorts.isFree(port),
                "port " + port + " of " + component + " is still in use after stop()"));
        assertTrue(suite.componentsNotRunning().isEmpty(), "nothing reported as crashed once stopped");
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
