package io.keyfleet.keys.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The master key file of the {@code local} backend: lines {@code <version>:<base64 of 32 random bytes>}, the highest
 * version active. {@code ./keyfleet up} creates {@code .keyfleet/master.key} with it on first start:
 * <pre>
 *   java -cp key-service.jar io.keyfleet.keys.secret.MasterKeyFile create .keyfleet/master.key
 *   java -cp key-service.jar io.keyfleet.keys.secret.MasterKeyFile add-version .keyfleet/master.key
 * </pre>
 * Rotating the master key: {@code add-version}, restart every key-service instance (new writes use the new version,
 * old rows still decrypt), {@code POST /internal/v1/secrets/rewrap}, then delete the old line and restart again.
 */
public final class MasterKeyFile {

    private static final SecureRandom RANDOM = new SecureRandom();

    private MasterKeyFile() {
    }

    public static MasterKeys read(Path file) {
        try {
            return MasterKeys.parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the master key file " + file, e);
        }
    }

    /** Creates the file with version 1 if it does not exist (owner-only permissions where supported); true if created. */
    public static boolean createIfMissing(Path file) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            byte[] content = (header() + line(1)).getBytes(StandardCharsets.US_ASCII);
            Path temp = tempBeside(file);
            try {
                Files.write(temp, content, StandardOpenOption.TRUNCATE_EXISTING);
                Files.move(temp, file); // atomic enough: fails if another process created the file meanwhile
            } finally {
                Files.deleteIfExists(temp);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the master key file " + file, e);
        }
    }

    /** Appends a new random key with the next version, which becomes active; returns that version. */
    public static int addVersion(Path file) {
        try {
            MasterKeys existing = read(file);
            int next = existing.versions().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                text += "\n";
            }
            Path temp = tempBeside(file);
            try {
                Files.writeString(temp, text + line(next), StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            return next;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot add a version to the master key file " + file, e);
        }
    }

    /** {@code [create|add-version] [file]}; the default is {@code create .keyfleet/master.key}. */
    public static void main(String[] args) {
        String command = args.length > 0 ? args[0] : "create";
        Path file = Path.of(args.length > 1 ? args[1] : ".keyfleet/master.key");
        switch (command) {
            case "create" -> {
                if (createIfMissing(file)) {
                    System.err.println("WARNING: generated a new master key file " + file + ". Everything key-service"
                            + " stores is encrypted under it: back it up and keep it secret. For production use the"
                            + " vault backend or a key from your secret manager.");
                } else {
                    System.err.println("Master key file " + file + " exists; active version " + read(file).activeVersion());
                }
            }
            case "add-version" -> System.err.println("Added master key version " + addVersion(file) + " to " + file
                    + "; restart key-service everywhere, then POST /internal/v1/secrets/rewrap");
            default -> {
                System.err.println("usage: MasterKeyFile [create|add-version] [file (default .keyfleet/master.key)]");
                System.exit(2);
            }
        }
    }

    private static String header() {
        return "# keyfleet master keys: <version>:<base64 of 32 bytes>; the highest version is active. Keep secret.\n";
    }

    private static String line(int version) {
        byte[] key = new byte[MasterKeys.KEY_BYTES];
        RANDOM.nextBytes(key);
        String line = version + ":" + Base64.getEncoder().encodeToString(key) + "\n";
        java.util.Arrays.fill(key, (byte) 0);
        return line;
    }

    private static Path tempBeside(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        try {
            return Files.createTempFile(dir, ".master-key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(dir, ".master-key", ".tmp");
        }
    }
}
