package io.keyfleet.events;

import java.util.Objects;

/** A registered event type: wire name (PascalCase), schema version, topic, payload record. */
public record EventType(String name, int schemaVersion, String topic, Class<? extends DomainEvent> payloadClass) {

    public EventType {
        Checks.text(name, "name");
        Checks.atLeast(schemaVersion, 1, "schemaVersion");
        Checks.text(topic, "topic");
        Objects.requireNonNull(payloadClass, "payloadClass is required");
    }
}
