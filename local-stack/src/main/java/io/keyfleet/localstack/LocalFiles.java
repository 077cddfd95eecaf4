package io.keyfleet.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** File helpers shared by the servers: their directories, and the tail of their logs for error messages. */
final class LocalFiles {

    private static final int TAIL_BYTES = 64 * 1024;

    private LocalFiles() {
    }

    static Path createDirectories(Path directory) {
        try {
            return Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create directory " + directory, e);
        }
    }

    static Path createTempDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory " + prefix + "*", e);
        }
    }

    /** Deletes a directory tree; a failure is reported as a warning, not thrown (it runs during shutdown). */
    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.getLogger(LocalFiles.class.getName())
                    .log(System.Logger.Level.WARNING, "Could not delete " + directory + ": " + e.getMessage());
        }
    }

    /** Starts the lines that {@link #startRunInLog} writes, and so each run's part of a log. */
    static final String RUN_MARKER = "=== keyfleet: ";

    /** Appends a line that marks the start of a run to a log that keeps the output of all runs. */
    static void startRunInLog(Path logFile, String description) {
        appendLine(logFile, RUN_MARKER + description + " at " + Instant.now());
    }

    /**
     * The last {@code count} lines of the current run in a log file (from its last 64 KiB, after the last
     * {@link #RUN_MARKER} line), or a note saying why there are none.
     */
    static String lastLinesOfCurrentRun(Path logFile, int count) {
        if (!Files.isRegularFile(logFile)) {
            return "(no log file at " + logFile + ")";
        }
        String tail;
        try (SeekableByteChannel channel = Files.newByteChannel(logFile)) {
            long size = channel.size();
            int length = (int) Math.min(size, TAIL_BYTES);
            ByteBuffer buffer = ByteBuffer.allocate(length);
            channel.position(size - length);
            while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                // keep reading until the buffer is full
            }
            tail = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read " + logFile + ": " + e.getMessage() + ")";
        }
        int runStart = tail.lastIndexOf(RUN_MARKER);
        List<String> lines = tail.substring(Math.max(0, runStart)).lines().collect(Collectors.toList());
        if (lines.isEmpty()) {
            return "(" + logFile + " is empty)";
        }
        return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }

    static void appendLine(Path file, String line) {
        try {
            Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }
}
