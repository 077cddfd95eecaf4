package io.keyfleet.keys.support;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.Topics;
import io.keyfleet.testkit.KafkaClients;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/** Reads key events from the real broker, as another service would. */
public final class KeyEvents {

    private KeyEvents() {
    }

    /**
     * Waits until the key's events include {@code until}, and returns them all in topic order, with anything else the
     * topic held for the key by then.
     */
    public static List<EventEnvelope> of(String bootstrapServers, String keyId, Predicate<List<EventEnvelope>> until) {
        return KafkaClients.readUntil(bootstrapServers, Topics.KEYS, keyId, EventCodec::decode, until, Duration.ofSeconds(120));
    }

    public static Predicate<List<EventEnvelope>> atLeast(int count) {
        return events -> events.size() >= count;
    }
}
