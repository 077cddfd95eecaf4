package io.keyfleet.sandbox.admin;

/** The troubles the gateway can be told to have. "processed" ones change state first, then answer badly. */
public enum ScenarioKind {
    /** Wait delayMillis (default 2000), then answer normally. */
    LATENCY(true),
    /** HTTP httpStatus (default 502, any 5xx) with an HTML body, as a proxy in front of the gateway answers; not processed. */
    SERVER_ERROR(false),
    /** The gateway's own "20000 Service Currently Unavailable / isp.unknow-error" (v3: HTTP 500 unknow-error); not processed. */
    SERVICE_UNAVAILABLE(false),
    /** Processed, then the answer is held back delayMillis (default 60000): past any sane client timeout — a lost response. */
    TIMEOUT(true),
    /** The gateway's rate limit: v2 "40005 Call Limited / isv.app-call-limited" (HTTP 200), v3 HTTP 429 app-call-limited; not processed. */
    RATE_LIMITED(false),
    /** Processed, then a truncated body that is not JSON. */
    MALFORMED(true),
    /** Processed, then the normal body without its signature. */
    UNSIGNED(true),
    /** Processed, then the normal body with a signature by a key that is not the platform's. */
    BAD_SIGNATURE(true),
    /** A refresh is answered "40002 / isv.refresh-token-time-out" whatever the token; code exchanges are not affected. */
    REFRESH_TOKEN_EXPIRED(false);

    private final boolean processed;

    ScenarioKind(boolean processed) {
        this.processed = processed;
    }

    /** True when the request is carried out (codes used, tokens issued) before the scenario spoils the answer. */
    public boolean processed() {
        return processed;
    }
}
