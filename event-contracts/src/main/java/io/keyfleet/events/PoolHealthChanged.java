package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A resource pool's credential health changed (e.g. HEALTHY to AUTH_FAILED); message says what to do. Never the secret. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PoolHealthChanged(String poolId, String previousHealth, String health, String message) implements DomainEvent {

    public PoolHealthChanged {
        Checks.text(poolId, "poolId");
        Checks.text(previousHealth, "previousHealth");
        Checks.text(health, "health");
    }

    @Override
    public String aggregateId() {
        return poolId;
    }
}
