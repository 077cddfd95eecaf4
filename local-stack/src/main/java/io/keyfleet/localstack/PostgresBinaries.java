package io.keyfleet.localstack;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL programs ({@code bin/initdb}, {@code bin/postgres}, {@code bin/pg_ctl}, with their {@code lib/} and
 * {@code share/}) from zonky's binaries artifact, unpacked once per archive into
 * {@code <java.io.tmpdir>/keyfleet-postgres/<digest>}. Several JVMs may unpack at once: each unpacks into a directory of
 * its own and moves it into place in one step, so a directory at the final path is always complete.
 */
final class PostgresBinaries {

    private static Path installation;
    private static String unshare;

    private PostgresBinaries() {
    }

    /** The directory holding {@code bin/}, {@code lib/} and {@code share/}. */
    static synchronized Path installation() {
        if (installation == null || !Files.isExecutable(installation.resolve("bin").resolve("postgres"))) {
            installation = unpack();
        }
        return installation;
    }

    /**
     * The command line that runs one of the programs. initdb, postgres and pg_ctl refuse to run as root; as root they run
     * in a user namespace of their own ({@code unshare -U}), where they are not root (as zonky does it). unshare execs
     * the program in place, so a process's pid is the program's.
     */
    static List<String> command(String program, String... arguments) {
        List<String> command = new ArrayList<>();
        if (runningAsRoot()) {
            command.addAll(List.of(unshare(), "-U"));
        }
        command.add(installation().resolve("bin").resolve(program).toString());
        command.addAll(List.of(arguments));
        return command;
    }

    private static boolean runningAsRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .anyMatch(line -> line.split("\\s+")[2].equals("0")); // Uid: real effective saved filesystem
        } catch (IOException | RuntimeException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static synchronized String unshare() {
        if (unshare == null) {
            for (String candidate : List.of("/usr/bin/unshare", "/bin/unshare")) {
                if (Files.isExecutable(Path.of(candidate)) && succeeds(candidate, "-U", "true")) {
                    unshare = candidate;
                    break;
                }
            }
            if (unshare == null) {
                throw new IllegalStateException("PostgreSQL does not run as root, and 'unshare -U' (util-linux), which"
                        + " runs it in a user namespace where it is not root, is missing or not allowed here; run as"
                        + " another user");
            }
        }
        return unshare;
    }

    private static boolean succeeds(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path unpack() {
        byte[] archive = readArchive();
        Path parent = Path.of(System.getProperty("java.io.tmpdir"), "keyfleet-postgres");
        Path target = parent.resolve(digest(archive));
        if (Files.isExecutable(target.resolve("bin").resolve("postgres"))) {
            return target;
        }
        Path staging = null;
        try {
            Files.createDirectories(parent);
            staging = Files.createTempDirectory(parent, "unpacking-");
            extractTxz(archive, staging);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            staging = null;
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // another JVM moved its complete copy into place first
        } catch (AtomicMoveNotSupportedException e) {
            throw new IllegalStateException("Cannot move the unpacked PostgreSQL binaries into place in " + parent, e);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unpack the PostgreSQL binaries into " + parent, e);
        } finally {
            if (staging != null) {
                LocalFiles.deleteRecursively(staging);
            }
        }
        if (!Files.isExecutable(target.resolve("bin").resolve("postgres"))) {
            throw new IllegalStateException(target + " exists but holds no bin/postgres; delete it and try again");
        }
        return target;
    }

    private static byte[] readArchive() {
        String architecture = "amd64".equals(System.getProperty("os.arch")) ? "x86_64" : System.getProperty("os.arch");
        try (InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary("Linux", architecture)) {
            if (archive == null) {
                throw new IllegalStateException("No PostgreSQL binaries for Linux/" + architecture + " on the class path");
            }
            return archive.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the PostgreSQL binaries archive", e);
        }
    }

    private static String digest(byte[] archive) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(archive);
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void extractTxz(byte[] archive, Path directory) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = directory.resolve(entry.getName()).normalize();
                if (!path.startsWith(directory)) {
                    throw new IOException("Archive entry " + entry.getName() + " points outside " + directory);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                } else {
                    throw new IOException("Unsupported archive entry " + entry.getName());
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> permissions = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        PosixFilePermission[] bits = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        for (int bit = 0; bit < bits.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(bits[bit]);
            }
        }
        return permissions;
    }
}
