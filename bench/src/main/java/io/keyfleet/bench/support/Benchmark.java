package io.keyfleet.bench.support;

/**
 * One benchmark: a CDI bean that runs its scenarios and the references they are compared with, all in the same run,
 * and returns the report. Register it in {@link io.keyfleet.bench.Benchmarks} to make it {@code bench/run NAME}.
 *
 * <p>Rules: every loop is bounded (a duration or a count, plus a timeout for anything awaited), everything talks to
 * loopback only, and every figure that claims something has a reference measured in the same run next to it.
 */
public interface Benchmark {

    Report run() throws Exception;
}
