package io.keyfleet.events;

import java.util.List;
import java.util.Map;

/**
 * Kafka topic names, and who may use each: the one service that writes it and the services that read it. Kafka ACLs
 * (the local broker's, docker-compose's and the Strimzi {@code KafkaUser}s) are made from these lists, so a topic
 * gets no second writer by accident. The record key is always the envelope's aggregate id.
 */
public final class Topics {

    public static final String KEYS = "keyfleet.keys.v1";
    public static final String TOKENS = "keyfleet.tokens.v1";
    public static final String CREDENTIALS = "keyfleet.credentials.v1";
    public static final String POOLS = "keyfleet.pools.v1";

    /** The services of the suite, by the names their Kafka users and service credentials carry. */
    public static final List<String> SERVICES = List.of("key-service", "signing-service", "token-service", "sync-service");

    private static final Map<String, String> WRITER = Map.of(
            KEYS, "key-service",
            TOKENS, "token-service",
            CREDENTIALS, "key-service",
            POOLS, "sync-service");

    private static final Map<String, List<String>> READERS = Map.of(
            KEYS, List.of("signing-service", "sync-service"),
            TOKENS, List.of(),
            // every service's verification cache follows credential changes
            CREDENTIALS, SERVICES,
            POOLS, List.of());

    private Topics() {
    }

    public static List<String> all() {
        return List.of(KEYS, TOKENS, CREDENTIALS, POOLS);
    }

    /** The one service allowed to write the topic. */
    public static String writer(String topic) {
        return require(WRITER.get(topic), topic);
    }

    /** The services allowed to read the topic (in consumer groups named after themselves). */
    public static List<String> readers(String topic) {
        return require(READERS.get(topic), topic);
    }

    /** The topics the service writes. */
    public static List<String> writtenBy(String service) {
        return all().stream().filter(topic -> WRITER.get(topic).equals(service)).toList();
    }

    /** The topics the service reads. */
    public static List<String> readBy(String service) {
        return all().stream().filter(topic -> READERS.get(topic).contains(service)).toList();
    }

    private static <T> T require(T value, String topic) {
        if (value == null) {
            throw new IllegalArgumentException("not a Keyfleet topic: " + topic);
        }
        return value;
    }
}
