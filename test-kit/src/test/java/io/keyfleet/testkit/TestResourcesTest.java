package io.keyfleet.testkit;

import io.keyfleet.events.Topics;
import io.keyfleet.localstack.KafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TestResourcesTest {

    @Test
    void postgresResourceGivesEachServiceItsDatabaseOnOneServer() throws Exception {
        Map<String, String> keyService = startPostgres("key_service");
        Map<String, String> tokenService = startPostgres("token_service");

        assertEquals("key_service", currentDatabase(keyService));
        assertEquals("token_service", currentDatabase(tokenService));
        assertEquals(port(keyService.get("quarkus.datasource.jdbc.url")),
                port(tokenService.get("quarkus.datasource.jdbc.url")), "one server per JVM");
        assertEquals("postgresql", keyService.get("quarkus.datasource.db-kind"));
        assertEquals("true", keyService.get("quarkus.flyway.migrate-at-start"));
        assertEquals("false", keyService.get("quarkus.devservices.enabled"));
    }

    @Test
    void postgresResourceRequiresTheDatabaseArgument() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new PostgresTestResource().init(Map.of()));
        assertTrue(error.getMessage().contains("'database'"), error.getMessage());
    }

    @Test
    void kafkaResourceSharesOneBrokerThatATestCanStopAndStart() {
        KafkaTestResource resource = new KafkaTestResource();
        Map<String, String> config = resource.start();
        String bootstrapServers = config.get("kafka.bootstrap.servers");
        assertEquals(bootstrapServers, KafkaTestResource.broker().bootstrapServers());
        assertEquals("false", config.get("quarkus.kafka.devservices.enabled"));
        assertTrue(KafkaTestResource.broker().isRunning());

        KafkaTestResource.broker().stop();
        assertFalse(KafkaTestResource.broker().isRunning());

        // a broker left stopped is started again for the next test class, on the same address
        assertEquals(Map.of("kafka.bootstrap.servers", bootstrapServers, "quarkus.kafka.devservices.enabled", "false"),
                new KafkaTestResource().start());
        assertTrue(KafkaTestResource.broker().isRunning());
        resource.stop();
        assertTrue(KafkaTestResource.broker().isRunning(), "stop() of a resource leaves the shared broker running");
    }

    @Test
    void securedKafkaResourceConnectsTheServiceAsItsOwnUser() throws Exception {
        SecuredKafkaTestResource resource = new SecuredKafkaTestResource();
        resource.init(Map.of(SecuredKafkaTestResource.USER, "key-service"));
        Map<String, String> config = resource.start();

        assertEquals("SASL_SSL", config.get("kafka.security.protocol"));
        assertEquals("SCRAM-SHA-512", config.get("kafka.sasl.mechanism"));
        assertTrue(config.get("kafka.sasl.jaas.config").contains("username=\"key-service\""));
        assertTrue(Files.isRegularFile(Path.of(config.get("kafka.ssl.truststore.location"))));
        assertEquals("false", config.get("quarkus.kafka.devservices.enabled"));
        Map<String, String> keyService = SecuredKafkaTestResource.clientConfig("key-service");
        assertEquals(config.get("kafka.bootstrap.servers"), keyService.get("bootstrap.servers"));
        try (KafkaProducer<String, String> producer = KafkaClients.producer(keyService)) {
            producer.send(new ProducerRecord<>(Topics.KEYS, "test-kit", "written by key-service")).get(60, TimeUnit.SECONDS);
        }
        List<String> read = KafkaClients.readUntil(SecuredKafkaTestResource.clientConfig(KafkaBroker.ADMIN_USER), Topics.KEYS,
                "test-kit", value -> value, values -> !values.isEmpty(), Duration.ofSeconds(60));
        assertTrue(read.contains("written by key-service"), read.toString());
    }

    @Test
    void securedKafkaResourceRequiresTheUserArgument() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new SecuredKafkaTestResource().init(Map.of()));
        assertTrue(error.getMessage().contains("'user'"), error.getMessage());
    }

    private static Map<String, String> startPostgres(String database) {
        PostgresTestResource resource = new PostgresTestResource();
        resource.init(Map.of(PostgresTestResource.DATABASE, database));
        Map<String, String> config = resource.start();
        resource.stop();
        return config;
    }

    private static String currentDatabase(Map<String, String> config) throws Exception {
        try (Connection connection = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_database()")) {
            assertTrue(rows.next());
            return rows.getString(1);
        }
    }

    private static String port(String jdbcUrl) {
        return jdbcUrl.replaceAll("^jdbc:postgresql://localhost:(\\d+)/.*$", "$1");
    }
}
