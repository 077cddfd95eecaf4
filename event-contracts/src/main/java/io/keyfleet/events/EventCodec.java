package io.keyfleet.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/** Reads and writes events as JSON. All of Keyfleet's event JSON goes through {@link #mapper()}. */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)      // instants as ISO-8601 text
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)   // tolerant reader
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)   // a missing int/boolean is an error, not 0/false
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL, JsonInclude.Include.NON_NULL))
            .build();

    private EventCodec() {
    }

    /** The one configured mapper. Shared: use it, never reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String encode(EventEnvelope envelope) {
        Objects.requireNonNull(envelope, "envelope is required");
        try {
            return MAPPER.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode event " + envelope.eventId(), e);
        }
    }

    /** Parses an envelope; the payload stays JSON. MalformedEventException on bad JSON or a missing/invalid envelope field. */
    public static EventEnvelope decode(String json) {
        if (json == null || json.isBlank()) {
            throw new MalformedEventException("event is empty");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new MalformedEventException("event is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedEventException("event must be a JSON object but was " + (root == null ? "empty" : root.getNodeType()));
        }
        String eventIdText = text(root, "eventId", "event");
        UUID eventId;
        try {
            eventId = UUID.fromString(eventIdText);
        } catch (IllegalArgumentException e) {
            throw new MalformedEventException("event: 'eventId' must be a UUID but was '" + eventIdText + "'", e);
        }
        String where = "event " + eventId;
        String type = text(root, "type", where);
        where = "event " + eventId + " (" + type + ")";
        JsonNode version = root.get("schemaVersion");
        if (isMissing(version)) {
            throw missing("schemaVersion", where);
        }
        if (!version.isInt() || version.intValue() < 1) {
            throw new MalformedEventException(where + ": 'schemaVersion' must be a positive integer but was " + version);
        }
        String tenantId = text(root, "tenantId", where);
        String aggregateId = text(root, "aggregateId", where);
        String occurredAtText = text(root, "occurredAt", where);
        Instant occurredAt;
        try {
            occurredAt = Instant.parse(occurredAtText);
        } catch (DateTimeParseException e) {
            throw new MalformedEventException(where + ": 'occurredAt' must be an ISO-8601 instant like 2026-01-15T09:30:00Z but was '"
                    + occurredAtText + "'", e);
        }
        JsonNode payload = root.get("payload");
        if (isMissing(payload)) {
            throw missing("payload", where);
        }
        if (!payload.isObject()) {
            throw new MalformedEventException(where + ": 'payload' must be a JSON object but was " + payload.getNodeType());
        }
        return new EventEnvelope(eventId, type, version.intValue(), tenantId, aggregateId, occurredAt, payload);
    }

    /**
     * The payload as its record. MalformedEventException if the envelope's type or schema version is not the one
     * registered for {@code type}, or the payload does not fit the record.
     */
    public static <T extends DomainEvent> T payload(EventEnvelope e, Class<T> type) {
        EventType expected = EventTypes.of(type);
        if (!expected.name().equals(e.type())) {
            String unknown = EventTypes.byName(e.type()).isEmpty() ? ", which is not a registered event type" : "";
            throw new MalformedEventException("event " + e.eventId() + " has type '" + e.type() + "'" + unknown
                    + "; cannot read it as " + expected.name());
        }
        if (expected.schemaVersion() != e.schemaVersion()) {
            throw new MalformedEventException("event " + e.eventId() + " is " + e.type() + " schema version " + e.schemaVersion()
                    + "; this reader knows version " + expected.schemaVersion());
        }
        try {
            return MAPPER.treeToValue(e.payload(), type);
        } catch (JsonProcessingException | IllegalArgumentException ex) {
            throw new MalformedEventException("event " + e.eventId() + ": payload is not a valid " + expected.name()
                    + " v" + expected.schemaVersion() + ": " + reason(ex), ex);
        }
    }

    /** The payload as the record registered for the envelope's type; MalformedEventException if the type is unknown. */
    public static DomainEvent payload(EventEnvelope e) {
        EventType type = EventTypes.byName(e.type()).orElseThrow(() -> new MalformedEventException(
                "event " + e.eventId() + " has type '" + e.type() + "', which is not a registered event type"));
        return payload(e, type.payloadClass());
    }

    public static JsonNode toJsonNode(DomainEvent event) {
        Objects.requireNonNull(event, "event is required");
        return MAPPER.valueToTree(event);
    }

    private static String text(JsonNode root, String field, String where) {
        JsonNode node = root.get(field);
        if (isMissing(node)) {
            throw missing(field, where);
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            throw new MalformedEventException(where + ": '" + field + "' must be a non-blank string but was " + node);
        }
        return node.textValue();
    }

    private static boolean isMissing(JsonNode node) {
        return node == null || node.isNull();
    }

    private static MalformedEventException missing(String field, String where) {
        return new MalformedEventException(where + ": required envelope field '" + field + "' is missing");
    }

    private static String reason(Exception ex) {
        if (!(ex instanceof JsonMappingException jme)) {
            return ex.getMessage();
        }
        // a compact constructor refused the values: its message says which field and why
        String message = jme.getCause() instanceof RuntimeException cause && cause.getMessage() != null
                ? cause.getMessage()
                : jme.getOriginalMessage();
        String path = jme.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
        if (path.isEmpty()) {
            return message;
        }
        // FAIL_ON_NULL_FOR_PRIMITIVES: a missing or null int/boolean
        return message.startsWith("Cannot map `null` into type") ? path + " is required" : "field '" + path + "': " + message;
    }
}
