package io.keyfleet.bench.outbox;

import io.keyfleet.bench.BenchMain;
import io.keyfleet.bench.support.Benchmark;
import io.keyfleet.bench.support.CpuMonitor;
import io.keyfleet.bench.support.FlatOut;
import io.keyfleet.bench.support.Joins;
import io.keyfleet.bench.support.Latencies;
import io.keyfleet.bench.support.LocalStack;
import io.keyfleet.bench.support.Pacer;
import io.keyfleet.bench.support.Report;
import io.keyfleet.events.EventEnvelope;
import io.keyfleet.events.KeyRotated;
import io.keyfleet.kit.outbox.Outbox;
import io.keyfleet.kit.outbox.OutboxConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.common.utils.AppInfoParser;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The transactional outbox end to end: a business row and an outbox row commit together, the kit's relay publishes
 * to Kafka, a consumer applies the event exactly once through the kit's inbox. Measured against raw Kafka (the
 * latency floor) and against the same business commit without the outbox row (the throughput ceiling).
 */
@ApplicationScoped
public class OutboxBenchmark implements Benchmark {

    private static final String TENANT = "tenant-bench";
    /** Keys per committing thread: a key's events always come from the same thread, so their order is defined. */
    private static final int KEYS_PER_THREAD = 50;
    private static final String FINGERPRINT = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    /** About the size of a base64 RSA-2048 SubjectPublicKeyInfo, so events have their real size (~1 KB). */
    private static final String PUBLIC_KEY = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + "x".repeat(340) + "IDAQAB";
    private static final Instant GRACE_END = Instant.parse("2026-01-02T00:00:00Z");

    @Inject
    Outbox outbox;

    @Inject
    EntityManager entityManager;

    @Inject
    EventTimings timings;

    @Inject
    OutboxBenchConfig config;

    @Inject
    OutboxConfig outboxConfig;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    String dbUser;

    @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "")
    String dbPassword;

    @ConfigProperty(name = "bench.postgres.port", defaultValue = "0")
    int postgresPort;

    /** As the benchmark's own sessions see it. */
    private String synchronousCommit;

    @Override
    public Report run() throws Exception {
        Report report = new Report("outbox", "transactional outbox, commit to consumer effect");
        CpuMonitor cpu = CpuMonitor.start(postgresPort);
        describeEnvironment(report);

        double pipelineReady = awaitPipeline();
        LocalStack.log("outbox → relay → Kafka → consumer ready after %.1f s", pipelineReady);

        LocalStack.log("reference (a): raw Kafka at %,d msg/s for %d s + %d s warm-up", config.rate(),
                config.referenceMeasure().toSeconds(), config.referenceWarmUp().toSeconds());
        RawKafkaReference.Result raw = RawKafkaReference.run(bootstrapServers, BenchMain.RAW_TOPIC, config.rate(),
                config.referenceWarmUp(), config.referenceMeasure(), config.pacedThreads(),
                i -> EventEnvelope.wrap(TENANT, pacedEvent("raw", i), Instant.now()));

        LocalStack.log("scenario 1: outbox at %,d events/s for %d s + %d s warm-up", config.rate(),
                config.measure().toSeconds(), config.warmUp().toSeconds());
        Steady steady = steady();

        LocalStack.log("reference (b): plain commits, %d threads for %d s", config.maxThreads(),
                config.commitOnlyDuration().toSeconds());
        FlatOut.Result plain = FlatOut.run("plain-commit", config.maxThreads(), config.commitOnlyDuration(),
                (thread, n) -> commitPlain(flatOutEvent("plain", thread, n)));

        LocalStack.log("scenario 2b: outbox commits with the relay held off, %d threads for %d s, then drain",
                config.maxThreads(), config.commitOnlyDuration().toSeconds());
        CommitOnly commitOnly = commitOnly();

        LocalStack.log("scenario 2: outbox commits flat out, %d threads for %d s, then drain", config.maxThreads(),
                config.maxDuration().toSeconds());
        MaxRun max = maxThroughput();

        LocalStack.log("done");
        report.environment("cpu during run", cpu.summary());
        return fill(report, pipelineReady, raw, steady, plain, commitOnly, max, cpu.machineWasShared());
    }

    // ---------------------------------------------------------------- scenarios

    /** Commits one event and waits until its effect is applied: the relay, the broker and the consumer are all up. */
    private double awaitPipeline() {
        long start = System.nanoTime();
        UUID probe = commitWithOutbox(new KeyRotated("probe-0", "alipay", "2021000000000001", "SANDBOX", 1, 2,
                "RSA_2048", FINGERPRINT, PUBLIC_KEY, GRACE_END));
        if (!Joins.until(() -> timings.countApplied(List.of(probe)) == 1, Duration.ofSeconds(90), Duration.ofMillis(50))) {
            throw new IllegalStateException("The first event did not reach the consumer within 90 s");
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * @param effectsPerSecondWhileCommitting consumer throughput from the first to the last commit of the schedule
     * @param effectsPerSecondAfter           consumer throughput from the last commit until the last effect
     */
    record Steady(Pacer.Result paced, long measuredCommitted, Latencies commitToEffect, Latencies commitToReceived,
                  Latencies receivedToEffect, double[] writtenToAckedMs, double effectsPerSecondWhileCommitting,
                  double effectsPerSecondAfter, boolean drained, EffectCheck check) {
    }

    private Steady steady() throws InterruptedException {
        Duration total = config.warmUp().plus(config.measure());
        int scheduled = (int) Math.floor(config.rate() * total.toNanos() / 1e9);
        int warmUpCount = (int) Math.floor(config.rate() * config.warmUp().toNanos() / 1e9);
        UUID[] ids = new UUID[scheduled];
        Instant measuredFrom = Instant.now().plus(config.warmUp());
        Pacer.Result paced = Pacer.run("outbox-steady", config.rate(), total, config.pacedThreads(),
                i -> ids[(int) i] = commitWithOutbox(pacedEvent("steady", i)));
        List<UUID> committed = Arrays.stream(ids).filter(Objects::nonNull).toList();
        boolean drained = awaitApplied(committed);
        Thread.sleep(500); // a late redelivery would show up as a duplicate effect

        double[] consumerRates = consumerRates(committed);
        List<Long> toEffect = new ArrayList<>();
        List<Long> toReceived = new ArrayList<>();
        List<Long> receivedToEffect = new ArrayList<>();
        long measuredCommitted = 0;
        for (int i = warmUpCount; i < ids.length; i++) {
            if (ids[i] == null) {
                continue;
            }
            measuredCommitted++;
            EventTimings.Timing timing = timings.of(ids[i]);
            if (timing.isApplied()) {
                toEffect.add(Math.max(0, timing.applied - timing.committed));
                toReceived.add(Math.max(0, timing.received - timing.committed));
                receivedToEffect.add(timing.applied - timing.received);
            }
        }
        return new Steady(paced, measuredCommitted, latencies(toEffect), latencies(toReceived), latencies(receivedToEffect),
                writtenToAcked("steady-", measuredFrom), consumerRates[0], consumerRates[1], drained, check("steady-", committed));
    }

    /**
     * @param heldOff whether the relay really published nothing while its lock was held
     * @param drainPerSecond how fast relay + consumer worked the backlog off with nothing else committing
     */
    /** Effects per second while the events were being committed, and after the last commit until the last effect. */
    private double[] consumerRates(List<UUID> committed) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (UUID id : committed) {
            long at = timings.of(id).committed;
            first = Math.min(first, at);
            last = Math.max(last, at);
        }
        long appliedWhileCommitting = 0;
        long lastApplied = last;
        for (UUID id : committed) {
            EventTimings.Timing timing = timings.of(id);
            if (timing.isApplied()) {
                if (timing.applied - last <= 0) {
                    appliedWhileCommitting++;
                }
                lastApplied = Math.max(lastApplied, timing.applied);
            }
        }
        long appliedAfter = committed.size() - appliedWhileCommitting;
        return new double[] {appliedWhileCommitting / ((last - first) / 1e9),
                lastApplied == last ? Double.NaN : appliedAfter / ((lastApplied - last) / 1e9)};
    }

    record CommitOnly(FlatOut.Result commits, boolean heldOff, long unsentAtRelease, boolean drained, double drainSeconds,
                      EffectCheck check) {

        double drainPerSecond() {
            return commits.operations() / drainSeconds;
        }
    }

    private CommitOnly commitOnly() throws Exception {
        ConcurrentLinkedQueue<UUID> ids = new ConcurrentLinkedQueue<>();
        FlatOut.Result commits;
        long unsent;
        long released;
        try (RelayHold hold = RelayHold.take(jdbcUrl, dbUser, dbPassword)) {
            commits = FlatOut.run("outbox-held", config.maxThreads(), config.commitOnlyDuration(),
                    (thread, n) -> ids.add(commitWithOutbox(flatOutEvent("held", thread, n))));
            unsent = unsentOutboxRows("held-");
            released = System.nanoTime();
        }
        List<UUID> committed = List.copyOf(ids);
        boolean drained = awaitApplied(committed);
        long lastApplied = timings.lastApplied(committed);
        Thread.sleep(500);
        double drainSeconds = drained ? (lastApplied - released) / 1e9 : Double.NaN;
        return new CommitOnly(commits, unsent == committed.size(), unsent, drained, drainSeconds, check("held-", committed));
    }

    record MaxRun(FlatOut.Result commits, long unsentWhenCommitsStopped, long appliedWhenCommitsStopped, boolean drained,
                  double drainSeconds, double tailSeconds, Latencies commitToEffect, EffectCheck check) {

        double drainPerSecond() {
            return commits.operations() / drainSeconds;
        }
    }

    private MaxRun maxThroughput() throws InterruptedException {
        ConcurrentLinkedQueue<UUID> ids = new ConcurrentLinkedQueue<>();
        FlatOut.Result commits = FlatOut.run("outbox-max", config.maxThreads(), config.maxDuration(),
                (thread, n) -> ids.add(commitWithOutbox(flatOutEvent("max", thread, n))));
        long commitsEnd = System.nanoTime();
        List<UUID> committed = List.copyOf(ids);
        long unsent = unsentOutboxRows("max-");
        long applied = timings.countApplied(committed);
        boolean drained = awaitApplied(committed);
        long lastApplied = timings.lastApplied(committed);
        Thread.sleep(500);
        List<Long> toEffect = new ArrayList<>();
        for (UUID id : committed) {
            EventTimings.Timing timing = timings.of(id);
            if (timing.isApplied()) {
                toEffect.add(Math.max(0, timing.applied - timing.committed));
            }
        }
        double drainSeconds = drained ? (lastApplied - commits.startNs()) / 1e9 : Double.NaN;
        double tailSeconds = drained ? Math.max(0, lastApplied - commitsEnd) / 1e9 : Double.NaN;
        return new MaxRun(commits, unsent, applied, drained, drainSeconds, tailSeconds, latencies(toEffect),
                check("max-", committed));
    }

    /** Waits until every event has its effect; cheap to poll (a cursor that only moves forward). */
    private boolean awaitApplied(List<UUID> committed) {
        List<EventTimings.Timing> pending = committed.stream().map(timings::of).toList();
        int[] cursor = {0};
        return Joins.until(() -> {
            while (cursor[0] < pending.size() && pending.get(cursor[0]).isApplied()) {
                cursor[0]++;
            }
            return cursor[0] == pending.size();
        }, config.drainTimeout(), Duration.ofMillis(20));
    }

    // ---------------------------------------------------------------- the transactions

    /** The business change and its event in one transaction; the commit time is taken just after the commit. */
    private UUID commitWithOutbox(KeyRotated event) {
        UUID eventId = QuarkusTransaction.requiringNew().call(() -> {
            insertKeyVersion(event);
            return outbox.record(TENANT, event).eventId();
        });
        timings.committed(eventId, System.nanoTime());
        return eventId;
    }

    /** The same business change without the outbox row. */
    private void commitPlain(KeyRotated event) {
        QuarkusTransaction.requiringNew().run(() -> insertKeyVersion(event));
    }

    private void insertKeyVersion(KeyRotated event) {
        entityManager.createNativeQuery("insert into bench_key_version (key_id, version, fingerprint) values (?1, ?2, ?3)")
                .setParameter(1, event.keyId())
                .setParameter(2, event.newVersion())
                .setParameter(3, event.fingerprint())
                .executeUpdate();
    }

    /** Event {@code i} of a paced run: key {@code i % keys} (always the same thread), versions 2, 3, ... */
    private KeyRotated pacedEvent(String prefix, long i) {
        int keys = config.pacedThreads() * KEYS_PER_THREAD;
        return rotated(prefix + "-" + (i % keys), (int) (i / keys) + 2);
    }

    /** Operation {@code n} of a thread in a flat-out run: that thread's own keys, versions 2, 3, ... */
    private static KeyRotated flatOutEvent(String prefix, int thread, long n) {
        return rotated(prefix + "-" + thread + "-" + (n % KEYS_PER_THREAD), (int) (n / KEYS_PER_THREAD) + 2);
    }

    private static KeyRotated rotated(String keyId, int version) {
        return new KeyRotated(keyId, "alipay", "2021000000000001", "SANDBOX", version - 1, version, "RSA_2048",
                FINGERPRINT, PUBLIC_KEY, GRACE_END);
    }

    // ---------------------------------------------------------------- checks

    /**
     * What the effect table says about the events of one scenario (all its keys start with {@code keyPrefix}).
     *
     * @param orderViolations effects applied in an order other than their key's version order
     */
    record EffectCheck(long committed, long effects, long missing, long duplicated, long unexpected, long orderViolations,
                       long unsent) {

        boolean exactlyOnce() {
            return missing == 0 && duplicated == 0 && unexpected == 0;
        }

        String describe() {
            return String.format(Locale.ROOT, "%,d committed, %,d effects: %,d missing, %,d duplicated, %,d unexpected;"
                    + " %,d outbox rows unsent", committed, effects, missing, duplicated, unexpected, unsent);
        }
    }

    @SuppressWarnings("unchecked")
    private EffectCheck check(String keyPrefix, List<UUID> committed) {
        return QuarkusTransaction.requiringNew().call(() -> {
            List<Object[]> rows = entityManager.createNativeQuery(
                            "select cast(event_id as varchar), count(*) from bench_effect where key_id like ?1 group by event_id")
                    .setParameter(1, keyPrefix + "%")
                    .getResultList();
            Map<UUID, Long> effects = new HashMap<>();
            rows.forEach(row -> effects.put(UUID.fromString((String) row[0]), ((Number) row[1]).longValue()));
            Set<UUID> expected = new HashSet<>(committed);
            long missing = expected.stream().filter(id -> !effects.containsKey(id)).count();
            long duplicated = effects.values().stream().mapToLong(count -> Math.max(0, count - 1)).sum();
            long unexpected = effects.keySet().stream().filter(id -> !expected.contains(id)).count();
            long total = effects.values().stream().mapToLong(Long::longValue).sum();
            long orderViolations = ((Number) entityManager.createNativeQuery("""
                            select count(*) from (
                                select version, lag(version) over (partition by key_id order by id) as previous
                                from bench_effect where key_id like ?1) applied
                            where previous is not null and version <= previous""")
                    .setParameter(1, keyPrefix + "%")
                    .getSingleResult()).longValue();
            return new EffectCheck(committed.size(), total, missing, duplicated, unexpected, orderViolations, unsentRows(keyPrefix));
        });
    }

    private long unsentOutboxRows(String keyPrefix) {
        return QuarkusTransaction.requiringNew().call(() -> unsentRows(keyPrefix));
    }

    private long unsentRows(String keyPrefix) {
        return ((Number) entityManager.createNativeQuery(
                        "select count(*) from outbox_event where sent_at is null and aggregate_id like ?1")
                .setParameter(1, keyPrefix + "%")
                .getSingleResult()).longValue();
    }

    /**
     * p50 and p99 of {@code sent_at - created_at} of the outbox rows: from the outbox row being written (in the
     * business transaction, just before its commit) to the relay having the broker's ack for it. Both stamps come
     * from this JVM's wall clock.
     */
    private double[] writtenToAcked(String keyPrefix, Instant from) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object[] row = (Object[]) entityManager.createNativeQuery("""
                            select percentile_cont(0.5) within group (order by ms), percentile_cont(0.99) within group (order by ms)
                            from (select extract(epoch from sent_at - created_at) * 1000 as ms from outbox_event
                                  where aggregate_id like ?1 and created_at >= ?2 and sent_at is not null) acked""")
                    .setParameter(1, keyPrefix + "%")
                    .setParameter(2, java.time.OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC))
                    .getSingleResult();
            return new double[] {row[0] == null ? Double.NaN : ((Number) row[0]).doubleValue(),
                    row[1] == null ? Double.NaN : ((Number) row[1]).doubleValue()};
        });
    }

    private static Latencies latencies(List<Long> nanos) {
        return Latencies.ofNanos(nanos.stream().mapToLong(Long::longValue).toArray());
    }

    // ---------------------------------------------------------------- report

    private void describeEnvironment(Report report) {
        String[] postgres = QuarkusTransaction.requiringNew().call(() -> new String[] {
                show("server_version"), show("synchronous_commit"), show("fsync")});
        synchronousCommit = postgres[1];
        report.environment("git", System.getProperty("bench.git", "unknown"));
        report.environment("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name")
                + " " + System.getProperty("os.arch") + "; everything below shares them");
        report.environment("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
                + ", heap max " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");
        report.environment("quarkus", Objects.requireNonNullElse(Quarkus.class.getPackage().getImplementationVersion(), "unknown"));
        report.environment("postgresql", postgres[0] + " (local-stack, loopback), synchronous_commit=" + postgres[1]
                + ", fsync=" + postgres[2]);
        report.environment("kafka", AppInfoParser.getVersion() + ", 1 KRaft broker (local-stack child JVM, loopback), "
                + "3 partitions per topic");
        report.environment("outbox relay", "batch " + outboxConfig.batchSize() + ", poll " + outboxConfig.pollInterval().toMillis()
                + " ms, woken after each commit; idempotent producer, acks=all, linger 1 ms");
        report.environment("consumer", "SmallRye Kafka @Incoming @Blocking, batch per poll, EventInbox.applyBatch: processed_event marks "
                + "and effect rows of the whole batch in one statement each, one transaction");
    }

    private String show(String setting) {
        return String.valueOf(entityManager.createNativeQuery("show " + setting).getSingleResult());
    }

    private Report fill(Report report, double pipelineReady, RawKafkaReference.Result raw, Steady steady,
                        FlatOut.Result plain, CommitOnly commitOnly, MaxRun max, boolean machineWasShared) {
        int rate = config.rate();

        Report.Section s1 = report.section("steady", String.format(Locale.ROOT,
                "1. Outbox at a steady %,d events/s: %d s measured after %d s warm-up, one event per transaction, %d threads on a schedule",
                rate, config.measure().toSeconds(), config.warmUp().toSeconds(), config.pacedThreads()));
        s1.count("eventsCommitted", "events committed in the measured window", steady.measuredCommitted());
        s1.count("eventsCommittedWithWarmUp", "events committed incl. warm-up", steady.check().committed());
        s1.perSecond("achievedRate", "commit rate achieved (whole schedule)", steady.paced().achievedPerSecond());
        s1.millis("scheduleLagP99Ms", "schedule lag p99 (commit started late by)", steady.paced().lag().p99Ms());
        s1.millis("scheduleLagMaxMs", "schedule lag max", steady.paced().lag().maxMs());
        s1.count("commitFailures", "failed commits", steady.paced().failed());
        steady.commitToEffect().addTo(s1, "commitToEffect", "commit → effect committed");
        s1.millis("writtenToAckedP50Ms", "  outbox row written → relay has broker ack, p50", steady.writtenToAckedMs()[0]);
        s1.millis("writtenToAckedP99Ms", "  outbox row written → relay has broker ack, p99", steady.writtenToAckedMs()[1]);
        s1.millis("commitToReceivedP50Ms", "  commit → consumer method called, p50", steady.commitToReceived().p50Ms());
        s1.millis("commitToReceivedP99Ms", "  commit → consumer method called, p99", steady.commitToReceived().p99Ms());
        s1.millis("receivedToEffectP50Ms", "  consumer method → effect committed, p50", steady.receivedToEffect().p50Ms());
        s1.millis("receivedToEffectP99Ms", "  consumer method → effect committed, p99", steady.receivedToEffect().p99Ms());
        s1.perSecond("effectsPerSecondWhileCommitting", "consumer effects/s while the schedule ran",
                steady.effectsPerSecondWhileCommitting());
        s1.perSecond("effectsPerSecondAfter", "consumer effects/s after the last commit (catching up)",
                steady.effectsPerSecondAfter());
        s1.flag("exactlyOnce", "every event applied exactly once", steady.check().exactlyOnce() && steady.drained(),
                steady.check().describe());
        s1.flag("perKeyOrder", "per-key order kept", steady.check().orderViolations() == 0,
                steady.check().orderViolations() + " out-of-order effects");

        Report.Section ref1 = report.section("rawKafka", String.format(Locale.ROOT,
                "Reference (a): raw Kafka at %,d msg/s, %d s measured after %d s warm-up: producer (acks=all, idempotent) → consumer, no database",
                rate, config.referenceMeasure().toSeconds(), config.referenceWarmUp().toSeconds()));
        ref1.count("messagesSent", "messages sent in the measured window", raw.measuredSent());
        ref1.perSecond("achievedRate", "send rate achieved (whole schedule)", raw.paced().achievedPerSecond());
        ref1.millis("scheduleLagP99Ms", "schedule lag p99", raw.paced().lag().p99Ms());
        raw.latency().addTo(ref1, "sendToReceive", "send → received");
        ref1.flag("allReceived", "every message received", raw.received() >= raw.paced().executed(),
                String.format(Locale.ROOT, "%,d sent, %,d received, %,d duplicates", raw.paced().executed(), raw.received(), raw.duplicates()));

        Report.Section s2 = report.section("max", String.format(Locale.ROOT,
                "2. Outbox max commit throughput: %d threads for %d s as fast as they go (relay and consumer live), then until every effect is applied",
                config.maxThreads(), config.maxDuration().toSeconds()));
        s2.count("commits", "commits (business row + outbox row)", max.commits().operations());
        s2.perSecond("commitsPerSecond", "commits/s", max.commits().perSecond());
        s2.count("commitFailures", "failed commits", max.commits().failed());
        s2.count("unsentWhenCommitsStopped", "outbox rows unsent when committing stopped", max.unsentWhenCommitsStopped());
        s2.count("appliedWhenCommitsStopped", "effects applied when committing stopped", max.appliedWhenCommitsStopped());
        s2.perSecond("drainPerSecond", "end-to-end drain rate (events/s, first commit → last effect)", max.drainPerSecond());
        s2.seconds("drainSeconds", "last effect applied after (from first commit)", max.drainSeconds());
        s2.seconds("tailSeconds", "last effect applied after the last commit", max.tailSeconds());
        s2.millis("commitToEffectP50Ms", "commit → effect p50 (queueing included)", max.commitToEffect().p50Ms());
        s2.millis("commitToEffectP99Ms", "commit → effect p99 (queueing included)", max.commitToEffect().p99Ms());
        s2.flag("exactlyOnce", "every event applied exactly once", max.check().exactlyOnce() && max.drained(), max.check().describe());
        s2.flag("perKeyOrder", "per-key order kept", max.check().orderViolations() == 0,
                max.check().orderViolations() + " out-of-order effects");

        Report.Section s2b = report.section("commitOnly", String.format(Locale.ROOT,
                "2b. Outbox commits alone: relay held off by its advisory lock (as by another replica), %d threads for %d s; then the backlog drains",
                config.maxThreads(), config.commitOnlyDuration().toSeconds()));
        s2b.count("commits", "commits (business row + outbox row)", commitOnly.commits().operations());
        s2b.perSecond("commitsPerSecond", "commits/s", commitOnly.commits().perSecond());
        s2b.count("commitFailures", "failed commits", commitOnly.commits().failed());
        s2b.flag("relayHeldOff", "relay published nothing while held", commitOnly.heldOff(),
                String.format(Locale.ROOT, "%,d of %,d rows unsent at release", commitOnly.unsentAtRelease(), commitOnly.commits().operations()));
        s2b.perSecond("drainPerSecond", "backlog drain rate: relay + consumer alone (events/s)", commitOnly.drainPerSecond());
        s2b.seconds("drainSeconds", "backlog drained in", commitOnly.drainSeconds());
        s2b.flag("exactlyOnce", "every event applied exactly once", commitOnly.check().exactlyOnce() && commitOnly.drained(),
                commitOnly.check().describe());

        Report.Section ref2 = report.section("plainCommits", String.format(Locale.ROOT,
                "Reference (b): the same business-row insert without the outbox row, %d threads for %d s",
                config.maxThreads(), config.commitOnlyDuration().toSeconds()));
        ref2.count("commits", "commits (business row only)", plain.operations());
        ref2.perSecond("commitsPerSecond", "commits/s", plain.perSecond());
        ref2.count("commitFailures", "failed commits", plain.failed());

        report.ratio("latencyP99VsRawKafka", "outbox p99 commit→effect / raw Kafka p99 send→receive",
                steady.commitToEffect().p99Ms(), ms(steady.commitToEffect().p99Ms()),
                raw.latency().p99Ms(), ms(raw.latency().p99Ms()),
                "latency the outbox path (relay wake-up, outbox read + mark-sent, consumer transaction) adds over Kafka alone");
        report.ratio("latencyP50VsRawKafka", "outbox p50 commit→effect / raw Kafka p50 send→receive",
                steady.commitToEffect().p50Ms(), ms(steady.commitToEffect().p50Ms()),
                raw.latency().p50Ms(), ms(raw.latency().p50Ms()), "the same at the median");
        report.ratio("commitsVsPlain", "outbox commits/s (relay + consumer live) / plain commits/s",
                max.commits().perSecond(), perSecond(max.commits().perSecond()),
                plain.perSecond(), perSecond(plain.perSecond()),
                "commit throughput left when each commit also writes an outbox row and relay + consumer share the machine");
        report.ratio("heldCommitsVsPlain", "outbox commits/s (relay held off) / plain commits/s",
                commitOnly.commits().perSecond(), perSecond(commitOnly.commits().perSecond()),
                plain.perSecond(), perSecond(plain.perSecond()),
                "the outbox write path's own cost per commit: second insert (~1 KB, three indexes), envelope JSON, and the"
                        + " relay's wake-up after each commit (a try-lock transaction), without publishing or consuming");
        report.ratio("drainVsCommits", "outbox drain rate / outbox commits/s (scenario 2)",
                max.drainPerSecond(), perSecond(max.drainPerSecond()),
                max.commits().perSecond(), perSecond(max.commits().perSecond()),
                "below 1: relay + consumer deliver slower than committers commit, so a backlog builds at full load");

        double targetMs = config.targetP99().toNanos() / 1e6;
        boolean rateHeld = steady.paced().executed() == steady.paced().scheduled()
                && steady.paced().achievedPerSecond() >= 0.98 * rate;
        boolean exactlyOnce = steady.check().exactlyOnce() && steady.drained();
        boolean met = steady.commitToEffect().p99Ms() < targetMs && rateHeld && exactlyOnce;
        report.target("p99CommitToEffect", String.format(Locale.ROOT, "p99 commit-to-effect < %s ms at %,d events/s",
                        trim(targetMs), rate), met,
                String.format(Locale.ROOT, "p99 %s over %,d events; %,.0f/s %s (schedule lag p99 %s); %s",
                        ms(steady.commitToEffect().p99Ms()), steady.commitToEffect().count(), steady.paced().achievedPerSecond(),
                        rateHeld ? "held" : "NOT held", ms(steady.paced().lag().p99Ms()),
                        exactlyOnce ? "exactly once" : "NOT exactly once"));

        if (machineWasShared) {
            report.note("Other processes kept a large share of this machine busy during the run (see 'cpu during run'):"
                    + " absolute figures are noisy; rerun on a quiet machine before quoting them.");
        }
        report.note(String.format(Locale.ROOT, "Pipeline (first event through relay, broker and consumer) was ready %.1f s after start-up.",
                pipelineReady));
        report.note("Latencies are taken on one JVM clock: just after commit() returned → just after the consumer's effect"
                + " transaction returned. Warm-up events are excluded from latencies, included in the exactly-once check.");
        if ("off".equals(synchronousCommit)) {
            report.note("PostgreSQL runs with synchronous_commit=off (local-stack's embedded server): commits do not wait for"
                    + " the WAL flush. For durable commits: bench/run outbox -Dbench.pg.synchronous-commit=on");
        }
        report.note("PostgreSQL, the Kafka broker, the relay, the consumer and the load generators all share this machine;"
                + " absolute figures are this machine's, the ratios are what carries over.");
        return report;
    }

    private static String ms(double value) {
        return String.format(Locale.ROOT, value < 10 ? "%.2f ms" : "%.1f ms", value);
    }

    private static String perSecond(double value) {
        return String.format(Locale.ROOT, "%,.0f/s", value);
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
