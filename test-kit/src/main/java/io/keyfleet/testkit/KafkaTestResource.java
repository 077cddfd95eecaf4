package io.keyfleet.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * A real Kafka broker for {@code @QuarkusTest}s. One broker per test JVM, started by the first test class that needs
 * it and stopped when the JVM exits.
 *
 * <p>Use it from a service test:
 * <pre>{@code
 * @QuarkusTest
 * @WithTestResource(KafkaTestResource.class)
 * class KeyEventsTest { ... }
 * }</pre>
 *
 * <p>A test may take the broker away and bring it back on the same address and with the same topics, e.g. to check
 * that the outbox relay catches up: {@code KafkaTestResource.broker().stop(); ... KafkaTestResource.broker().start();}.
 * A broker left stopped by a failed test is started again for the next test class.
 *
 * <p>It supplies {@code kafka.bootstrap.servers} and turns Kafka Dev Services off.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    private static final Broker BROKER = new Broker();

    @Override
    public Map<String, String> start() {
        return Map.of(
                "kafka.bootstrap.servers", (String) JvmWideServers.call("startKafka"),
                "quarkus.kafka.devservices.enabled", "false");
    }

    /** Nothing to do: the one broker of this JVM is shared by all test classes and stops when the JVM exits. */
    @Override
    public void stop() {
    }

    /** Controls the broker of this test JVM. */
    public static Broker broker() {
        return BROKER;
    }

    /** The broker of this test JVM, as a test sees it: it can be stopped and started again on the same address. */
    public static final class Broker {

        private Broker() {
        }

        /** Stops the broker (graceful, then forced after 10 s); returns once its port is free. */
        public void stop() {
            JvmWideServers.call("stopKafka");
        }

        /** Starts the broker again on the same address and data; returns once it answers. No-op if it is running. */
        public void start() {
            JvmWideServers.call("startKafka");
        }

        public boolean isRunning() {
            return (Boolean) JvmWideServers.call("isKafkaRunning");
        }

        /** {@code 127.0.0.1:<port>}, the same across stop and start. */
        public String bootstrapServers() {
            return (String) JvmWideServers.call("kafkaBootstrapServers");
        }
    }
}
