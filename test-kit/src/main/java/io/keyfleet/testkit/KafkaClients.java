package io.keyfleet.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Plain Kafka clients for tests that act as another service would: publish raw records, or read a topic. Each takes
 * either the open broker's address or a whole client configuration, such as a user's of the secured broker
 * ({@link SecuredKafkaTestResource#clientConfig}).
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    public static KafkaProducer<String, String> producer(String bootstrapServers) {
        return producer(Map.of("bootstrap.servers", bootstrapServers));
    }

    public static KafkaProducer<String, String> producer(Map<String, String> config) {
        Properties props = new Properties();
        props.putAll(config);
        props.put("key.serializer", StringSerializer.class.getName());
        props.put("value.serializer", StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }

    /** A consumer in a group of its own that reads from the beginning. */
    public static KafkaConsumer<String, String> consumerFromStart(String bootstrapServers) {
        return consumerFromStart(Map.of("bootstrap.servers", bootstrapServers));
    }

    /** A consumer that reads from the beginning, in a group of its own unless {@code config} names one. */
    public static KafkaConsumer<String, String> consumerFromStart(Map<String, String> config) {
        Properties props = new Properties();
        props.put("group.id", "test-reader-" + UUID.randomUUID());
        props.putAll(config);
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    /**
     * Reads {@code topic} from the beginning and collects the records with key {@code key}, decoded, in topic order,
     * until {@code enough} holds for them; then reads on to the end the topic had at that moment, so that whatever
     * was published by then (a duplicate, say) is in the list too. Waits for the expected records, not for a number of
     * polls: fails only when {@code enough} does not hold within {@code deadline}.
     */
    public static <T> List<T> readUntil(String bootstrapServers, String topic, String key, Function<String, T> decode,
                                        Predicate<List<T>> enough, Duration deadline) {
        return readUntil(Map.of("bootstrap.servers", bootstrapServers), topic, key, decode, enough, deadline);
    }

    /** {@link #readUntil(String, String, String, Function, Predicate, Duration)} with the consumer's configuration. */
    public static <T> List<T> readUntil(Map<String, String> config, String topic, String key, Function<String, T> decode,
                                        Predicate<List<T>> enough, Duration deadline) {
        long until = System.nanoTime() + deadline.toNanos();
        List<T> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumerFromStart(config)) {
            consumer.subscribe(List.of(topic));
            while (!enough.test(found)) {
                if (System.nanoTime() - until > 0) {
                    throw new AssertionError("records of " + key + " on " + topic + " not there within " + deadline + "; found " + found);
                }
                poll(consumer, key, decode, found);
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
            while (end.entrySet().stream().anyMatch(partition -> consumer.position(partition.getKey()) < partition.getValue())) {
                if (System.nanoTime() - until > 0) {
                    throw new AssertionError("could not read " + topic + " to its end " + end + " within " + deadline);
                }
                poll(consumer, key, decode, found);
            }
        }
        return found;
    }

    private static <T> void poll(KafkaConsumer<String, String> consumer, String key, Function<String, T> decode, List<T> found) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            if (key.equals(record.key())) {
                found.add(decode.apply(record.value()));
            }
        }
    }

    /**
     * Whether consumer group {@code groupId} has committed, on every partition of {@code topic}, the partition's end
     * offset: it has consumed (and its consumer acknowledged) everything published to the topic so far. A positive
     * signal that a consumer had its chance to see every record, for tests that then check that something did
     * <em>not</em> happen.
     */
    public static boolean groupHasConsumedAll(String bootstrapServers, String groupId, String topic) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                    .all().get(30, TimeUnit.SECONDS);
            for (TopicPartition partition : partitions) {
                long end = ends.get(partition).offset();
                OffsetAndMetadata done = committed.get(partition);
                if (end > 0 && (done == null || done.offset() < end)) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not read the offsets of group " + groupId + " on " + topic, e);
        }
    }
}
