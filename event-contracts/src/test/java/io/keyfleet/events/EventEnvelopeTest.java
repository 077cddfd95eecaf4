package io.keyfleet.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventEnvelopeTest {

    private static final Instant NOW = Instant.parse("2026-03-14T09:26:53.589Z");

    @Test
    void wrapTakesTypeVersionAggregateAndTopicFromTheRegistry() {
        KeyRevoked event = new KeyRevoked("key_1", KeyRevoked.ALL_VERSIONS, "compromised");
        EventEnvelope envelope = EventEnvelope.wrap("tnt_1", event, NOW);

        assertEquals("KeyRevoked", envelope.type());
        assertEquals(1, envelope.schemaVersion());
        assertEquals("key_1", envelope.aggregateId());
        assertEquals(Topics.KEYS, envelope.topic());
        assertEquals("tnt_1", envelope.tenantId());
        assertEquals(NOW, envelope.occurredAt());
        assertEquals(EventCodec.toJsonNode(event), envelope.payload());
        assertEquals(event, EventCodec.payload(envelope, KeyRevoked.class));
    }

    @Test
    void wrapPicksTheTopicOfEachFamily() {
        assertEquals(Topics.TOKENS, EventEnvelope.wrap("t", new GrantRevoked("grt_1", "r"), NOW).topic());
        assertEquals(Topics.CREDENTIALS, EventEnvelope.wrap("t", new CredentialRevoked("cred_1", "r"), NOW).topic());
        assertEquals("grt_1", EventEnvelope.wrap("t", new GrantRevoked("grt_1", "r"), NOW).aggregateId());
    }

    @Test
    void wrapGivesEveryEventARandomId() {
        GrantRevoked event = new GrantRevoked("grt_1", "merchant withdrew");
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            UUID id = EventEnvelope.wrap("t", event, NOW).eventId();
            assertEquals(4, id.version());
            ids.add(id);
        }
        assertEquals(1000, ids.size());
        assertNotEquals(EventEnvelope.wrap("t", event, NOW), EventEnvelope.wrap("t", event, NOW));
    }

    @Test
    void wrapRefusesUnregisteredEvents() {
        record Unregistered(String aggregateId) implements DomainEvent {
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventEnvelope.wrap("t", new Unregistered("x"), NOW));
        assertTrue(e.getMessage().startsWith("no event type registered for "), e.getMessage());
    }

    @Test
    void envelopeRequiresItsFields() {
        var payload = JsonNodeFactory.instance.objectNode();
        UUID id = UUID.randomUUID();
        assertEquals("tenantId is required",
                assertThrows(NullPointerException.class, () -> EventEnvelope.wrap(null, new GrantRevoked("g", "r"), NOW)).getMessage());
        assertEquals("occurredAt is required",
                assertThrows(NullPointerException.class, () -> EventEnvelope.wrap("t", new GrantRevoked("g", "r"), null)).getMessage());
        assertEquals("payload must be a JSON object but was ARRAY", assertThrows(IllegalArgumentException.class,
                () -> new EventEnvelope(id, "T", 1, "t", "a", NOW, JsonNodeFactory.instance.arrayNode())).getMessage());
        assertEquals("schemaVersion must be >= 1 but was 0",
                assertThrows(IllegalArgumentException.class, () -> new EventEnvelope(id, "T", 0, "t", "a", NOW, payload)).getMessage());
    }

    @Test
    void encodedEnvelopeHasNoTopicField() {
        EventEnvelope envelope = EventEnvelope.wrap("t", new GrantRevoked("g", "r"), NOW);
        String json = EventCodec.encode(envelope);
        assertTrue(json.startsWith("{\"eventId\":\"" + envelope.eventId() + "\",\"type\":\"GrantRevoked\",\"schemaVersion\":1,"), json);
        assertTrue(!json.contains("topic"), json);
        assertEquals(envelope, EventCodec.decode(json));
    }
}
