package io.keyfleet.launcher;

import io.keyfleet.auth.ApiKeyFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The secrets a local suite needs, kept under {@code <data dir>/secrets} and made on first start: key-service's
 * master key (which wraps every stored private key), the key that HMACs identifiers in the audit log, and the API
 * keys the services call each other with. key-service itself writes the admin API key it makes on first start to
 * {@value #ADMIN_KEY_FILE} here. Deployments bring their own instead (Vault, Kubernetes Secrets).
 */
public final class LocalSecrets {

    public static final String MASTER_KEY_FILE = "master.key";
    public static final String AUDIT_KEY_FILE = "audit-hmac-key";
    public static final String SERVICE_KEYS_FILE = "service-keys";
    public static final String ADMIN_KEY_FILE = "admin-api-key";
    /** The services that call other services and therefore hold an API key of their own. */
    public static final List<KeyfleetService> CALLING_SERVICES = List.of(KeyfleetService.SIGNING_SERVICE, KeyfleetService.TOKEN_SERVICE,
            KeyfleetService.SYNC_SERVICE);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the services are given; serviceKeys maps each calling service's module name to its API key. */
    public record Values(Path masterKeyFile, String auditKey, Path adminKeyFile, Map<String, String> serviceKeys) {
    }

    private final Path directory;

    public LocalSecrets(Path dataDirectory) {
        this.directory = dataDirectory.resolve("secrets");
    }

    /** Makes the missing secrets, telling {@code notice} about each new one that needs a person's attention. */
    public Values ensure(Consumer<String> notice) {
        try {
            Files.createDirectories(directory);
            Path masterKey = directory.resolve(MASTER_KEY_FILE);
            if (!Files.exists(masterKey)) {
                // the format key-service reads: one "<version>:<base64 of 32 bytes>" line per master-key version
                write(masterKey, "1:" + randomBase64(32) + "\n");
                notice.accept("Made a new master key in " + masterKey + ": it protects every private key Keyfleet stores. "
                        + "Back it up; without it they cannot be read. Use Vault or a managed secret outside local runs.");
            }
            Path auditKey = directory.resolve(AUDIT_KEY_FILE);
            if (!Files.exists(auditKey)) {
                write(auditKey, randomBase64(32));
            }
            Path serviceKeysFile = directory.resolve(SERVICE_KEYS_FILE);
            if (!Files.exists(serviceKeysFile)) {
                StringBuilder lines = new StringBuilder();
                for (KeyfleetService service : CALLING_SERVICES) {
                    lines.append(service.moduleName()).append(':').append(ApiKeyFormat.generate(false)).append('\n');
                }
                write(serviceKeysFile, lines.toString());
            }
            Map<String, String> serviceKeys = new LinkedHashMap<>();
            for (String line : Files.readAllLines(serviceKeysFile)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    serviceKeys.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
                }
            }
            return new Values(masterKey.toAbsolutePath(), Files.readString(auditKey).strip(),
                    directory.resolve(ADMIN_KEY_FILE).toAbsolutePath(), serviceKeys);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the local secrets in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The admin API key key-service wrote on first start into this data directory, if it did. */
    public static Optional<String> adminApiKey(Path dataDirectory) {
        Path file = dataDirectory.resolve("secrets").resolve(ADMIN_KEY_FILE);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content, StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection has to do
        }
    }

    private static String randomBase64(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }
}
