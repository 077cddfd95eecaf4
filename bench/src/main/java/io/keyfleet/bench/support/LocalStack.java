package io.keyfleet.bench.support;

import io.keyfleet.localstack.EmbeddedPostgresServer;
import io.keyfleet.localstack.KafkaBroker;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The infrastructure of a benchmark run: a PostgreSQL server and a Kafka broker from local-stack, on free loopback
 * ports and temporary directories, started before Quarkus boots and stopped after it has shut down.
 */
public final class LocalStack implements AutoCloseable {

    private final EmbeddedPostgresServer postgres;
    private final KafkaBroker kafka;
    private final String database;

    private LocalStack(EmbeddedPostgresServer postgres, KafkaBroker kafka, String database) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.database = database;
    }

    /**
     * Starts PostgreSQL (creating {@code database}) and Kafka (creating {@code topics} with {@code partitions}
     * partitions each, so the benchmark never waits for auto-creation).
     */
    public static LocalStack start(String database, List<String> topics, int partitions) {
        long t0 = System.nanoTime();
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(null, 0);
        KafkaBroker kafka = null;
        try {
            postgres.createDatabase(database);
            log("PostgreSQL up on localhost:%d in %.1f s", postgres.port(), (System.nanoTime() - t0) / 1e9);
            long t1 = System.nanoTime();
            kafka = KafkaBroker.start(null, 0);
            createTopics(kafka.bootstrapServers(), topics, partitions);
            log("Kafka up on %s in %.1f s", kafka.bootstrapServers(), (System.nanoTime() - t1) / 1e9);
            return new LocalStack(postgres, kafka, database);
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.stop();
            }
            postgres.stop();
            throw e;
        }
    }

    private static void createTopics(String bootstrapServers, List<String> topics, int partitions) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "keyfleet-bench-setup");
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(topics.stream().map(topic -> new NewTopic(topic, partitions, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("Could not create topics " + topics + " on " + bootstrapServers + ": " + e, e);
        }
    }

    /**
     * The connection settings Quarkus reads at start-up, as system properties.
     *
     * @param synchronousCommit PostgreSQL's {@code synchronous_commit} for the app's sessions, or null to keep the
     *                          server's setting (local-stack's server runs with {@code off})
     */
    public void exportToQuarkus(String synchronousCommit) {
        String url = postgres.jdbcUrl(database);
        if (synchronousCommit != null && !synchronousCommit.isBlank()) {
            url += "?options=-c%20synchronous_commit%3D" + synchronousCommit.trim();
        }
        System.setProperty("quarkus.datasource.jdbc.url", url);
        System.setProperty("quarkus.datasource.username", postgres.username());
        System.setProperty("quarkus.datasource.password", postgres.password());
        System.setProperty("kafka.bootstrap.servers", kafka.bootstrapServers());
        System.setProperty("bench.postgres.port", String.valueOf(postgres.port()));
    }

    /**
     * Creates another database on the same server, for a service the benchmark starts as a process, and exports its
     * JDBC URL as the system property {@code bench.database.<name>.jdbc-url} (same user and password as the
     * benchmark's own database).
     */
    public void createDatabase(String name) {
        postgres.createDatabase(name);
        System.setProperty("bench.database." + name + ".jdbc-url", postgres.jdbcUrl(name));
    }

    /** Stops Kafka, then PostgreSQL; both directories were temporary and are deleted. */
    @Override
    public void close() {
        long t0 = System.nanoTime();
        try {
            kafka.stop();
        } finally {
            postgres.stop();
        }
        log("Kafka and PostgreSQL stopped in %.1f s", (System.nanoTime() - t0) / 1e9);
    }

    public static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
        System.out.flush();
    }
}
