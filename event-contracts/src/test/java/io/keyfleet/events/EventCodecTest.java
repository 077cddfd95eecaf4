package io.keyfleet.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventCodecTest {

    private static final EventType KEY_CREATED = EventTypes.of(KeyCreated.class);

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"eventId\": ", "{} trailing", "{'single': 'quotes'}"})
    void notJsonIsMalformed(String input) {
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> EventCodec.decode(input));
        assertTrue(e.getMessage().startsWith("event is not valid JSON"), e.getMessage());
    }

    @Test
    void emptyOrNonObjectInputIsMalformed() {
        assertMessage(() -> EventCodec.decode(null), "event is empty");
        assertMessage(() -> EventCodec.decode("  "), "event is empty");
        assertMessage(() -> EventCodec.decode("[1, 2]"), "event must be a JSON object but was ARRAY");
        assertMessage(() -> EventCodec.decode("42"), "event must be a JSON object but was NUMBER");
    }

    @Test
    void missingEventIdIsMalformed() throws IOException {
        ObjectNode json = golden();
        json.remove("eventId");
        assertMessage(() -> EventCodec.decode(json.toString()), "event: required envelope field 'eventId' is missing");
        json.putNull("eventId");
        assertMessage(() -> EventCodec.decode(json.toString()), "event: required envelope field 'eventId' is missing");
        json.put("eventId", "evt-42");
        assertMessage(() -> EventCodec.decode(json.toString()), "event: 'eventId' must be a UUID but was 'evt-42'");
    }

    @Test
    void missingTypeIsMalformed() throws IOException {
        ObjectNode json = golden();
        json.remove("type");
        assertMessage(() -> EventCodec.decode(json.toString()),
                "event 6f1c2a5e-3b7d-4e0a-9c42-8d5e1f7a2b90: required envelope field 'type' is missing");
        json.put("type", 7);
        assertMessage(() -> EventCodec.decode(json.toString()),
                "event 6f1c2a5e-3b7d-4e0a-9c42-8d5e1f7a2b90: 'type' must be a non-blank string but was 7");
    }

    @Test
    void everyOtherEnvelopeFieldIsRequiredToo() throws IOException {
        for (String field : List.of("schemaVersion", "tenantId", "aggregateId", "occurredAt", "payload")) {
            ObjectNode json = golden();
            json.remove(field);
            assertMessage(() -> EventCodec.decode(json.toString()),
                    "event 6f1c2a5e-3b7d-4e0a-9c42-8d5e1f7a2b90 (KeyCreated): required envelope field '" + field + "' is missing");
        }
    }

    @Test
    void badEnvelopeValuesAreNamed() throws IOException {
        String where = "event 6f1c2a5e-3b7d-4e0a-9c42-8d5e1f7a2b90 (KeyCreated): ";
        ObjectNode json = golden();
        json.put("schemaVersion", "1");
        assertMessage(() -> EventCodec.decode(json.toString()), where + "'schemaVersion' must be a positive integer but was \"1\"");
        json.put("schemaVersion", 0);
        assertMessage(() -> EventCodec.decode(json.toString()), where + "'schemaVersion' must be a positive integer but was 0");
        json.put("schemaVersion", 1).put("tenantId", " ");
        assertMessage(() -> EventCodec.decode(json.toString()), where + "'tenantId' must be a non-blank string but was \" \"");
        json.put("tenantId", "t").put("occurredAt", 1773480413);
        assertMessage(() -> EventCodec.decode(json.toString()), where + "'occurredAt' must be a non-blank string but was 1773480413");
        json.put("occurredAt", "14.03.2026 09:26");
        assertMessage(() -> EventCodec.decode(json.toString()),
                where + "'occurredAt' must be an ISO-8601 instant like 2026-01-15T09:30:00Z but was '14.03.2026 09:26'");
        json.put("occurredAt", "2026-03-14T09:26:53Z").put("payload", "{}");
        assertMessage(() -> EventCodec.decode(json.toString()), where + "'payload' must be a JSON object but was STRING");
    }

    @Test
    void askingForThePayloadOfAnotherTypeIsMalformed() throws IOException {
        EventEnvelope rotated = EventCodec.decode(GoldenFilesTest.golden(EventTypes.of(KeyRotated.class)));
        assertMessage(() -> EventCodec.payload(rotated, KeyCreated.class),
                "event a2d94c07-5e18-4f6b-b3a1-0c7e92d4f516 has type 'KeyRotated'; cannot read it as KeyCreated");
    }

    @Test
    void askingForThePayloadOfAnUnknownTypeIsMalformed() throws IOException {
        ObjectNode json = golden();
        json.put("type", "KeyTeleported");
        EventEnvelope envelope = EventCodec.decode(json.toString()); // the envelope itself is readable
        assertMessage(() -> EventCodec.payload(envelope, KeyCreated.class), "event 6f1c2a5e-3b7d-4e0a-9c42-8d5e1f7a2b90 has type "
                + "'KeyTeleported', which is not a registered event type; cannot read it as KeyCreated");
        assertMessage(() -> EventCodec.payload(envelope),
                "event 6f1c2a5e-3b7d-4e0a-9c42-8d5e1f7a2b90 has type 'KeyTeleported', which is not a registered event type");
        assertMessage(envelope::topic, "unknown event type 'KeyTeleported' (event 6f1c2a5e-3b7d-4e0a-9c42-8d5e1f7a2b90)");
    }

    @Test
    void anotherSchemaVersionIsMalformed() throws IOException {
        ObjectNode json = golden();
        json.put("schemaVersion", 2);
        EventEnvelope envelope = EventCodec.decode(json.toString());
        assertMessage(() -> EventCodec.payload(envelope, KeyCreated.class),
                "event 6f1c2a5e-3b7d-4e0a-9c42-8d5e1f7a2b90 is KeyCreated schema version 2; this reader knows version 1");
    }

    @Test
    void invalidPayloadsNameTheField() throws IOException {
        String prefix = "event 6f1c2a5e-3b7d-4e0a-9c42-8d5e1f7a2b90: payload is not a valid KeyCreated v1: ";
        ObjectNode json = golden();
        ((ObjectNode) json.get("payload")).remove("keyId");
        EventEnvelope noKeyId = EventCodec.decode(json.toString());
        assertMessage(() -> EventCodec.payload(noKeyId, KeyCreated.class), prefix + "keyId is required");

        json = golden();
        ((ObjectNode) json.get("payload")).remove("version"); // must not silently become 0
        EventEnvelope noVersion = EventCodec.decode(json.toString());
        assertMessage(() -> EventCodec.payload(noVersion, KeyCreated.class), prefix + "version is required");

        json = golden();
        ((ObjectNode) json.get("payload")).putNull("canSign"); // must not silently become false
        EventEnvelope nullCanSign = EventCodec.decode(json.toString());
        assertMessage(() -> EventCodec.payload(nullCanSign, KeyCreated.class), prefix + "canSign is required");

        json = golden();
        ((ObjectNode) json.get("payload")).put("version", "one");
        EventEnvelope textVersion = EventCodec.decode(json.toString());
        MalformedEventException e = assertThrows(MalformedEventException.class, () -> EventCodec.payload(textVersion, KeyCreated.class));
        assertTrue(e.getMessage().startsWith(prefix + "field 'version': "), e.getMessage());
    }

    @Test
    void mapperWritesIsoInstantsAndOmitsNulls() {
        TokenRefreshed noExpiry = new TokenRefreshed("grt_1", "ALIPAY", "app_1", "m_1", 1, null, null);
        JsonNode json = EventCodec.toJsonNode(noExpiry);
        assertFalse(json.has("accessExpiresAt"));
        assertFalse(json.has("refreshExpiresAt"));
        assertEquals(5, json.size());

        JsonNode withExpiry = EventCodec.toJsonNode(
                new TokenRefreshed("grt_1", "ALIPAY", "app_1", "m_1", 1, Instant.parse("2026-03-15T11:00:07.250Z"), null));
        assertEquals("2026-03-15T11:00:07.250Z", withExpiry.get("accessExpiresAt").textValue());
    }

    @Test
    void nullablePayloadFieldsRoundTripAsNull() {
        EventEnvelope envelope = EventEnvelope.wrap("t1",
                new ProviderKeyUpdated("pk_1", "ANTOM", "SANDBOX", 1, "ab", "AAAA", null, null), Instant.now());
        ProviderKeyUpdated back = EventCodec.payload(EventCodec.decode(EventCodec.encode(envelope)), ProviderKeyUpdated.class);
        assertEquals(null, back.previousVersion());
        assertEquals(null, back.previousValidUntil());
    }

    @Test
    void headersCarryIdTypeVersionAndTenant() {
        EventEnvelope envelope = new EventEnvelope(UUID.fromString("6f1c2a5e-3b7d-4e0a-9c42-8d5e1f7a2b90"), "GrantRevoked", 1,
                "t1", "grt_1", Instant.parse("2026-03-14T09:26:53Z"), EventCodec.toJsonNode(new GrantRevoked("grt_1", "gone")));
        assertEquals(Map.of(
                EventHeaders.EVENT_ID, "6f1c2a5e-3b7d-4e0a-9c42-8d5e1f7a2b90",
                EventHeaders.TYPE, "GrantRevoked",
                EventHeaders.SCHEMA_VERSION, "1",
                EventHeaders.TENANT_ID, "t1"), EventHeaders.of(envelope));
    }

    private static ObjectNode golden() throws IOException {
        return (ObjectNode) EventCodec.mapper().readTree(GoldenFilesTest.golden(KEY_CREATED));
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String message) {
        MalformedEventException e = assertThrows(MalformedEventException.class, call);
        assertEquals(message, e.getMessage());
    }
}
