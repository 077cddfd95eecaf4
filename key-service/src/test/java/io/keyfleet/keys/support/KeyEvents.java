package io.keyfleet.keys.support;

import static org.awaitility.Awaitility.await;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.Topics;
import io.keyfleet.testkit.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/** Reads key events from the real broker, as another service would. */
public final class KeyEvents {

    private KeyEvents() {
    }

    /** Waits until the key's events include {@code until}, and returns them all in topic order. */
    public static List<EventEnvelope> of(String bootstrapServers, String keyId, Predicate<List<EventEnvelope>> until) {
        List<EventEnvelope> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumerFromStart(bootstrapServers)) {
            consumer.subscribe(List.of(Topics.KEYS));
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (keyId.equals(record.key())) {
                        found.add(EventCodec.decode(record.value()));
                    }
                }
                return until.test(found);
            });
        }
        return found;
    }

    public static Predicate<List<EventEnvelope>> atLeast(int count) {
        return events -> events.size() >= count;
    }
}
