package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/** A key version will stop working at {@code expiresAt}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KeyExpiring(String keyId, int version, Instant expiresAt) implements DomainEvent {

    public KeyExpiring {
        Checks.text(keyId, "keyId");
        Checks.atLeast(version, 1, "version");
        Checks.present(expiresAt, "expiresAt");
    }

    @Override
    public String aggregateId() {
        return keyId;
    }
}
