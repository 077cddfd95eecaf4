package io.keyfleet.sandbox.app;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;

/**
 * An ISV app as the sandbox platform knows it. {@code appCertificate}: in public-key certificate mode, the app's
 * public-key certificate the sandbox CA issued; null in public-key mode.
 */
public record SandboxApp(String appId, PublicKey publicKey, long accessLifetimeSeconds, long refreshLifetimeSeconds,
                         long refreshGraceSeconds, boolean omitExpiry, Instant createdAt, Instant updatedAt, X509Certificate appCertificate) {

    public boolean certificateMode() {
        return appCertificate != null;
    }
}
