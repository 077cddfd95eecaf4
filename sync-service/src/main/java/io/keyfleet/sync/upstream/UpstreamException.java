package io.keyfleet.sync.upstream;

import java.time.Duration;

/** An upstream call that did not give a usable answer; the message says what a person can do about it. */
public class UpstreamException extends RuntimeException {

    public enum Kind {
        UNREACHABLE, TIMEOUT, AUTH_FAILED, IP_NOT_AUTHORIZED, RATE_LIMITED, SERVER_ERROR, MALFORMED, REFUSED,
        /** Beyond a bound: keyfleet.sync.max-page-bytes, max-pages or max-page-items. Not retried. */
        TOO_LARGE,
        /** The outbound policy refuses the pool's address (a saved pool whose host now resolves to an internal address). */
        ADDRESS_REFUSED
    }

    private final Kind kind;
    private final Duration retryAfter;

    public UpstreamException(Kind kind, String message) {
        this(kind, message, null);
    }

    public UpstreamException(Kind kind, String message, Duration retryAfter) {
        super(message, null, false, false);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** For RATE_LIMITED: how long the platform asked to wait. */
    public Duration retryAfter() {
        return retryAfter;
    }

    /** Worth another attempt of the same call. */
    public boolean transientFailure() {
        return kind == Kind.UNREACHABLE || kind == Kind.TIMEOUT || kind == Kind.RATE_LIMITED || kind == Kind.SERVER_ERROR
                || kind == Kind.MALFORMED;
    }
}
