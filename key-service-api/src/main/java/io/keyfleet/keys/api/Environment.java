package io.keyfleet.keys.api;

/** Keys are never shared across environments: a sandbox key can never be used for production. */
public enum Environment {
    SANDBOX, PRODUCTION
}
