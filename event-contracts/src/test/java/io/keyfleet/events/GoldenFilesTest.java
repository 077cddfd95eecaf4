package io.keyfleet.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The golden files pin the wire format of every registered event type. */
class GoldenFilesTest {

    static List<EventType> types() {
        return EventTypes.all();
    }

    @Test
    void everyRegisteredTypeHasAGoldenFile() {
        List<String> missing = EventTypes.all().stream()
                .map(Examples::goldenPath)
                .filter(path -> getClass().getClassLoader().getResource(path) == null)
                .toList();
        assertEquals(List.of(), missing, "every registered event type needs src/test/resources/<path>");
    }

    @Test
    void everyGoldenFileIsARegisteredType() throws IOException, URISyntaxException {
        Path dir = Path.of(getClass().getClassLoader().getResource("golden").toURI());
        Set<String> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.map(p -> "golden/" + p.getFileName()).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> registered = EventTypes.all().stream().map(Examples::goldenPath).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(registered, files);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void goldenDecodesToTheExpectedRecord(EventType type) throws IOException {
        Examples.Golden expected = expected(type);
        EventEnvelope envelope = EventCodec.decode(golden(type));

        assertEquals(expected.eventId(), envelope.eventId());
        assertEquals(type.name(), envelope.type());
        assertEquals(type.schemaVersion(), envelope.schemaVersion());
        assertEquals(Examples.TENANT, envelope.tenantId());
        assertEquals(expected.payload().aggregateId(), envelope.aggregateId());
        assertEquals(expected.occurredAt(), envelope.occurredAt());
        assertEquals(type.topic(), envelope.topic());
        assertEquals(expected.payload(), EventCodec.payload(envelope, type.payloadClass()));
        assertEquals(expected.payload(), EventCodec.payload(envelope));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void theRecordEncodesToExactlyTheGolden(EventType type) throws IOException {
        Examples.Golden expected = expected(type);
        JsonNode golden = EventCodec.mapper().readTree(golden(type));
        EventEnvelope fromRecord = new EventEnvelope(expected.eventId(), type.name(), type.schemaVersion(), Examples.TENANT,
                expected.payload().aggregateId(), expected.occurredAt(), EventCodec.toJsonNode(expected.payload()));

        assertEquals(golden, EventCodec.mapper().readTree(EventCodec.encode(fromRecord)),
                "the wire format of " + type.name() + " changed: bump its schemaVersion or fix the record");
        assertEquals(golden, EventCodec.mapper().readTree(EventCodec.encode(EventCodec.decode(golden(type)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void unknownFieldsInEnvelopeAndPayloadAreIgnored(EventType type) throws IOException {
        ObjectNode json = (ObjectNode) EventCodec.mapper().readTree(golden(type));
        json.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        json.putObject("producer").put("service", "key-service").put("build", 417);
        ObjectNode payload = (ObjectNode) json.get("payload");
        payload.put("addedInALaterRelease", "2026-06-01T00:00:00Z");
        payload.putArray("labels").add("blue").add("green");
        payload.putObject("nested").put("depth", 1);

        EventEnvelope envelope = EventCodec.decode(json.toString());

        assertEquals(expected(type).payload(), EventCodec.payload(envelope, type.payloadClass()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void publicKeysInGoldensMatchTheirFingerprints(EventType type) throws Exception {
        JsonNode payload = EventCodec.mapper().readTree(golden(type)).get("payload");
        if (!payload.has("publicKey")) {
            return;
        }
        byte[] der = Base64.getDecoder().decode(payload.get("publicKey").textValue());
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        assertEquals(sha256, payload.get("fingerprint").textValue());
    }

    @Test
    void goldensArePrettyPrinted() throws IOException {
        for (EventType type : EventTypes.all()) {
            assertTrue(golden(type).startsWith("{\n  \"eventId\""), type.name() + " golden is not pretty-printed");
        }
    }

    static Examples.Golden expected(EventType type) {
        Examples.Golden expected = Examples.BY_TYPE.get(type.name());
        assertNotNull(expected, "add the expected content of " + type.name() + " to Examples");
        return expected;
    }

    static String golden(EventType type) throws IOException {
        try (InputStream in = GoldenFilesTest.class.getClassLoader().getResourceAsStream(Examples.goldenPath(type))) {
            assertNotNull(in, "missing golden file " + Examples.goldenPath(type));
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
