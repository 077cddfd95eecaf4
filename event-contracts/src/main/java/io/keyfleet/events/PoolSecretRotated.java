package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A resource pool's upstream API secret got a new version in key-service. The event carries version numbers only,
 * never the secret; the pool's owner (sync-service) reads the new version from key-service and checks the pool again.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PoolSecretRotated(String poolId, int previousVersion, int newVersion) implements DomainEvent {

    public PoolSecretRotated {
        Checks.text(poolId, "poolId");
        Checks.atLeast(previousVersion, 1, "previousVersion");
        Checks.atLeast(newVersion, previousVersion + 1, "newVersion");
    }

    @Override
    public String aggregateId() {
        return poolId;
    }
}
