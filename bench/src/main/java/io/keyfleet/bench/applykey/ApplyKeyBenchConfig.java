package io.keyfleet.bench.applykey;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Knobs of the applykey benchmark; override any with {@code bench/run applykey -Dbench.applykey.rate=100}. */
@ConfigMapping(prefix = "bench.applykey")
public interface ApplyKeyBenchConfig {

    /** The rate: applyPublicKey paced at this many requests/s... */
    @WithDefault("200")
    double rate();

    /** ...for this long (the pacer gives up on a backlog 15 s after the schedule ends). */
    @WithDefault("30s")
    Duration duration();

    /** Threads sharing the schedule: at most this many requests are in flight. */
    @WithDefault("16")
    int threads();

    /** A rate below the pool's refill rate (~15 pairs/s here), where every request can be served from the pool. */
    @WithDefault("8")
    double sustainableRate();

    @WithDefault("20s")
    Duration sustainableDuration();

    /** Before measuring: whoami flat out, and a few applyPublicKey calls one after the other. */
    @WithDefault("5s")
    Duration warmUp();

    @WithDefault("20")
    int warmUpApplies();

    /** KEYFLEET_KEYS_POOL_SIZE (key-service's default). */
    @WithDefault("16")
    int poolSize();

    /** Longest wait for the pool to be full again before a scenario. */
    @WithDefault("60s")
    Duration refillTimeout();

    /** key-service's runnable jar; default {@code <project root>/key-service/target/quarkus-app/quarkus-run.jar}. */
    Optional<Path> keyServiceJar();

    @WithDefault("-Xms256m -Xmx512m -XX:+UseG1GC")
    String keyServiceJvmOptions();

    @WithDefault("90s")
    Duration startTimeout();

    @WithDefault("60s")
    Duration requestTimeout();
}
