package io.keyfleet.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code tail -f} for one log file: prints its last lines, then whatever is appended, until the process is stopped.
 * When the file starts over (a new {@code ./keyfleet up} truncates it), following starts over from its beginning.
 */
final class LogFollower {

    private static final int INITIAL_LINES = 50;
    private static final int MAX_INITIAL_BYTES = 64 * 1024;
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

    private final Path file;
    private final OutputStream out;

    LogFollower(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    /** Follows the file until interrupted; returns normally then. */
    void follow() throws IOException {
        long position = printLastLines();
        byte[] buffer = new byte[8192];
        while (!Thread.currentThread().isInterrupted()) {
            if (Files.isRegularFile(file)) {
                try (RandomAccessFile reader = new RandomAccessFile(file.toFile(), "r")) {
                    long length = reader.length();
                    if (length < position) {
                        position = 0; // truncated: a new run writes it from the start
                    }
                    reader.seek(position);
                    int read;
                    while ((read = reader.read(buffer)) > 0) {
                        out.write(buffer, 0, read);
                        position += read;
                    }
                    out.flush();
                }
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Prints the last lines and returns the position right after them. */
    private long printLastLines() throws IOException {
        try (RandomAccessFile reader = new RandomAccessFile(file.toFile(), "r")) {
            long length = reader.length();
            int size = (int) Math.min(length, MAX_INITIAL_BYTES);
            byte[] tail = new byte[size];
            reader.seek(length - size);
            reader.readFully(tail);
            int start = startOfLastLines(tail, INITIAL_LINES);
            out.write(tail, start, tail.length - start);
            out.flush();
            return length;
        }
    }

    /** The index in {@code bytes} where its last {@code count} lines begin (a final line break ends, not starts, one). */
    static int startOfLastLines(byte[] bytes, int count) {
        int lineBreaksToPass = bytes.length > 0 && bytes[bytes.length - 1] == '\n' ? count + 1 : count;
        for (int index = bytes.length - 1; index >= 0; index--) {
            if (bytes[index] == '\n' && --lineBreaksToPass == 0) {
                return index + 1;
            }
        }
        return 0;
    }
}
