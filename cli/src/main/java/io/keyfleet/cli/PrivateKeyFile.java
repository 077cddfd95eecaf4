package io.keyfleet.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The {@code --private-key-out} file. It is created (new, owner read/write only) <em>before</em> key-service is asked
 * for a key, so that a name that is taken or a directory that cannot be written fails before a private key exists that
 * could then not be stored; it is deleted again if no key comes.
 */
final class PrivateKeyFile {

    static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    private final Path path;
    private FileChannel channel;

    private PrivateKeyFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Creates the file, empty and 0600; refuses a file (or link) that already exists. */
    static PrivateKeyFile create(Path requested) throws CommandFailure {
        Path path = requested.toAbsolutePath().normalize();
        Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            FileChannel channel;
            try {
                FileAttribute<Set<PosixFilePermission>> ownerOnly = PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE);
                channel = FileChannel.open(path, options, ownerOnly);
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: the directory's own protection has to do
                channel = FileChannel.open(path, options);
            }
            return new PrivateKeyFile(path, channel);
        } catch (FileAlreadyExistsException e) {
            throw new CommandFailure(path + " already exists; refusing to overwrite it with a private key "
                    + "(choose another --private-key-out). Nothing was sent to key-service.");
        } catch (NoSuchFileException e) {
            throw new CommandFailure("cannot create " + path + ": the directory " + path.getParent()
                    + " does not exist. Nothing was sent to key-service.");
        } catch (AccessDeniedException e) {
            throw new CommandFailure("cannot create " + path + ": permission denied. Nothing was sent to key-service.");
        } catch (IOException e) {
            throw new CommandFailure("cannot create " + path + ": " + e.getMessage()
                    + ". Nothing was sent to key-service.");
        }
    }

    Path path() {
        return path;
    }

    /** Writes the PEM (with a final line break) and closes the file. */
    void write(String privateKeyPem) throws IOException {
        String content = privateKeyPem.endsWith("\n") ? privateKeyPem : privateKeyPem + "\n";
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII));
        try (FileChannel open = channel) {
            while (bytes.hasRemaining()) {
                open.write(bytes);
            }
            open.force(true);
        } finally {
            channel = null;
        }
    }

    /** Closes and deletes the file: no key came, or it could not be written completely. */
    void abandon() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // deleting is what matters
        } finally {
            channel = null;
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // an empty or partial file stays behind; the error already said the key was not stored
        }
    }
}
