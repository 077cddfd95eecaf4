package io.keyfleet.signing.signature;

import io.keyfleet.events.DomainEvent;
import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.EventHeaders;
import io.keyfleet.testkit.KafkaClients;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Publishes an event straight to the broker as key-service's outbox relay would: the envelope as the value, the
 * aggregate id as the key, and the relay's headers. Anyone who can reach the broker can do the same.
 */
final class BrokerEvents {

    private BrokerEvents() {
    }

    static void publish(String bootstrapServers, String tenantId, DomainEvent event) throws Exception {
        publish(bootstrapServers, EventEnvelope.wrap(tenantId, event, Instant.now()));
    }

    static void publish(String bootstrapServers, EventEnvelope envelope) throws Exception {
        ProducerRecord<String, String> record = new ProducerRecord<>(envelope.topic(), envelope.aggregateId(), EventCodec.encode(envelope));
        EventHeaders.of(envelope).forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        try (KafkaProducer<String, String> producer = KafkaClients.producer(bootstrapServers)) {
            producer.send(record).get();
        }
    }
}
