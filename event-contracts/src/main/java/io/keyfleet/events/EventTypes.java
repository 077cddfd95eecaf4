package io.keyfleet.events;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry of event types. Adding an event: write the payload record, add one line here,
 * add {@code src/test/resources/golden/<Name>.v<version>.json}.
 */
public final class EventTypes {

    private static final List<EventType> ALL = List.of(
            new EventType("KeyCreated", 1, Topics.KEYS, KeyCreated.class),
            new EventType("KeyRotated", 1, Topics.KEYS, KeyRotated.class),
            new EventType("KeyRevoked", 1, Topics.KEYS, KeyRevoked.class),
            new EventType("KeyExpiring", 1, Topics.KEYS, KeyExpiring.class),
            new EventType("ProviderKeyUpdated", 1, Topics.KEYS, ProviderKeyUpdated.class),
            new EventType("PoolSecretRotated", 1, Topics.KEYS, PoolSecretRotated.class),
            new EventType("PoolSecretDestroyed", 1, Topics.KEYS, PoolSecretDestroyed.class),
            new EventType("TokenRefreshed", 1, Topics.TOKENS, TokenRefreshed.class),
            new EventType("TokenRefreshFailed", 1, Topics.TOKENS, TokenRefreshFailed.class),
            new EventType("GrantRevoked", 1, Topics.TOKENS, GrantRevoked.class),
            new EventType("TokenIssued", 1, Topics.TOKENS, TokenIssued.class),
            new EventType("TokenRevoked", 1, Topics.TOKENS, TokenRevoked.class),
            new EventType("CredentialCreated", 1, Topics.CREDENTIALS, CredentialCreated.class),
            new EventType("CredentialRotated", 1, Topics.CREDENTIALS, CredentialRotated.class),
            new EventType("CredentialRevoked", 1, Topics.CREDENTIALS, CredentialRevoked.class),
            new EventType("CredentialUpdated", 1, Topics.CREDENTIALS, CredentialUpdated.class),
            new EventType("CredentialExpiring", 1, Topics.CREDENTIALS, CredentialExpiring.class),
            // resource pools (sync-service)
            new EventType("SyncCompleted", 1, Topics.POOLS, SyncCompleted.class),
            new EventType("PoolHealthChanged", 1, Topics.POOLS, PoolHealthChanged.class),
            new EventType("PriceProtectionTriggered", 1, Topics.POOLS, PriceProtectionTriggered.class));

    private static final Map<String, EventType> BY_NAME = new HashMap<>();
    private static final Map<Class<?>, EventType> BY_CLASS = new HashMap<>();

    static {
        for (EventType type : ALL) {
            if (BY_NAME.put(type.name(), type) != null || BY_CLASS.put(type.payloadClass(), type) != null) {
                throw new IllegalStateException("event type registered twice: " + type);
            }
        }
    }

    private EventTypes() {
    }

    /** The registered type of a payload class; IllegalArgumentException if it is not registered. */
    public static EventType of(Class<? extends DomainEvent> payloadClass) {
        EventType type = BY_CLASS.get(payloadClass);
        if (type == null) {
            throw new IllegalArgumentException("no event type registered for " + payloadClass.getName()
                    + "; add it to " + EventTypes.class.getName());
        }
        return type;
    }

    public static Optional<EventType> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** Every registered type, in registration order. */
    public static List<EventType> all() {
        return ALL;
    }
}
