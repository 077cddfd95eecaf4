package io.keyfleet.launcher;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The runnable services of the suite, in start order: the sandbox first (token-service talks to it), then the services
 * in the order they depend on each other. Each is a Maven module of the same name with its own database.
 */
public enum KeyfleetService {

    PROVIDER_SANDBOX("provider-sandbox", 8090, "provider_sandbox"),
    KEY_SERVICE("key-service", 8081, "key_service"),
    SIGNING_SERVICE("signing-service", 8082, "signing_service"),
    TOKEN_SERVICE("token-service", 8083, "token_service"),
    SYNC_SERVICE("sync-service", 8084, "sync_service");

    private final String moduleName;
    private final int defaultPort;
    private final String databaseName;

    KeyfleetService(String moduleName, int defaultPort, String databaseName) {
        this.moduleName = moduleName;
        this.defaultPort = defaultPort;
        this.databaseName = databaseName;
    }

    /** The Maven module and the name used on the command line, in logs and in the run file: {@code key-service}. */
    public String moduleName() {
        return moduleName;
    }

    public int defaultPort() {
        return defaultPort;
    }

    public String databaseName() {
        return databaseName;
    }

    /** {@code <projectRoot>/<module>/target/quarkus-app/quarkus-run.jar}, produced by {@code mvn package}. */
    public Path runnableJar(Path projectRoot) {
        return projectRoot.resolve(moduleName).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    public static Optional<KeyfleetService> byModuleName(String name) {
        return Arrays.stream(values()).filter(service -> service.moduleName.equals(name)).findFirst();
    }

    /** {@code provider-sandbox, key-service, ...} for messages that list the valid names. */
    public static String allModuleNames() {
        return Arrays.stream(values()).map(KeyfleetService::moduleName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return moduleName;
    }
}
