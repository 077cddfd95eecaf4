package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A provider's own public key (used to verify its responses and notifications) was stored or replaced.
 * {@code previousVersion} and {@code previousValidUntil} are null for the first version.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProviderKeyUpdated(String providerKeyId, String provider, String environment, int version,
                                 String fingerprint, String publicKey, Integer previousVersion,
                                 Instant previousValidUntil) implements DomainEvent {

    public ProviderKeyUpdated {
        Checks.text(providerKeyId, "providerKeyId");
        Checks.text(provider, "provider");
        Checks.text(environment, "environment");
        Checks.atLeast(version, 1, "version");
        Checks.text(fingerprint, "fingerprint");
        Checks.text(publicKey, "publicKey");
    }

    @Override
    public String aggregateId() {
        return providerKeyId;
    }
}
