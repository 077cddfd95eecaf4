package io.keyfleet.tokens.upstream;

/** The provider's token call did not give tokens. The message never holds a token or code. */
public class UpstreamFailure extends RuntimeException {

    public enum Kind {
        /** The provider refused or failed without carrying the request out (5xx, busy, rate limited): try again later. */
        RETRYABLE,
        /** No answer, or one we cannot trust (timeout, cut off, bad signature): the provider may have carried it out. */
        LOST,
        /** The code or refresh token is not (or no longer) good: only the merchant authorizing again helps. */
        INVALID_GRANT,
        /** Our side is misconfigured (no key, app unknown to the provider): retrying does not help until someone acts. */
        CONFIGURATION
    }

    private final Kind kind;
    private final String code;

    public UpstreamFailure(Kind kind, String code, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.code = code;
    }

    public Kind kind() {
        return kind;
    }

    /** The provider's sub_code (or our own short code, e.g. TIMEOUT). */
    public String code() {
        return code;
    }
}
