package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteTest {

    @Test
    void defaultsMatchKeyfleetUp(@TempDir Path projectRoot) {
        Suite suite = Suite.builder(projectRoot).build();
        assertEquals(List.of(KeyfleetService.values()), suite.services());
        assertEquals(Optional.of(5433), suite.configuredPort("postgres"));
        assertEquals(Optional.of(9092), suite.configuredPort("kafka"));
        assertEquals(Optional.of(8081), suite.configuredPort("key-service"));
        assertEquals(Optional.of(8090), suite.configuredPort("provider-sandbox"));
        assertEquals(projectRoot.resolve(".keyfleet"), suite.dataDirectory());
        assertEquals(projectRoot.resolve(".keyfleet").resolve("logs"), suite.logDirectory());
    }

    @Test
    void servicesStartInDependencyOrderWhateverOrderTheyAreChosenIn(@TempDir Path projectRoot) {
        Suite suite = Suite.builder(projectRoot)
                .services(KeyfleetService.SIGNING_SERVICE, KeyfleetService.KEY_SERVICE)
                .build();
        assertEquals(List.of(KeyfleetService.KEY_SERVICE, KeyfleetService.SIGNING_SERVICE), suite.services());
        assertEquals(Optional.empty(), suite.configuredPort("token-service"));
    }

    @Test
    void anyFreePortsLeavesEveryPortToBeChosenAtStart(@TempDir Path projectRoot) {
        Suite suite = Suite.builder(projectRoot).anyFreePorts().build();
        for (String component : List.of("postgres", "kafka", "key-service", "sync-service")) {
            assertEquals(Optional.of(0), suite.configuredPort(component));
        }
    }

    @Test
    void twoComponentsCannotShareAPort(@TempDir Path projectRoot) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Suite.builder(projectRoot).port(KeyfleetService.SIGNING_SERVICE, 8081).build());
        assertEquals("port 8081 is configured for both key-service and signing-service", e.getMessage());
    }

    @Test
    void aServiceThatIsNotBuiltStopsTheStartBeforeAnythingRuns(@TempDir Path projectRoot) {
        SuiteStartException e = assertThrows(SuiteStartException.class, () -> Suite.builder(projectRoot)
                .services(KeyfleetService.KEY_SERVICE)
                .anyFreePorts()
                .build()
                .start());
        assertEquals("not built: key-service/target/quarkus-app/quarkus-run.jar missing; run ./mvnw -B -q -DskipTests"
                + " install in " + projectRoot.toAbsolutePath().normalize(), e.reason());
        assertTrue(e.logExcerpt().isEmpty());
    }

    @Test
    void invalidSettingsAreRejected(@TempDir Path projectRoot) {
        Suite.Builder builder = Suite.builder(projectRoot);
        assertThrows(IllegalArgumentException.class, () -> builder.postgresPort(70000));
        assertThrows(IllegalArgumentException.class, () -> builder.services(List.of()));
        assertThrows(IllegalArgumentException.class, () -> builder.readinessTimeout(java.time.Duration.ZERO));
    }
}
