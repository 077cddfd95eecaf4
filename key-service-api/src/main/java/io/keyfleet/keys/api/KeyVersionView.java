package io.keyfleet.keys.api;

import java.time.Instant;

/** The public parts of one app key version. {@code algorithm} is RSA2048, RSA4096, EC_P256 or ED25519. */
public record KeyVersionView(int version, KeyState state, String algorithm, String fingerprint, String publicKey, boolean canSign,
                             Instant createdAt, Instant promotedAt, Instant validUntil, Instant retiredAt) {
}
