package io.keyfleet.keys.support;

import static org.awaitility.Awaitility.await;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads key events from the real broker, as another service would. */
public final class KeyEvents {

    private KeyEvents() {
    }

    /** Waits until the key's events include {@code until}, and returns them all in topic order. */
    public static List<EventEnvelope> of(String bootstrapServers, String keyId, Predicate<List<EventEnvelope>> until) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", "key-service-test-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        List<EventEnvelope> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
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
