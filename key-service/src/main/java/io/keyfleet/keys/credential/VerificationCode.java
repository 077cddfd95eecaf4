package io.keyfleet.keys.credential;

/** The outcome of verifying a presented credential; only VALID lets the caller in. */
public enum VerificationCode {
    VALID, MISSING, NOT_FOUND, INVALID_SIGNATURE, REPLAYED, EXPIRED, REVOKED, DISABLED, FORBIDDEN_IP, INSUFFICIENT_SCOPE
}
