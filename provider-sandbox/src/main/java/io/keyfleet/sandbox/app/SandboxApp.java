package io.keyfleet.sandbox.app;

import java.security.PublicKey;
import java.time.Instant;

/** An ISV app as the sandbox platform knows it. */
public record SandboxApp(String appId, PublicKey publicKey, long accessLifetimeSeconds, long refreshLifetimeSeconds,
                         long refreshGraceSeconds, boolean omitExpiry, Instant createdAt, Instant updatedAt) {
}
