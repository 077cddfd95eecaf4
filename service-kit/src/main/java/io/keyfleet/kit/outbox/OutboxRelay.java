package io.keyfleet.kit.outbox;

import io.keyfleet.events.EventHeaders;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import io.smallrye.common.annotation.Identifier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Publishes committed outbox rows to Kafka and marks them sent.
 *
 * <p>Per-aggregate order across replicas: every batch runs in one database transaction that first takes a
 * PostgreSQL transaction-level advisory lock, so only one replica publishes at a time and it publishes the
 * unsent rows in id order. Rows are marked sent only after the broker acknowledged all of them (idempotent
 * producer, acks=all); a failed batch is rolled back and sent again after a backoff, which can duplicate
 * events but never reorders or loses them. Consumers drop the duplicates by event id.
 *
 * <p>On shutdown the relay stops within {@link #STOP_WAIT} plus {@link #INTERRUPT_WAIT}: a backoff or poll wait ends at
 * once, a batch in flight gets {@link #STOP_WAIT} to finish and is then interrupted (it rolls back and is sent again by
 * the next relay to run), and the producer is closed with a short timeout.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** "kfoutbox" in ASCII: one advisory lock per database, and every service has its own database. */
    public static final long RELAY_LOCK = 0x6b666f7574626f78L;
    /** How long a stopping relay lets a batch in flight finish before interrupting it. */
    static final Duration STOP_WAIT = Duration.ofSeconds(2);
    /** How long it then waits for the interrupted batch to give up. */
    static final Duration INTERRUPT_WAIT = Duration.ofSeconds(1);
    static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(1);

    @Inject
    EntityManager entityManager;

    @Inject
    OutboxConfig config;

    @Inject
    MeterRegistry registry;

    /** Every {@code kafka.*} setting (bootstrap servers, SASL, TLS), as Quarkus gives them to all its Kafka clients. */
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    @ConfigProperty(name = "quarkus.application.name", defaultValue = "keyfleet")
    String applicationName;

    private final Semaphore wakeUps = new Semaphore(0);
    /** Counted down on shutdown: ends a backoff at once. */
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestUnsentAgeSeconds = new AtomicLong();
    private Counter published;
    private Counter failures;
    private Counter lockBusy;
    private volatile boolean running;
    /** Set on shutdown: the scheduled jobs then leave the database alone, it may already be closing. */
    private volatile boolean stopping;
    private Thread worker;
    private Producer<String, String> producer;

    void onStart(@Observes StartupEvent event) {
        published = Counter.builder("keyfleet.outbox.published").description("Events published from the outbox").register(registry);
        failures = Counter.builder("keyfleet.outbox.publish.failures").description("Outbox batches that failed and will be retried").register(registry);
        lockBusy = Counter.builder("keyfleet.outbox.relay.lock.busy")
                .description("Relay passes that left the outbox alone because another replica was publishing").register(registry);
        Gauge.builder("keyfleet.outbox.backlog", backlog, AtomicLong::get).description("Committed events not yet published").register(registry);
        Gauge.builder("keyfleet.outbox.oldest.unsent.age.seconds", oldestUnsentAgeSeconds, AtomicLong::get)
                .description("Age of the oldest unpublished event").register(registry);
        if (!config.relayEnabled()) {
            LOG.info("Outbox relay disabled by keyfleet.outbox.relay-enabled=false");
            return;
        }
        running = true;
        worker = new Thread(this::run, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        stopping = true;
        stopSignal.countDown();
        wakeUps.release();
        Thread relay = worker;
        if (relay != null) {
            try {
                relay.join(STOP_WAIT.toMillis());
                if (relay.isAlive()) {
                    // a batch waiting for a broker that does not answer: give it up, it is rolled back and sent again
                    LOG.infof("Outbox relay still busy %d ms after shutdown began; interrupting its batch", STOP_WAIT.toMillis());
                    relay.interrupt();
                    relay.join(INTERRUPT_WAIT.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeProducer(PRODUCER_CLOSE_TIMEOUT);
    }

    /** Called after a local transaction that recorded events has committed. */
    void wakeUp() {
        wakeUps.release();
    }

    private void run() {
        Duration backoff = config.initialBackoff();
        while (running) {
            try {
                int count = publishOneBatch();
                backoff = config.initialBackoff();
                if (count < config.batchSize()) {
                    wakeUps.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    // interrupted by shutdown: the batch was rolled back and stays unsent for the next relay
                    LOG.debugf("Outbox batch given up on shutdown: %s", describe(e));
                    return;
                }
                failures.increment();
                LOG.warnf("Outbox publish failed, retrying in %d ms: %s", backoff.toMillis(), describe(e));
                closeProducer(Duration.ZERO);
                if (awaitStop(backoff)) {
                    return;
                }
                backoff = min(backoff.multipliedBy(2), config.maxBackoff());
            }
        }
    }

    /** Waits out a backoff; true (at once) when shutdown began. */
    private boolean awaitStop(Duration duration) {
        try {
            return stopSignal.await(duration.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Publishes up to one batch; returns how many rows were published (0 if another replica holds the lock). */
    int publishOneBatch() {
        return QuarkusTransaction.requiringNew()
                .timeout((int) config.sendTimeout().plusSeconds(30).toSeconds())
                .call(() -> {
                    if (!takeRelayLock()) {
                        lockBusy.increment();
                        return 0;
                    }
                    List<OutboxEvent> batch = entityManager
                            .createQuery("from OutboxEvent where sentAt is null order by id", OutboxEvent.class)
                            .setMaxResults(config.batchSize())
                            .getResultList();
                    if (batch.isEmpty()) {
                        return 0;
                    }
                    send(batch);
                    entityManager.createQuery("update OutboxEvent set sentAt = :now where id in :ids")
                            .setParameter("now", Instant.now())
                            .setParameter("ids", batch.stream().map(row -> row.id).toList())
                            .executeUpdate();
                    published.increment(batch.size());
                    return batch.size();
                });
    }

    private boolean takeRelayLock() {
        Object locked = entityManager.createNativeQuery("select pg_try_advisory_xact_lock(?1)")
                .setParameter(1, RELAY_LOCK)
                .getSingleResult();
        return Boolean.TRUE.equals(locked);
    }

    private void send(List<OutboxEvent> batch) throws Exception {
        Producer<String, String> kafka = producer();
        long deadline = System.nanoTime() + config.sendTimeout().toNanos();
        // Each send() may block for metadata up to max.block.ms; asking once per topic first keeps a whole batch
        // within one send timeout while the broker is away, instead of one timeout per record.
        for (String topic : batch.stream().map(row -> row.topic).distinct().toList()) {
            kafka.partitionsFor(topic);
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
        for (OutboxEvent row : batch) {
            if (System.nanoTime() > deadline) {
                throw new java.util.concurrent.TimeoutException("the broker did not take the batch within " + config.sendTimeout());
            }
            acks.add(kafka.send(toRecord(row)));
        }
        for (Future<RecordMetadata> ack : acks) {
            ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private static ProducerRecord<String, String> toRecord(OutboxEvent row) {
        ProducerRecord<String, String> record = new ProducerRecord<>(row.topic, row.aggregateId, row.envelope);
        header(record, EventHeaders.EVENT_ID, row.eventId.toString());
        header(record, EventHeaders.TYPE, row.eventType);
        header(record, EventHeaders.SCHEMA_VERSION, Integer.toString(row.schemaVersion));
        header(record, EventHeaders.TENANT_ID, row.tenantId);
        if (row.correlationId != null) {
            header(record, EventHeaders.CORRELATION_ID, row.correlationId);
        }
        return record;
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private synchronized Producer<String, String> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(producerConfig());
        }
        return producer;
    }

    /**
     * The connection settings every Kafka client of the service uses (the {@code kafka.*} configuration, so SASL and
     * TLS too), with the relay's own on top: idempotent, acks=all, timeouts from the send timeout, its client id.
     */
    Map<String, Object> producerConfig() {
        Map<String, Object> props = new HashMap<>(kafkaConfig);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG); // Quarkus adds the application name for consumers
        props.put(ProducerConfig.CLIENT_ID_CONFIG, applicationName + "-outbox-relay");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        int timeoutMs = (int) config.sendTimeout().toMillis();
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 5_000));
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.max(timeoutMs, 6_000));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return props;
    }

    /**
     * A failed batch's producer is closed before the batch is retried, and the close waits until its sender
     * thread has stopped. Records it did not deliver are then aborted, so none of them can reach the broker
     * after the retried batch starts: what the broker already has is a prefix of the batch (the idempotent
     * producer writes a partition's records in sequence), and the retry repeats that prefix in order. Letting
     * the old producer go on delivering instead can put a later event of an aggregate before an earlier one.
     */
    private synchronized void closeProducer(Duration timeout) {
        if (producer != null) {
            try {
                producer.close(timeout);
            } catch (RuntimeException e) {
                LOG.debugf("Closing the outbox producer failed: %s", describe(e));
            }
            producer = null;
        }
    }

    @Scheduled(every = "${keyfleet.outbox.backlog-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void measureBacklog() {
        if (stopping) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            Object[] row = (Object[]) entityManager.createNativeQuery(
                            "select count(*), min(created_at) from outbox_event where sent_at is null")
                    .getSingleResult();
            backlog.set(((Number) row[0]).longValue());
            Instant oldest = row[1] == null ? null : toInstant(row[1]);
            oldestUnsentAgeSeconds.set(oldest == null ? 0 : Math.max(0, Duration.between(oldest, Instant.now()).toSeconds()));
        });
    }

    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deleteSentRows() {
        if (stopping) {
            return;
        }
        Instant cutoff = Instant.now().minus(config.retention());
        QuarkusTransaction.requiringNew().run(() -> entityManager
                .createQuery("delete from OutboxEvent where sentAt < :cutoff")
                .setParameter("cutoff", cutoff)
                .executeUpdate());
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.time.OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
