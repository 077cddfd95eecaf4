package io.keyfleet.localstack;

import io.keyfleet.events.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecuredKafkaBrokerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void eachServiceUsesOnlyItsOwnTopicsOverSaslSslAcrossARestart(@TempDir Path dataDir) throws Exception {
        KafkaBroker broker = KafkaBroker.startSecured(dataDir, 0);
        try {
            assertTrue(broker.isSecured());
            produce(broker, "key-service", Topics.KEYS, "written by its writer");
            assertEquals("written by its writer", readFirst(broker, "signing-service", "signing-service-test-" + UUID.randomUUID(), Topics.KEYS));

            ExecutionException notItsTopic = assertThrows(ExecutionException.class,
                    () -> produce(broker, "token-service", Topics.KEYS, "not token-service's topic"));
            assertInstanceOf(TopicAuthorizationException.class, notItsTopic.getCause());
            // a service that writes no topic gets no producer id for an idempotent producer
            // (the refusal comes from send() itself or from its future, whichever runs after the producer learnt it)
            Throwable writesNothing = assertThrows(Exception.class,
                    () -> produce(broker, "signing-service", Topics.KEYS, "signing-service writes no topic"));
            assertInstanceOf(ClusterAuthorizationException.class, writesNothing instanceof ExecutionException
                    || writesNothing.getCause() instanceof ClusterAuthorizationException ? writesNothing.getCause() : writesNothing);
            assertThrows(TopicAuthorizationException.class,
                    () -> readFirst(broker, "token-service", "token-service-test-" + UUID.randomUUID(), Topics.KEYS));
            assertThrows(GroupAuthorizationException.class,
                    () -> readFirst(broker, "signing-service", "another-group-" + UUID.randomUUID(), Topics.KEYS));

            Map<String, Object> wrongPassword = config(broker, "key-service");
            wrongPassword.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"key-service\" password=\"not-the-password\";");
            ExecutionException refused = assertThrows(ExecutionException.class, () -> produce(wrongPassword, Topics.KEYS, "x"));
            assertInstanceOf(SaslAuthenticationException.class, refused.getCause());

            broker.restart();
            produce(broker, "key-service", Topics.KEYS, "after the restart"); // same users, same certificate
        } finally {
            broker.stop();
        }
        Path security = dataDir.resolve("security");
        try (Stream<Path> files = Files.list(security)) {
            assertEquals(List.of("broker.p12", "secrets.properties", "truststore.p12"),
                    files.map(file -> file.getFileName().toString()).sorted().toList(), "the CA's key is gone");
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(security)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(security.resolve("secrets.properties"))));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("server.properties"))));
        assertFalse(Files.exists(dataDir.resolve("format.args")));
        String log = Files.readString(broker.logFile());
        for (String password : passwords(security)) {
            assertFalse(log.contains(password), "a password is in the broker's log");
        }
    }

    @Test
    void refusesToSecureADataDirectoryThatAnOpenBrokerFormatted(@TempDir Path dataDir) throws Exception {
        Files.createDirectories(dataDir.resolve("kraft-logs"));
        Files.writeString(dataDir.resolve("kraft-logs").resolve("meta.properties"), "version=1\ncluster.id=AAAAAAAAAAAAAAAAAAAAAA\nnode.id=1\n");

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> KafkaBroker.startSecured(dataDir, 0));

        assertTrue(error.getMessage().contains("formatted for an open broker"), error.getMessage());
    }

    @Test
    void anOpenBrokerHasNoUsers() {
        KafkaBroker broker = KafkaBroker.start(null, 0);
        try {
            assertFalse(broker.isSecured());
            assertThrows(IllegalStateException.class, () -> broker.clientConfig(KafkaBroker.ADMIN_USER));
        } finally {
            broker.stop();
        }
    }

    private static Map<String, Object> config(KafkaBroker broker, String user) {
        Map<String, Object> config = new HashMap<>(broker.clientConfig(user));
        config.put("bootstrap.servers", broker.bootstrapServers());
        return config;
    }

    private static void produce(KafkaBroker broker, String user, String topic, String value) throws Exception {
        produce(config(broker, user), topic, value);
    }

    private static void produce(Map<String, Object> config, String topic, String value) throws Exception {
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) DEADLINE.toMillis());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "key-1", value)).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** The first record of the topic, read by the user in the group; an authorization error is thrown as it comes. */
    private static String readFirst(KafkaBroker broker, String user, String group, String topic) {
        Map<String, Object> config = config(broker, user);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (System.nanoTime() - deadline < 0) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    return record.value();
                }
            }
        }
        throw new AssertionError("nothing on " + topic + " within " + DEADLINE);
    }

    /** Every password of the broker: those of its stores and of its users. */
    private static List<String> passwords(Path securityDirectory) throws Exception {
        Properties secrets = new Properties();
        try (var in = Files.newInputStream(securityDirectory.resolve("secrets.properties"))) {
            secrets.load(in);
        }
        assertEquals(2 + KafkaSecurity.users().size(), secrets.size());
        return secrets.values().stream().map(String::valueOf).toList();
    }
}
