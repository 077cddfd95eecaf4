package io.keyfleet.bench.support;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What a benchmark needs to run key-service as a process ({@link ServiceProcess}): its jar and the environment a
 * deployment gives it, as {@code ./keyfleet up} does (cli's LocalSecrets): this run's PostgreSQL (database
 * {@value #DATABASE}, created by BenchMain for the benchmarks that list it, see Benchmarks) and Kafka, a master-key
 * file in the run's temporary directory, the administrator's API key and an audit HMAC key.
 */
@ApplicationScoped
public class KeyServiceLauncher {

    private static final java.util.regex.Pattern PROVIDER_LINE =
            java.util.regex.Pattern.compile("RSA key generation uses ([^;\"]+); RSA-2048 pool size (\\d+)");

    /** What key-service logged at start-up about its RSA provider and pool, e.g. "AmazonCorrettoCryptoProvider, pool 16". */
    public static Optional<String> providerLine(ServiceProcess keyService) {
        return keyService.logMatch(PROVIDER_LINE).map(m -> m.group(1) + ", pool " + m.group(2));
    }

    /** key-service's database on this run's PostgreSQL server. */
    public static final String DATABASE = "key_service";

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Set by BenchMain when it runs a benchmark that lists the database (Optional: every bean is built whichever one runs). */
    @ConfigProperty(name = "bench.database." + DATABASE + ".jdbc-url")
    Optional<String> keyServiceDbUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;

    @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "")
    String dbPassword;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "bench.project-root", defaultValue = ".")
    Path projectRoot;

    /** The given jar, or {@code <project root>/key-service/target/quarkus-app/quarkus-run.jar}. */
    public Path jar(Optional<Path> configured) {
        return configured.orElse(projectRoot.resolve("key-service/target/quarkus-app/quarkus-run.jar")).toAbsolutePath().normalize();
    }

    /** The environment of a key-service process; its master-key file goes into {@code directory}. */
    public Map<String, String> environment(Path directory, String adminApiKey) throws IOException {
        Path masterKey = directory.resolve("master.key");
        if (!Files.exists(masterKey)) {
            Files.writeString(masterKey, "1:" + randomBase64(32) + "\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(masterKey, PosixFilePermissions.fromString("rw-------"));
        }
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("KEYFLEET_DB_URL", keyServiceDbUrl.orElseThrow(() -> new IllegalStateException(
                "bench.database." + DATABASE + ".jdbc-url is not set: BenchMain creates the database for benchmarks that list it"
                        + " (see Benchmarks)")));
        environment.put("KEYFLEET_DB_USER", dbUser);
        environment.put("KEYFLEET_DB_PASSWORD", dbPassword);
        environment.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers);
        environment.put("KEYFLEET_MASTER_KEY_FILE", masterKey.toString());
        environment.put("KEYFLEET_ADMIN_API_KEY", adminApiKey);
        environment.put("KEYFLEET_AUDIT_HMAC_KEY", randomBase64(32));
        return environment;
    }

    public static Path temporaryDirectory(String name) throws IOException {
        return Files.createTempDirectory("keyfleet-bench-" + name + "-");
    }

    /** Removes the run's temporary directory (logs, master key); kept when the run failed, for a look at the logs. */
    public static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // a temporary directory: the OS cleans up
        }
    }

    private static String randomBase64(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }
}
