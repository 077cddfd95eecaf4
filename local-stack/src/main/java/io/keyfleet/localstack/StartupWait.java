package io.keyfleet.localstack;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Waits for a freshly started server process to answer, the one way local-stack decides that a start succeeded: the
 * server is up when a real request to it succeeds (a connection and a query for PostgreSQL, a metadata request for
 * Kafka). The request is retried until a deadline; the start has failed when the process exits first or the deadline
 * passes, and the exception then says which, with the last error the request saw and the last lines of the log.
 *
 * <p>Nothing the server writes to its log decides anything: servers print alarming lines while starting normally
 * (PostgreSQL answers an early connection with "FATAL: the database system is starting up").
 */
public final class StartupWait {

    private static final int LOG_LINES_IN_ERRORS = 30;

    /** One attempt to talk to the server: returns normally when it answered, throws saying why it did not (yet). */
    @FunctionalInterface
    public interface Probe {
        void attempt() throws Exception;
    }

    private final String component;
    private final Duration timeout;
    private final Duration pollInterval;
    private final Path logFile;

    /**
     * @param component    names the server in messages, e.g. {@code "PostgreSQL on port 5433"}
     * @param timeout      how long the server may take to answer
     * @param pollInterval the pause between two attempts
     * @param logFile      the server's log, whose current run's last lines go into a failure's message
     */
    public StartupWait(String component, Duration timeout, Duration pollInterval, Path logFile) {
        if (timeout.isNegative() || timeout.isZero() || pollInterval.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive and poll interval not negative");
        }
        this.component = component;
        this.timeout = timeout;
        this.pollInterval = pollInterval;
        this.logFile = logFile;
    }

    /**
     * Returns once {@code probe} succeeds. Each attempt should bound its own duration (connect and read timeouts);
     * the deadline is checked between attempts.
     *
     * @throws IllegalStateException if {@code process} exits before an attempt succeeds, the deadline passes, or the
     *                               calling thread is interrupted (its interrupt flag is then kept set)
     */
    public void untilAnswering(Process process, Probe probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception lastError = null;
        while (true) {
            if (!process.isAlive()) {
                throw failure(component + " exited with code " + process.exitValue() + " before it answered", lastError);
            }
            try {
                probe.attempt();
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + component + " to answer", e);
            } catch (Exception e) {
                lastError = e;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("Interrupted while waiting for " + component + " to answer", lastError);
            }
            if (!process.isAlive()) {
                continue; // report the exit, not the refused connection it caused
            }
            if (System.nanoTime() - deadline > 0) {
                throw failure(component + " did not answer within " + timeout.toSeconds() + " s", lastError);
            }
            try {
                Thread.sleep(pollInterval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for " + component + " to answer", e);
            }
        }
    }

    private IllegalStateException failure(String what, Exception lastError) {
        String lastAttempt = lastError == null ? "" : " (last attempt: " + describe(lastError) + ")";
        return new IllegalStateException(what + lastAttempt + ". Last lines of " + logFile + ":" + System.lineSeparator()
                + LocalFiles.lastLinesOfCurrentRun(logFile, LOG_LINES_IN_ERRORS), lastError);
    }

    private static String describe(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        int lineEnd = message.indexOf('\n');
        return lineEnd < 0 ? message : message.substring(0, lineEnd).strip();
    }
}
