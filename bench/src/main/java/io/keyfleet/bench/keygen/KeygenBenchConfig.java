package io.keyfleet.bench.keygen;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Knobs of the keygen benchmark; override any with {@code bench/run keygen -Dbench.keygen.steady-rate=8}. */
@ConfigMapping(prefix = "bench.keygen")
public interface KeygenBenchConfig {

    // ---------------------------------------------------------------- 1. in-process

    /** Generation before the first measured case of each provider (JIT warm-up of the JDK's BigInteger code). */
    @WithDefault("3s")
    Duration localWarmUp();

    /** Each RSA-2048 case (provider × threads): pairs generated back to back for this long in all... */
    @WithDefault("5s")
    Duration localMeasure();

    /** Each RSA-3072 case (1 thread, for context). */
    @WithDefault("4s")
    Duration local3072Measure();

    /** ...split into this many rounds of every case, so that both providers see the machine in the same state. */
    @WithDefault("5")
    int localRounds();

    /** The multi-threaded cases. */
    @WithDefault("2")
    int localThreads();

    // ---------------------------------------------------------------- 2. over HTTP

    /** key-service's runnable jar; default {@code <project root>/key-service/target/quarkus-app/quarkus-run.jar}. */
    Optional<Path> keyServiceJar();

    /** JVM options of the key-service process (placed before {@code -jar}). */
    @WithDefault("-Xms256m -Xmx512m -XX:+UseG1GC")
    String keyServiceJvmOptions();

    /** Longest wait for key-service to answer ready on /q/health/ready after launch. */
    @WithDefault("90s")
    Duration startTimeout();

    /** KEYFLEET_KEYS_POOL_SIZE of the pooled run (key-service's default). The other run has 0: no pool. */
    @WithDefault("16")
    int poolSize();

    /** Before measuring, per service: POST /v1/keys flat out for this long (JIT, connections, key table). */
    @WithDefault("3s")
    Duration warmUp();

    /** Reference: GET /v1/keys/{id} paced at this rate... */
    @WithDefault("50")
    int referenceRate();

    /** ...for this long, then flat out with {@link #clients()} clients for the same time. */
    @WithDefault("5s")
    Duration referenceDuration();

    /** Bursts of this many POSTs sent at once (default: the pool size, so a full pool serves a burst). */
    Optional<Integer> burstSize();

    /** Bursts per run; with the pool, each starts from a full pool. */
    @WithDefault("3")
    int bursts();

    /** Steady POST /v1/keys rate: sustainable without the pool, and below the pool's refill rate. */
    @WithDefault("5")
    double steadyRate();

    /** 100 requests at the default rate: p99 is the 99th of them, not the max. */
    @WithDefault("20s")
    Duration steadyDuration();

    /** Threads sharing the steady schedule (one slow request does not hold the next one back). */
    @WithDefault("4")
    int steadyThreads();

    /** Concurrent clients of the flat-out runs (POST, and the GET reference). */
    @WithDefault("4")
    int clients();

    /** Flat-out POST /v1/keys: more than the pool's refill rate, so the pool runs dry. */
    @WithDefault("8s")
    Duration flatOutDuration();

    /** Longest wait for the pool to be full again before a pooled scenario. */
    @WithDefault("30s")
    Duration refillTimeout();

    /** Per HTTP request. */
    @WithDefault("30s")
    Duration requestTimeout();
}
