package io.keyfleet.bench.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Knobs of the outbox benchmark; override any with {@code bench/run outbox -Dbench.outbox.measure=30s}. */
@ConfigMapping(prefix = "bench.outbox")
public interface OutboxBenchConfig {

    /** Events per second of the steady scenario and of the raw-Kafka reference. */
    @WithDefault("1000")
    int rate();

    /** Steady scenario: paced load before the measured window (not in the latency figures). */
    @WithDefault("5s")
    Duration warmUp();

    /** Steady scenario: the measured window. */
    @WithDefault("20s")
    Duration measure();

    /**
     * Threads sharing the steady schedule (each commits every threads/rate seconds, so one commit may take up to
     * threads/rate before the rate slips). Keep it a divisor of 50 x threads: a key's events then share a thread.
     */
    @WithDefault("8")
    int pacedThreads();

    /** Raw-Kafka reference: warm-up and measured window at the same rate. */
    @WithDefault("3s")
    Duration referenceWarmUp();

    @WithDefault("12s")
    Duration referenceMeasure();

    /** Max-throughput scenario and plain-commit reference: threads committing as fast as they can. */
    @WithDefault("4")
    int maxThreads();

    @WithDefault("10s")
    Duration maxDuration();

    /** Plain-commit reference and outbox commits with the relay held off: commit throughput only, no drain race. */
    @WithDefault("5s")
    Duration commitOnlyDuration();

    /** Longest wait for the consumer to apply every committed event after a scenario's last commit. */
    @WithDefault("45s")
    Duration drainTimeout();

    /** The target: p99 commit-to-effect latency at {@link #rate()}. */
    @WithDefault("250ms")
    Duration targetP99();
}
