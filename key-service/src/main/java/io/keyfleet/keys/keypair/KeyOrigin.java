package io.keyfleet.keys.keypair;

/** Where a key's material came from. Only GENERATED keys can be rotated automatically. */
public enum KeyOrigin {
    GENERATED, IMPORTED_PAIR, IMPORTED_PUBLIC_KEY
}
