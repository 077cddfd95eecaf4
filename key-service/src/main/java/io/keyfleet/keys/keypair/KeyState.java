package io.keyfleet.keys.keypair;

/** Lifecycle of one key version: PENDING → CURRENT → PREVIOUS (valid until its grace ends) → RETIRED. */
public enum KeyState {
    PENDING, CURRENT, PREVIOUS, RETIRED
}
