package io.keyfleet.localstack;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KafkaBrokerTest {

    private static final String TOPIC = "keyfleet.test.events";

    @Test
    void producesAndConsumesAcrossAStopAndStartOnTheSameAddress(@TempDir Path dataDir) throws Exception {
        KafkaBroker broker = KafkaBroker.start(dataDir, 0);
        try {
            String bootstrapServers = broker.bootstrapServers();
            assertTrue(broker.isRunning());
            assertEquals(1, childProcessesOf(broker).size(), "the broker runs in one child JVM");
            assertTrue(broker.pid().flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false));
            produce(bootstrapServers, "key-1", "before restart");
            assertEquals(List.of("before restart"), consumeAll(bootstrapServers));

            broker.stop();
            assertFalse(broker.isRunning());
            assertTrue(broker.pid().isEmpty());
            assertTrue(LocalPorts.isFree(broker.port()), "port is free once stop() returns");
            broker.stop(); // safe twice

            broker.start();
            assertEquals(bootstrapServers, broker.bootstrapServers());
            produce(bootstrapServers, "key-1", "after restart");
            assertEquals(List.of("before restart", "after restart"), consumeAll(bootstrapServers),
                    "the topic survived the restart");
        } finally {
            broker.stop();
        }
        assertTrue(Files.readString(broker.logFile()).contains("=== keyfleet: starting Kafka broker"));
        assertEquals(List.of(), childProcessesOf(broker), "no broker process is left behind");
    }

    @Test
    void failsFastNamingThePortWhenItIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> KafkaBroker.start(null, taken.getLocalPort()));
            assertTrue(error.getMessage().contains("port " + taken.getLocalPort()), error.getMessage());
        }
    }

    @Test
    void reportsTheLastLinesOfItsLogWhenTheBrokerExitsEarly(@TempDir Path dataDir) throws Exception {
        Path kraftLogs = Files.createDirectories(dataDir.resolve("kraft-logs"));
        Files.writeString(kraftLogs.resolve("meta.properties"), "version=1\ncluster.id=AAAAAAAAAAAAAAAAAAAAAA\nnode.id=99\n");

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> KafkaBroker.start(dataDir, 0));

        assertTrue(error.getMessage().contains("exited with code"), error.getMessage());
        assertTrue(error.getMessage().contains("Stored node id 99"), error.getMessage());
    }

    private static void produce(String bootstrapServers, String key, String value) throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, key, value)).get(20, TimeUnit.SECONDS);
        }
    }

    /** Reads the topic from the beginning with a fresh consumer group, until it is quiet after some data or 20 s. */
    private static List<String> consumeAll(String bootstrapServers) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                     new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int emptyPollsAfterData = 0;
            while (System.nanoTime() < deadline && emptyPollsAfterData < 2) {
                var records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, String> record : records) {
                    values.add(record.value());
                }
                if (records.isEmpty() && !values.isEmpty()) {
                    emptyPollsAfterData++;
                }
            }
        }
        return values;
    }

    private static List<String> childProcessesOf(KafkaBroker broker) {
        String marker = KafkaBroker.COMMAND_LINE_MARKER + "=" + broker.port();
        return ProcessHandle.current().children()
                .filter(ProcessHandle::isAlive)
                .map(process -> process.info().commandLine().orElse(""))
                .filter(commandLine -> commandLine.contains(marker))
                .toList();
    }
}
