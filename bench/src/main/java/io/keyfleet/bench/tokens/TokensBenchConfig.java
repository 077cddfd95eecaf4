package io.keyfleet.bench.tokens;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Knobs of the tokens benchmark; override any with {@code bench/run tokens -Dbench.tokens.grants=2000}. */
@ConfigMapping(prefix = "bench.tokens")
public interface TokensBenchConfig {

    /** Grants exchanged through POST /v1/grants/exchange whose access tokens all expire within {@link #window()}. */
    @WithDefault("100000")
    int grants();

    /** Exchanges on a separate app (1-day tokens, never refreshed in the run) first: JIT warm-up and the seeding-rate estimate. */
    @WithDefault("1000")
    int warmUpGrants();

    /** Concurrent consent + exchange loops while seeding. */
    @WithDefault("16")
    int seedThreads();

    /** The access tokens of all seeded grants expire within this window (the sandbox's per-app lifetime is steered). */
    @WithDefault("60s")
    Duration window();

    /**
     * Exchanges/s the window is planned with, instead of the warm-up's rate (which comes from freshly started JVMs and
     * moves with the machine's load), e.g. the seeding rate of an earlier run.
     */
    Optional<Double> seedRate();

    /** The window is placed after the seeding's estimated end × this, so that no grant falls due while seeding. */
    @WithDefault("1.1")
    double seedSafety();

    /** token-service's keyfleet.tokens.refresh-margin (its default). */
    @WithDefault("PT10M")
    Duration refreshMargin();

    /** token-service's keyfleet.tokens.refresh-jitter (its default). */
    @WithDefault("PT2M")
    Duration refreshJitter();

    /** token-service's keyfleet.tokens.scheduler.concurrency, if set (its default: 16). */
    Optional<Integer> schedulerConcurrency();

    /** token-service's keyfleet.tokens.scheduler.batch-size, if set (its default: 200). */
    Optional<Integer> schedulerBatchSize();

    /** GET …/token calls per second over all grants while the refreshes run (readers that look for an expired token). */
    @WithDefault("100")
    int readRate();

    @WithDefault("4")
    int readThreads();

    /** After the window has closed, how long to wait at most for the last grant's refresh. */
    @WithDefault("10m")
    Duration refreshTimeout();

    /** GET …/token and the health reference: keep-alive clients, flat out. */
    @WithDefault("8")
    int clients();

    @WithDefault("5s")
    Duration getWarmUp();

    @WithDefault("15s")
    Duration getMeasure();

    /** {@code openssl speed -multi <cores> -seconds <this> rsa2048}. */
    @WithDefault("5")
    int opensslSeconds();

    /** Each of key-service, signing-service, token-service and the sandbox. */
    @WithDefault("-Xms256m -Xmx768m -XX:+UseG1GC")
    String jvmOptions();

    @WithDefault("180s")
    Duration startTimeout();

    @WithDefault("30s")
    Duration requestTimeout();
}
