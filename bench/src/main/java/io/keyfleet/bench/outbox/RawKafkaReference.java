package io.keyfleet.bench.outbox;

import io.keyfleet.bench.support.Joins;
import io.keyfleet.bench.support.Latencies;
import io.keyfleet.bench.support.Pacer;
import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.EventHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongFunction;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The floor the outbox adds to: a plain producer (idempotent, acks=all, the relay's settings) sends the same event
 * JSON at the same paced rate, a plain consumer polls it; latency is from just before {@code send} to just after
 * {@code poll} returned the record. No database on either side.
 */
final class RawKafkaReference {

    private static final String SEQ_HEADER = "bench-seq";
    private static final long PROBE = -1;

    record Result(Pacer.Result paced, long measuredSent, long received, long duplicates, Latencies latency) {
    }

    private RawKafkaReference() {
    }

    static Result run(String bootstrapServers, String topic, int rate, Duration warmUp, Duration measure, int threads,
                      LongFunction<EventEnvelope> events) {
        long total = (long) Math.floor(rate * (warmUp.toNanos() + measure.toNanos()) / 1e9);
        long warmUpCount = (long) Math.floor(rate * warmUp.toNanos() / 1e9);
        AtomicLongArray sentAt = new AtomicLongArray((int) total);
        AtomicLongArray receivedAt = new AtomicLongArray((int) total);
        AtomicLong received = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicBoolean probeArrived = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();

        Thread consumerThread = new Thread(() -> {
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig(bootstrapServers))) {
                consumer.subscribe(List.of(topic));
                while (!stop.get()) {
                    var records = consumer.poll(Duration.ofMillis(100));
                    long now = System.nanoTime();
                    for (ConsumerRecord<String, String> record : records) {
                        long seq = sequence(record);
                        if (seq == PROBE) {
                            probeArrived.set(true);
                        } else if (receivedAt.compareAndSet((int) seq, 0, now)) {
                            received.incrementAndGet();
                        } else {
                            duplicates.incrementAndGet();
                        }
                    }
                }
            }
        }, "raw-kafka-consumer");
        consumerThread.setDaemon(true);
        consumerThread.start();

        Pacer.Result paced;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(bootstrapServers))) {
            // until the consumer has its partitions and the producer its metadata
            boolean ready = Joins.until(() -> {
                producer.send(record(topic, events.apply(0), PROBE));
                return probeArrived.get();
            }, Duration.ofSeconds(60), Duration.ofMillis(250));
            if (!ready) {
                throw new IllegalStateException("The raw-Kafka consumer got nothing within 60 s");
            }
            paced = Pacer.run("raw-kafka", rate, warmUp.plus(measure), threads, i -> {
                ProducerRecord<String, String> record = record(topic, events.apply(i), i);
                sentAt.set((int) i, System.nanoTime());
                producer.send(record);
            });
            producer.flush();
            long expected = paced.executed();
            Joins.until(() -> received.get() >= expected, Duration.ofSeconds(30), Duration.ofMillis(20));
        } finally {
            stop.set(true);
            Joins.all(List.of(consumerThread), Duration.ofSeconds(10));
        }

        long[] latencies = new long[(int) (total - warmUpCount)];
        int n = 0;
        long measuredSent = 0;
        for (int i = (int) warmUpCount; i < total; i++) {
            if (sentAt.get(i) == 0) {
                continue;
            }
            measuredSent++;
            if (receivedAt.get(i) != 0) {
                latencies[n++] = receivedAt.get(i) - sentAt.get(i);
            }
        }
        return new Result(paced, measuredSent, received.get(), duplicates.get(), Latencies.ofNanos(java.util.Arrays.copyOf(latencies, n)));
    }

    private static ProducerRecord<String, String> record(String topic, EventEnvelope envelope, long seq) {
        ProducerRecord<String, String> record = new ProducerRecord<>(topic, envelope.aggregateId(), EventCodec.encode(envelope));
        EventHeaders.of(envelope).forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        record.headers().add(SEQ_HEADER, ByteBuffer.allocate(Long.BYTES).putLong(seq).array());
        return record;
    }

    private static long sequence(ConsumerRecord<String, String> record) {
        Header header = record.headers().lastHeader(SEQ_HEADER);
        return ByteBuffer.wrap(header.value()).getLong();
    }

    /** The outbox relay's producer settings (OutboxRelay#producer). */
    private static Properties producerConfig(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "bench-raw-producer");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }

    private static Properties consumerConfig(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-raw-consumer");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-raw-" + Instant.now().toEpochMilli());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return props;
    }
}
