package io.keyfleet.localstack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads what a server writes to its log while another thread waits for it to start, and interrupts that thread as
 * soon as a line says the start has failed. Zonky waits the whole startup timeout for a server that pg_ctl already
 * failed to start; this turns that wait into an immediate, explained failure.
 */
final class StartFailureWatch implements AutoCloseable {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private final Path logFile;
    private final Pattern failureLine;
    private final Thread waitingThread;
    private final Thread watcher;
    private long readOffset;
    private String unfinishedLine = "";
    private volatile boolean closed;
    private volatile String failure;

    private StartFailureWatch(Path logFile, Pattern failureLine, Thread waitingThread) {
        this.logFile = logFile;
        this.failureLine = failureLine;
        this.waitingThread = waitingThread;
        this.readOffset = sizeOf(logFile);
        this.watcher = new Thread(this::watch, "keyfleet-start-failure-watch");
        this.watcher.setDaemon(true);
    }

    /** Watches what is appended to {@code logFile} from now on; interrupts the calling thread on a failure line. */
    static StartFailureWatch onCurrentThread(Path logFile, Pattern failureLine) {
        StartFailureWatch watch = new StartFailureWatch(logFile, failureLine, Thread.currentThread());
        watch.watcher.start();
        return watch;
    }

    /** The first failure line seen, if any. */
    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Stops watching; if a failure was seen, also clears the interrupt it caused on the waiting thread. */
    @Override
    public void close() {
        closed = true;
        watcher.interrupt();
        try {
            watcher.join(POLL_INTERVAL.toMillis() * 5);
        } catch (InterruptedException e) {
            // the waiting thread was interrupted by this watch (or someone else); handled below
        }
        if (failure != null) {
            Thread.interrupted();
        }
    }

    private void watch() {
        while (!closed) {
            readNewLines();
            if (failure != null) {
                waitingThread.interrupt();
                return;
            }
            try {
                Thread.sleep(POLL_INTERVAL.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void readNewLines() {
        try (SeekableByteChannel channel = Files.newByteChannel(logFile)) {
            long size = channel.size();
            if (size <= readOffset) {
                return;
            }
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size - readOffset, 1 << 20));
            channel.position(readOffset);
            int read = channel.read(buffer);
            if (read <= 0) {
                return;
            }
            readOffset += read;
            String text = unfinishedLine + new String(buffer.array(), 0, read, StandardCharsets.UTF_8);
            int lastNewline = text.lastIndexOf('\n');
            unfinishedLine = text.substring(lastNewline + 1);
            text.substring(0, lastNewline + 1).lines()
                    .filter(line -> failureLine.matcher(line).find())
                    .findFirst()
                    .ifPresent(line -> failure = line);
        } catch (IOException e) {
            // the log is not there yet or cannot be read now; try again on the next poll
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
