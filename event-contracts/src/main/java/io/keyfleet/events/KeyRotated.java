package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A key got a new version; the previous version keeps working until {@code previousValidUntil} (the grace end).
 * Fields describe the new version.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KeyRotated(String keyId, String provider, String appId, String environment, int previousVersion,
                         int newVersion, String algorithm, String fingerprint, String publicKey,
                         Instant previousValidUntil) implements DomainEvent {

    public KeyRotated {
        Checks.text(keyId, "keyId");
        Checks.text(provider, "provider");
        Checks.text(appId, "appId");
        Checks.text(environment, "environment");
        Checks.atLeast(previousVersion, 1, "previousVersion");
        Checks.atLeast(newVersion, previousVersion + 1, "newVersion");
        Checks.text(algorithm, "algorithm");
        Checks.text(fingerprint, "fingerprint");
        Checks.text(publicKey, "publicKey");
        Checks.present(previousValidUntil, "previousValidUntil");
    }

    @Override
    public String aggregateId() {
        return keyId;
    }
}
