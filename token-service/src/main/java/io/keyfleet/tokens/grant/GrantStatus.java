package io.keyfleet.tokens.grant;

public enum GrantStatus {
    /** Tokens are kept fresh by the scheduler. */
    ACTIVE,
    /** Refreshing failed for good (or for too long): the merchant must authorize the app again. */
    NEEDS_REAUTHORIZATION,
    /** Revoked (by a caller, or because its authorization code was presented twice); tokens erased. */
    REVOKED
}
