package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The wire envelope of every event. Read and write it with {@link EventCodec}; the payload stays a
 * JSON tree until {@link EventCodec#payload(EventEnvelope, Class)} turns it into its record.
 */
@JsonPropertyOrder({"eventId", "type", "schemaVersion", "tenantId", "aggregateId", "occurredAt", "payload"})
public record EventEnvelope(UUID eventId, String type, int schemaVersion, String tenantId,
                            String aggregateId, Instant occurredAt, JsonNode payload) {

    public EventEnvelope {
        Objects.requireNonNull(eventId, "eventId is required");
        Checks.text(type, "type");
        Checks.atLeast(schemaVersion, 1, "schemaVersion");
        Checks.text(tenantId, "tenantId");
        Checks.text(aggregateId, "aggregateId");
        Objects.requireNonNull(occurredAt, "occurredAt is required");
        Objects.requireNonNull(payload, "payload is required");
        if (!payload.isObject()) {
            throw new IllegalArgumentException("payload must be a JSON object but was " + payload.getNodeType());
        }
    }

    /** Wraps a registered event with a random event id; type, schema version and aggregate id come from the event. */
    public static EventEnvelope wrap(String tenantId, DomainEvent event, Instant occurredAt) {
        Objects.requireNonNull(event, "event is required");
        EventType type = EventTypes.of(event.getClass());
        return new EventEnvelope(UUID.randomUUID(), type.name(), type.schemaVersion(), tenantId,
                event.aggregateId(), occurredAt, EventCodec.toJsonNode(event));
    }

    /** The topic of this envelope's type; MalformedEventException if the type is not registered. */
    @JsonIgnore
    public String topic() {
        return EventTypes.byName(type)
                .map(EventType::topic)
                .orElseThrow(() -> new MalformedEventException("unknown event type '" + type + "' (event " + eventId + ")"));
    }
}
