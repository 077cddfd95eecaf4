package io.keyfleet.cli;

import io.keyfleet.launcher.KeyfleetService;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where things are in a Keyfleet checkout, and in its {@code .keyfleet/} state directory. */
final class ProjectLayout {

    /** Set by the {@code ./keyfleet} script; without it the root is searched upwards from the working directory. */
    static final String ROOT_PROPERTY = "keyfleet.projectRoot";

    private final Path root;

    ProjectLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * The checkout this runs in: the {@code keyfleet.projectRoot} system property if set, otherwise the nearest
     * directory at or above the working directory that holds {@code mvnw}, {@code pom.xml} and {@code cli/}.
     */
    static ProjectLayout locate() {
        String configured = System.getProperty(ROOT_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return new ProjectLayout(Path.of(configured));
        }
        Path start = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        return findRootAtOrAbove(start).map(ProjectLayout::new).orElseThrow(() -> new IllegalStateException(
                "cannot find the Keyfleet checkout (a directory with mvnw, pom.xml and cli/) at or above " + start));
    }

    static Optional<Path> findRootAtOrAbove(Path start) {
        for (Path directory = start; directory != null; directory = directory.getParent()) {
            if (Files.isRegularFile(directory.resolve("mvnw")) && Files.isRegularFile(directory.resolve("pom.xml"))
                    && Files.isDirectory(directory.resolve("cli"))) {
                return Optional.of(directory);
            }
        }
        return Optional.empty();
    }

    Path root() {
        return root;
    }

    /** {@code .keyfleet/}: the databases, the broker's data, the logs and the run file. Ignored by git. */
    Path stateDirectory() {
        return root.resolve(".keyfleet");
    }

    Path runFile() {
        return stateDirectory().resolve("run.json");
    }

    /** Held (as an operating-system file lock) by the running {@code ./keyfleet up}. */
    Path supervisorLock() {
        return stateDirectory().resolve("supervisor.lock");
    }

    Path serviceLog(KeyfleetService service) {
        return stateDirectory().resolve("logs").resolve(service.moduleName() + ".log");
    }

    /** The server log local-stack writes into PostgreSQL's data directory. */
    Path postgresLog() {
        return stateDirectory().resolve(Suite.POSTGRES).resolve("postgres.log");
    }

    /** The broker log local-stack writes into Kafka's data directory. */
    Path kafkaLog() {
        return stateDirectory().resolve(Suite.KAFKA).resolve("broker.log");
    }

    /** The log file of a component: a service, {@code postgres} or {@code kafka}. */
    Optional<Path> logOf(String component) {
        if (Suite.POSTGRES.equals(component)) {
            return Optional.of(postgresLog());
        }
        if (Suite.KAFKA.equals(component)) {
            return Optional.of(kafkaLog());
        }
        return KeyfleetService.byModuleName(component).map(this::serviceLog);
    }
}
