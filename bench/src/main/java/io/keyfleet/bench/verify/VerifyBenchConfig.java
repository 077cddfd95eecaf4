package io.keyfleet.bench.verify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Knobs of the verify benchmark; override any with {@code bench/run verify -Dbench.verify.clients=32}. */
@ConfigMapping(prefix = "bench.verify")
public interface VerifyBenchConfig {

    /** Bearer API keys stored before measuring; verify cycles over all of them. */
    @WithDefault("10000")
    int credentials();

    /** SecretId/SecretKey pairs stored for the signed-request line. */
    @WithDefault("100")
    int pairs();

    /** Threads creating the credentials through POST /v1/credentials. */
    @WithDefault("8")
    int createThreads();

    /** Concurrent keep-alive connections of the closed-loop runs (each a thread sending its next request when answered). */
    @WithDefault("16")
    int clients();

    /** Per service, before measuring: whoami and verify alternately, flat out (JIT, connections, every key once). */
    @WithDefault("8s")
    Duration warmUp();

    /**
     * Closed loop: verify runs this long without a break, with whoami for half of it before and half after (so a drift
     * of the machine's load hits both alike). The default is the verification cache's lifetime (keyfleet.auth.cache-ttl,
     * 30 s): with the cache on, the cached answers of all the keys, made during the warm-up, expire once within it, as
     * they do once every 30 s in steady use.
     */
    @WithDefault("30s")
    Duration measure();

    /** Open loop: whoami, verify and signed verify each paced well below saturation for {@link #pacedDuration()}. */
    @WithDefault("1000")
    double pacedRate();

    @WithDefault("10s")
    Duration pacedDuration();

    /** Paced verify with the cache on runs this long instead: one cache lifetime, see {@link #measure()}. */
    @WithDefault("30s")
    Duration pacedCachedVerifyDuration();

    /** Threads sharing the paced schedule. */
    @WithDefault("16")
    int pacedThreads();

    /** Signed-request verification (a nonce written per request): closed loop for this long, then paced. */
    @WithDefault("6s")
    Duration signedMeasure();

    @WithDefault("500")
    double signedPacedRate();

    /** Also run a second key-service with its verification cache off (keyfleet.auth.cache-ttl=PT0S). */
    @WithDefault("true")
    boolean uncached();

    /** key-service's runnable jar; default {@code <project root>/key-service/target/quarkus-app/quarkus-run.jar}. */
    Optional<Path> keyServiceJar();

    @WithDefault("-Xms256m -Xmx512m -XX:+UseG1GC")
    String keyServiceJvmOptions();

    @WithDefault("90s")
    Duration startTimeout();

    @WithDefault("30s")
    Duration requestTimeout();
}
