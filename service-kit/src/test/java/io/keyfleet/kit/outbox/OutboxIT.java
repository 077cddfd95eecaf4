package io.keyfleet.kit.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.keyfleet.events.EventCodec;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.events.Topics;
import io.keyfleet.testkit.KafkaClients;
import io.keyfleet.testkit.KafkaTestResource;
import io.keyfleet.testkit.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The outbox over a real PostgreSQL and a real Kafka broker, including the broker going away. */
@QuarkusTest
@QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "service_kit"))
@QuarkusTestResource(KafkaTestResource.class)
class OutboxIT {

    private static final int AGGREGATES = 10;
    private static final int VERSIONS_PER_AGGREGATE = 100;
    /** The group of {@link TestEffectConsumer} (application.properties of the tests). */
    private static final String CONSUMER_GROUP = "service-kit-test";

    @Inject
    Outbox outbox;

    @Inject
    EntityManager entityManager;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;

    @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "")
    String dbPassword;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void everyEventCommittedWhileTheBrokerIsAwayArrivesExactlyOnceInPerAggregateOrder() throws Exception {
        String run = "outage-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        recordAndAwait(run + "warmup", 1); // the consumer is subscribed before the broker goes away

        KafkaTestResource.broker().stop();
        try {
            for (int version = 1; version <= VERSIONS_PER_AGGREGATE; version++) {
                int v = version;
                QuarkusTransaction.requiringNew().run(() -> IntStream.range(0, AGGREGATES)
                        .forEach(aggregate -> outbox.record("tenant-a", rotated(run + aggregate, v))));
            }
            // the relay has tried (and failed) at least once more after everything was committed: two more failures, of
            // which the second batch began after the first had ended (send timeout 2 s in the test profile, then backoff)
            double failuresAfterRecording = publishFailures();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> publishFailures() >= failuresAfterRecording + 2);
            assertThat(unsentCount(run)).as("nothing can be sent while the broker is away").isEqualTo(AGGREGATES * VERSIONS_PER_AGGREGATE);
        } finally {
            KafkaTestResource.broker().start();
        }

        // everything the relay will ever publish of this run is on the broker once no row is unsent, and the consumer
        // has had its chance at every copy (late duplicates included) once its group has consumed the topic to the end
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(250)).until(() -> unsentCount(run) == 0);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> KafkaClients.groupHasConsumedAll(bootstrapServers, CONSUMER_GROUP, Topics.KEYS));

        assertThat(effectCount(run)).as("each event applied exactly once").isEqualTo(AGGREGATES * VERSIONS_PER_AGGREGATE + 1);
        for (int aggregate = 0; aggregate < AGGREGATES; aggregate++) {
            assertThat(appliedVersions(run + aggregate)).as("order of aggregate %d", aggregate)
                    .containsExactlyElementsOf(IntStream.rangeClosed(1, VERSIONS_PER_AGGREGATE).boxed().toList());
        }
    }

    @Test
    void aRedeliveredEventChangesNothing() throws Exception {
        String aggregate = "redelivery-" + UUID.randomUUID();
        EventEnvelope first = QuarkusTransaction.requiringNew().call(() -> outbox.record("tenant-a", rotated(aggregate, 1)));
        await().atMost(Duration.ofSeconds(120)).until(() -> effectCount(aggregate) == 1); // perhaps the first event through

        // the same event again, as Kafka may deliver it after a consumer crash, followed by a new one
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(first.topic(), aggregate, EventCodec.encode(first))).get();
        }
        QuarkusTransaction.requiringNew().run(() -> outbox.record("tenant-a", rotated(aggregate, 2)));
        // one key, one partition: the redelivered copy is consumed before version 2, so once version 2 is applied the
        // copy has had its chance
        await().atMost(Duration.ofSeconds(60)).until(() -> appliedVersions(aggregate).contains(2));

        assertThat(appliedVersions(aggregate)).containsExactly(1, 2);
    }

    @Test
    void whileAnotherReplicaPublishesThisOneWaits() throws Exception {
        String aggregate = "replica-" + UUID.randomUUID();
        try (Connection otherReplica = DriverManager.getConnection(jdbcUrl, dbUser, dbPassword)) {
            otherReplica.setAutoCommit(false);
            try (PreparedStatement lock = otherReplica.prepareStatement("select pg_advisory_xact_lock(?)")) {
                lock.setLong(1, OutboxRelay.RELAY_LOCK);
                lock.execute();
            }
            QuarkusTransaction.requiringNew().run(() -> outbox.record("tenant-a", rotated(aggregate, 1)));
            // the relay has come round at least once after the commit and found the lock taken (two more busy passes,
            // the second begun after the first ended), unless it published anyway
            double busyAfterRecording = lockBusyPasses();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> lockBusyPasses() >= busyAfterRecording + 2 || unsentCount(aggregate) == 0);
            assertThat(unsentCount(aggregate)).as("the lock holder is the only publisher").isEqualTo(1);
            otherReplica.rollback(); // the other replica's batch ends, releasing the lock
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> effectCount(aggregate) == 1);
    }

    private void recordAndAwait(String aggregate, int version) {
        QuarkusTransaction.requiringNew().run(() -> outbox.record("tenant-a", rotated(aggregate, version)));
        // perhaps the first event through: the consumer joins its group first (slow on a loaded machine)
        await().atMost(Duration.ofSeconds(120)).until(() -> effectCount(aggregate) == 1);
    }

    private double publishFailures() {
        return registry.counter("keyfleet.outbox.publish.failures").count();
    }

    private double lockBusyPasses() {
        return registry.counter("keyfleet.outbox.relay.lock.busy").count();
    }

    private static KeyRotated rotated(String keyId, int version) {
        // the effect records previousVersion, so the versions seen by the consumer run 1, 2, 3, ...
        return new KeyRotated(keyId, "alipay", "2021000000000001", "SANDBOX", version, version + 1, "RSA_2048",
                "0".repeat(64), "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", Instant.parse("2026-01-02T00:00:00Z"));
    }

    private long effectCount(String aggregatePrefix) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                .createNativeQuery("select count(*) from test_effect where aggregate_id like ?1")
                .setParameter(1, aggregatePrefix + "%").getSingleResult()).longValue());
    }

    private long unsentCount(String aggregatePrefix) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) entityManager
                .createNativeQuery("select count(*) from outbox_event where sent_at is null and aggregate_id like ?1")
                .setParameter(1, aggregatePrefix + "%").getSingleResult()).longValue());
    }

    @SuppressWarnings("unchecked")
    private List<Integer> appliedVersions(String aggregateId) {
        return QuarkusTransaction.requiringNew().call(() -> new ArrayList<>(((List<Number>) entityManager
                .createNativeQuery("select version from test_effect where aggregate_id = ?1 order by id")
                .setParameter(1, aggregateId).getResultList()).stream().map(Number::intValue).toList()));
    }

    private KafkaProducer<String, String> producer() {
        return KafkaClients.producer(bootstrapServers);
    }
}
