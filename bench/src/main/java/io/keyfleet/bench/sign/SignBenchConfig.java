package io.keyfleet.bench.sign;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Knobs of the sign benchmark; override any with {@code bench/run sign -Dbench.sign.measure=20s}. */
@ConfigMapping(prefix = "bench.sign")
public interface SignBenchConfig {

    /** {@code openssl speed -multi <cores> -seconds <this> rsa2048}. */
    @WithDefault("5")
    int opensslSeconds();

    /** signing-service's runnable jar; default {@code <project root>/signing-service/target/quarkus-app/quarkus-run.jar}. */
    Optional<Path> signingServiceJar();

    @WithDefault("-Xms256m -Xmx512m -XX:+UseG1GC")
    String jvmOptions();

    @WithDefault("120s")
    Duration startTimeout();

    /** Concurrent HTTP clients (keep-alive connections) in each scenario. */
    @WithDefault("8")
    int clients();

    /** Flat out before the first measured scenario of each service (JIT, connection set-up, key fetch). */
    @WithDefault("8s")
    Duration warmUp();

    /** Each scenario runs this long on each service. */
    @WithDefault("10s")
    Duration measure();

    /** Items per request in the batch scenarios. */
    @WithDefault("50")
    int batchSize();

    @WithDefault("30s")
    Duration requestTimeout();

    /** The goal: signatures/s over HTTP at least this share of OpenSSL's on the same machine. */
    @WithDefault("0.75")
    double target();
}
