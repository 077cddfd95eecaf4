package io.keyfleet.bench.support;

import io.keyfleet.launcher.ServiceProcess;

import java.time.Duration;

/**
 * One load scenario against a key-service process, with what the service spent on it: its CPU time per request and,
 * when it keeps an RSA key pool, the pool's hits and misses and when it first ran dry.
 *
 * @param cpuMsPerRequest the key-service process's CPU time during the scenario ÷ requests answered (all its threads:
 *                        requests, pool refill, outbox relay, GC, JIT)
 * @param poolBefore      pool figures before and after (zeros without a pool)
 * @param dryAfterSeconds with a pool: when its gauge first showed 0 ready pairs, from the start (NaN: never)
 * @param afterDry        latencies of the requests sent after that moment
 */
public record ServiceScenario(Load.Result result, double cpuMsPerRequest, KeyServiceClient.Pool poolBefore,
                              KeyServiceClient.Pool poolAfter, double dryAfterSeconds, Latencies afterDry) {

    /** The load of a scenario. */
    @FunctionalInterface
    public interface LoadRun {
        Load.Result run() throws Exception;
    }

    public long hits() {
        return Math.round(poolAfter.hits() - poolBefore.hits());
    }

    public long misses() {
        return Math.round(poolAfter.misses() - poolBefore.misses());
    }

    /**
     * Runs the load and measures the service's CPU time and pool counters around it. With a pool ({@code poolSize} > 0)
     * it first waits until the pool is full (at most {@code refillLimit}) and watches the pool's gauge while the load runs.
     */
    public static ServiceScenario run(ServiceProcess service, KeyServiceClient client, int poolSize, Duration refillLimit,
                                      LoadRun load) throws Exception {
        KeyServiceClient.Pool before = client.awaitPoolFull(poolSize, refillLimit);
        long cpuBefore = service.cpuNanos();
        long start = System.nanoTime();
        PoolWatch watch = poolSize > 0 ? PoolWatch.start(client) : null;
        Load.Result result = load.run();
        long cpuAfter = service.cpuNanos();
        if (watch != null) {
            watch.close();
        }
        KeyServiceClient.Pool after = client.pool();
        boolean dry = watch != null && watch.ranDry();
        long dryAt = dry ? watch.dryAtNs() : 0;
        return new ServiceScenario(result, (cpuAfter - cpuBefore) / 1e6 / Math.max(1, result.ok()), before, after,
                dry ? (dryAt - start) / 1e9 : Double.NaN, dry ? result.latencyFrom(dryAt) : Latencies.NONE);
    }

    /** Throws if any request of the load failed: a benchmark's figures count only successful requests. */
    public static Load.Result requireNoFailure(String what, Load.Result result) {
        if (result.failed() > 0) {
            throw new IllegalStateException(what + ": " + result.failed() + " requests failed; " + result.failure(), result.firstFailure());
        }
        return result;
    }
}
