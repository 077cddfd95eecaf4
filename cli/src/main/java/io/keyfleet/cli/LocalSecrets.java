package io.keyfleet.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The secrets a local suite needs, kept under {@code <data dir>/secrets} and made on first start: key-service's
 * master key (which wraps every stored private key), the internal service token the services call each other with,
 * and the key that HMACs identifiers in the audit log. Deployments bring their own instead (Vault, Kubernetes Secrets).
 */
final class LocalSecrets {

    static final String MASTER_KEY_FILE = "master.key";
    static final String INTERNAL_TOKEN_FILE = "internal-token";
    static final String AUDIT_KEY_FILE = "audit-hmac-key";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;

    LocalSecrets(Path dataDirectory) {
        this.directory = dataDirectory.resolve("secrets");
    }

    /** Makes the missing secrets, telling {@code notice} about each new one, and returns the services' environment. */
    Map<String, String> ensure(Consumer<String> notice) {
        try {
            Files.createDirectories(directory);
            Path masterKey = directory.resolve(MASTER_KEY_FILE);
            if (!Files.exists(masterKey)) {
                // the format key-service reads: one "<version>:<base64 of 32 bytes>" line per master-key version
                write(masterKey, "1:" + randomBase64(32) + "\n");
                notice.accept("Made a new master key in " + masterKey + ": it protects every private key Keyfleet stores. "
                        + "Back it up; without it they cannot be read. Use Vault or a managed secret outside local runs.");
            }
            Path token = directory.resolve(INTERNAL_TOKEN_FILE);
            if (!Files.exists(token)) {
                write(token, randomBase64(32));
            }
            Path auditKey = directory.resolve(AUDIT_KEY_FILE);
            if (!Files.exists(auditKey)) {
                write(auditKey, randomBase64(32));
            }
            Map<String, String> environment = new LinkedHashMap<>();
            environment.put("KEYFLEET_MASTER_KEY_FILE", masterKey.toAbsolutePath().toString());
            environment.put("KEYFLEET_INTERNAL_TOKEN", Files.readString(token).strip());
            environment.put("KEYFLEET_AUDIT_HMAC_KEY", Files.readString(auditKey).strip());
            return environment;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the local secrets in " + directory + ": " + e.getMessage(), e);
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
