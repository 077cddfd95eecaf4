package io.keyfleet.auth;

/** The outcome of verifying a presented credential; only VALID lets the caller in. */
public enum VerificationCode {
    VALID, MISSING, NOT_FOUND, INVALID_SIGNATURE, REPLAYED, EXPIRED, REVOKED, DISABLED, FORBIDDEN_IP, INSUFFICIENT_SCOPE;

    /** The HTTP status a refused request gets: 403 when the caller is known but may not do this, else 401. */
    public int httpStatus() {
        return switch (this) {
            case VALID -> 200;
            case INSUFFICIENT_SCOPE -> 403;
            default -> 401;
        };
    }
}
