package io.keyfleet.keys.api;

/**
 * Lifecycle of one key version: PENDING → CURRENT → PREVIOUS (still valid until its grace ends) → RETIRED.
 * Only CURRENT signs; PREVIOUS still verifies and is still served for in-flight callers; PENDING is being set
 * up at the provider and never signs.
 */
public enum KeyState {
    PENDING, CURRENT, PREVIOUS, RETIRED
}
