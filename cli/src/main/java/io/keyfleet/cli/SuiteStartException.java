package io.keyfleet.cli;

import java.util.Optional;

/**
 * The suite did not start. Everything that had been started is stopped again before this is thrown.
 * {@link #reason()} is one line; {@link #logExcerpt()} holds the last lines of the failing component's log, if any.
 */
public final class SuiteStartException extends RuntimeException {

    private final String reason;
    private final String logExcerpt;
    private final boolean cancelled;

    private SuiteStartException(String reason, String logExcerpt, boolean cancelled, Throwable cause) {
        super(logExcerpt == null ? reason : reason + System.lineSeparator() + logExcerpt, cause);
        this.reason = reason;
        this.logExcerpt = logExcerpt;
        this.cancelled = cancelled;
    }

    static SuiteStartException because(String reason) {
        return new SuiteStartException(reason, null, false, null);
    }

    static SuiteStartException because(String reason, Throwable cause) {
        return new SuiteStartException(reason, null, false, cause);
    }

    static SuiteStartException withLog(String reason, String logExcerpt) {
        return new SuiteStartException(reason, logExcerpt, false, null);
    }

    /** The start-up was interrupted (the caller asked to stop); not a failure of any component. */
    static SuiteStartException cancelled() {
        return new SuiteStartException("start-up cancelled; everything started so far has been stopped", null, true, null);
    }

    /** One line saying what went wrong. */
    public String reason() {
        return reason;
    }

    /** The tail of the log of the component that failed, headed by the log file's path. */
    public Optional<String> logExcerpt() {
        return Optional.ofNullable(logExcerpt);
    }

    public boolean isCancelled() {
        return cancelled;
    }
}
