package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One version of a resource pool's upstream API secret was destroyed in key-service; a pool using it has no secret. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PoolSecretDestroyed(String poolId, int version) implements DomainEvent {

    public PoolSecretDestroyed {
        Checks.text(poolId, "poolId");
        Checks.atLeast(version, 1, "version");
    }

    @Override
    public String aggregateId() {
        return poolId;
    }
}
