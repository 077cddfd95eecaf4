package io.keyfleet.bench.support;

import io.keyfleet.launcher.KeyfleetService;
import io.keyfleet.launcher.LocalSecrets;
import io.keyfleet.launcher.ServiceEnvironment;
import io.keyfleet.launcher.ServiceProcess;
import io.keyfleet.localstack.LocalPorts;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The services a benchmark runs as processes, through suite-launcher: their jars in this checkout, and the start of
 * their environment on this run's PostgreSQL (each service's own database, created by BenchMain for the benchmarks
 * that list it, see Benchmarks) and Kafka, on a free loopback port. A benchmark adds what it measures
 * ({@code KEYFLEET_KEYS_POOL_SIZE}, ...) and the services it calls.
 */
@ApplicationScoped
public class BenchServices {

    private static final Pattern KEY_SERVICE_RSA =
            Pattern.compile("RSA key generation uses ([^;\"]+); RSA-2048 pool size (\\d+)");

    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;

    @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "")
    String dbPassword;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "bench.project-root", defaultValue = ".")
    Path projectRoot;

    /** The given jar, or the service's {@code <project root>/<module>/target/quarkus-app/quarkus-run.jar}. */
    public Path jar(KeyfleetService service, Optional<Path> configured) {
        return configured.orElse(service.runnableJar(projectRoot)).toAbsolutePath().normalize();
    }

    /** The service's own database on this run's server ({@code bench.database.<name>.jdbc-url}, set by BenchMain). */
    public String jdbcUrl(KeyfleetService service) {
        String name = service.databaseName();
        return ConfigProvider.getConfig().getOptionalValue("bench.database." + name + ".jdbc-url", String.class)
                .orElseThrow(() -> new IllegalStateException("bench.database." + name + ".jdbc-url is not set: BenchMain creates"
                        + " the databases a benchmark lists (see Benchmarks)"));
    }

    public String dbUser() {
        return dbUser;
    }

    public String dbPassword() {
        return dbPassword;
    }

    /** The service on a free loopback port, with its own database on this run's PostgreSQL and this run's Kafka. */
    public ServiceEnvironment environment(KeyfleetService service) {
        return ServiceEnvironment.of(service, LocalPorts.findFree())
                .loopbackOnly()
                .database(jdbcUrl(service), dbUser, dbPassword)
                .kafka(bootstrapServers);
    }

    /**
     * key-service's environment ({@link #environment}) with the secrets of {@link #secrets(Path)} and the given admin API
     * key, so that the benchmark knows it before key-service starts.
     */
    public ServiceEnvironment keyService(Path directory, String adminApiKey) {
        return environment(KeyfleetService.KEY_SERVICE).secrets(secrets(directory)).adminApiKey(adminApiKey);
    }

    /** A local suite's secrets, made in {@code <directory>/secrets}: master key, audit key, the calling services' API keys. */
    public LocalSecrets.Values secrets(Path directory) {
        return new LocalSecrets(directory).ensure(notice -> { });
    }

    /**
     * Launches the service (see {@link ServiceProcess#launch}) in {@code directory}, where its log goes too; it is
     * killed should this JVM end without closing it (Ctrl-C).
     */
    public ServiceProcess launch(Path jar, ServiceEnvironment environment, List<String> jvmOptions, Path directory, String logName) {
        return ServiceProcess.launch(jar, environment, jvmOptions, directory, directory.resolve(logName)).killWhenThisJvmExits();
    }

    /** What key-service logged at start-up about its RSA provider and pool, e.g. "AmazonCorrettoCryptoProvider, pool 16". */
    public static Optional<String> keyServiceRsa(ServiceProcess keyService) {
        return keyService.logMatch(KEY_SERVICE_RSA).map(m -> m.group(1) + ", pool " + m.group(2));
    }

    public static Path temporaryDirectory(String name) throws IOException {
        return Files.createTempDirectory("keyfleet-bench-" + name + "-");
    }

    /** Removes the run's temporary directory (logs, secrets); kept when the run failed, for a look at the logs. */
    public static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory: the OS cleans up
        }
    }
}
