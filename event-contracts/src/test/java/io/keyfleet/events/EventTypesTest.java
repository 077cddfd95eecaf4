package io.keyfleet.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventTypesTest {

    static List<EventType> types() {
        return EventTypes.all();
    }

    @Test
    void lookups() {
        EventType keyCreated = EventTypes.of(KeyCreated.class);
        assertEquals(new EventType("KeyCreated", 1, Topics.KEYS, KeyCreated.class), keyCreated);
        assertEquals(Optional.of(keyCreated), EventTypes.byName("KeyCreated"));
        assertEquals(Optional.empty(), EventTypes.byName("keyCreated"));
        assertEquals(Optional.empty(), EventTypes.byName("NoSuchEvent"));
        assertEquals(20, EventTypes.all().size());
        assertThrows(UnsupportedOperationException.class, () -> EventTypes.all().clear());
    }

    @Test
    void unregisteredClassIsRefused() {
        record Stray(String aggregateId) implements DomainEvent {
        }
        assertThrows(IllegalArgumentException.class, () -> EventTypes.of(Stray.class));
    }

    @Test
    void topics() {
        assertEquals(List.of("keyfleet.keys.v1", "keyfleet.tokens.v1", "keyfleet.credentials.v1", "keyfleet.pools.v1"), Topics.all());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void typeFollowsTheConventions(EventType type) {
        Class<?> payload = type.payloadClass();
        assertTrue(type.name().matches("[A-Z][A-Za-z0-9]+"), "PascalCase name: " + type.name());
        assertEquals(payload.getSimpleName(), type.name(), "name = record name");
        assertTrue(Topics.all().contains(type.topic()), "known topic: " + type.topic());
        assertTrue(payload.isRecord(), type.name() + " must be a record");
        JsonIgnoreProperties ignore = payload.getAnnotation(JsonIgnoreProperties.class);
        assertNotNull(ignore, type.name() + " needs @JsonIgnoreProperties(ignoreUnknown = true)");
        assertTrue(ignore.ignoreUnknown(), type.name() + " needs @JsonIgnoreProperties(ignoreUnknown = true)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("types")
    void aggregateIdIsTheFirstComponent(EventType type) throws Exception {
        DomainEvent example = GoldenFilesTest.expected(type).payload();
        Object first = type.payloadClass().getRecordComponents()[0].getAccessor().invoke(example);
        assertEquals(first, example.aggregateId());
    }

    @Test
    void recordsRefuseMissingRequiredFields() {
        assertEquals("keyId is required", assertThrows(NullPointerException.class,
                () -> new KeyCreated(null, "ALIPAY", "app", "SANDBOX", 1, "RSA_2048", "ab", "AAAA", false)).getMessage());
        assertEquals("appId must not be blank", assertThrows(IllegalArgumentException.class,
                () -> new KeyCreated("k", "ALIPAY", " ", "SANDBOX", 1, "RSA_2048", "ab", "AAAA", false)).getMessage());
        assertEquals("newVersion must be >= 3 but was 2", assertThrows(IllegalArgumentException.class,
                () -> new KeyRotated("k", "ALIPAY", "app", "SANDBOX", 2, 2, "RSA_2048", "ab", "AAAA", Instant.EPOCH)).getMessage());
        assertEquals("previousValidUntil is required", assertThrows(NullPointerException.class,
                () -> new CredentialRotated("cred_1", 2, null)).getMessage());
        assertEquals("scopes is required", assertThrows(NullPointerException.class,
                () -> new CredentialCreated("cred_1", "API_KEY", null)).getMessage());
        assertEquals("version must be >= 0 but was -1", assertThrows(IllegalArgumentException.class,
                () -> new KeyRevoked("k", -1, "r")).getMessage());
        assertTrue(new KeyRevoked("k", 0, "r").allVersions());
    }

    @Test
    void optionalFieldsMayBeNull() {
        new TokenRefreshed("grt_1", "ALIPAY", "app", "m", 1, null, null);
        new TokenRefreshFailed("grt_1", "ALIPAY", "app", "m", 1, "invalid_grant", false, null);
        new ProviderKeyUpdated("pk_1", "ANTOM", "SANDBOX", 1, "ab", "AAAA", null, null);
    }
}
