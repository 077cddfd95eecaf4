package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A key version was revoked; {@code version} 0 means every version of the key. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KeyRevoked(String keyId, int version, String reason) implements DomainEvent {

    public static final int ALL_VERSIONS = 0;

    public KeyRevoked {
        Checks.text(keyId, "keyId");
        Checks.atLeast(version, ALL_VERSIONS, "version");
        Checks.text(reason, "reason");
    }

    public boolean allVersions() {
        return version == ALL_VERSIONS;
    }

    @Override
    public String aggregateId() {
        return keyId;
    }
}
