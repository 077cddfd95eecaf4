package io.keyfleet.bench.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an operation paced, flat out or as a burst, and keeps how long each call took (from just before the call to
 * just after it returned; a late start counts in the pacer's schedule lag, not in the latency).
 */
public final class Load {

    @FunctionalInterface
    public interface Op {
        void call(long index) throws Exception;
    }

    /**
     * One successful call: when it started and how long it took ({@link System#nanoTime()}); for a paced call also when
     * the schedule said it should start ({@code dueNs}; otherwise the same as {@code startNs}).
     */
    public record Sample(long startNs, long latencyNs, long dueNs) {
    }

    /**
     * @param elapsedNs from the first start to the last call's end
     * @param paced     the schedule's figures (lag), for paced runs only
     */
    public record Result(List<Sample> samples, long failed, long elapsedNs, Pacer.Result paced, Throwable firstFailure) {

        public long ok() {
            return samples.size();
        }

        public double perSecond() {
            return samples.size() / (elapsedNs / 1e9);
        }

        public Latencies latency() {
            return Latencies.ofNanos(samples.stream().mapToLong(Sample::latencyNs).toArray());
        }

        /**
         * For paced runs: from when each call was due until its answer, so the time a call waited for a late start
         * counts too (what a caller arriving on schedule would see; the same as {@link #latency()} when the schedule
         * was held).
         */
        public Latencies latencyFromDue() {
            return Latencies.ofNanos(samples.stream().mapToLong(s -> s.startNs() + s.latencyNs() - s.dueNs()).toArray());
        }

        /** For paced runs: whether the rate was held (every scheduled call ran, at 98 % of {@code rate} or more). */
        public boolean rateHeld(double rate) {
            return paced != null && paced.executed() == paced.scheduled() && paced.achievedPerSecond() >= 0.98 * rate;
        }

        /** Latencies of the calls that started at or after {@code fromNs}. */
        public Latencies latencyFrom(long fromNs) {
            return Latencies.ofNanos(samples.stream().filter(s -> s.startNs() - fromNs >= 0).mapToLong(Sample::latencyNs).toArray());
        }

        public String failure() {
            return firstFailure == null ? "" : "first failure: " + firstFailure;
        }
    }

    private Load() {
    }

    public static Result paced(String name, double perSecond, Duration duration, int threads, Op op) {
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        Pacer.Result paced = Pacer.run(name, perSecond, duration, threads, (i, dueNs) -> timed(op, i, dueNs, samples));
        return new Result(List.copyOf(samples), paced.failed(), paced.elapsedNs(), paced, paced.firstFailure());
    }

    public static Result flatOut(String name, int threads, Duration duration, Op op) {
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        AtomicLong index = new AtomicLong();
        FlatOut.Result result = FlatOut.run(name, threads, duration, (thread, n) -> timed(op, index.getAndIncrement(), null, samples));
        return new Result(List.copyOf(samples), result.failed(), result.elapsedNs(), null, result.firstFailure());
    }

    /** {@code size} calls released at the same moment, one thread each; waits at most {@code limit} for them. */
    public static Result burst(String name, int size, Duration limit, Op op) {
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(size);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < size; k++) {
            long index = k;
            Thread thread = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    timed(op, index, null, samples);
                } catch (Exception | Error e) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, e);
                }
            }, name + "-" + k);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        try {
            ready.await(); // every thread is parked on the latch: the calls really leave together
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long start = System.nanoTime();
        go.countDown();
        Joins.all(threads, limit);
        long end = samples.stream().mapToLong(s -> s.startNs() + s.latencyNs()).max().orElse(System.nanoTime());
        return new Result(List.copyOf(samples), failed.get(), end - start, null, firstFailure.get());
    }

    /** Several runs of the same kind as one: their calls together, their times added up. */
    public static Result merge(List<Result> results) {
        List<Sample> samples = new ArrayList<>();
        long failed = 0;
        long elapsed = 0;
        Throwable firstFailure = null;
        for (Result result : results) {
            samples.addAll(result.samples());
            failed += result.failed();
            elapsed += result.elapsedNs();
            firstFailure = firstFailure != null ? firstFailure : result.firstFailure();
        }
        return new Result(List.copyOf(samples), failed, elapsed, null, firstFailure);
    }

    private static void timed(Op op, long index, Long dueNs, ConcurrentLinkedQueue<Sample> samples) throws Exception {
        long start = System.nanoTime();
        op.call(index);
        samples.add(new Sample(start, System.nanoTime() - start, dueNs == null ? start : dueNs));
    }
}
