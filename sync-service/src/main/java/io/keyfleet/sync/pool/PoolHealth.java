package io.keyfleet.sync.pool;

/** A pool's credential health as last checked, with what to do about each bad state. */
public enum PoolHealth {
    UNCHECKED,
    HEALTHY,
    /** The API base URL does not answer (or not in time): check the URL and the platform's status. */
    UNREACHABLE,
    /** key-service has no secret for the pool: set a new API secret on the pool. */
    SECRET_MISSING,
    /** The platform refuses member id + secret (wrong, expired or rotated upstream): enter the current secret. */
    AUTH_FAILED,
    /** The platform refuses this server's address: add it to the authorized IPs upstream. */
    IP_NOT_AUTHORIZED,
    /** Authenticated, but the account (balance) cannot be read. */
    BALANCE_UNREADABLE
}
