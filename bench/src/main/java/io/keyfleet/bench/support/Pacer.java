package io.keyfleet.bench.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a task on a fixed schedule: operation {@code i} is due at {@code start + i / rate}, spread over a few threads
 * (thread {@code k} runs the operations with {@code i % threads == k}), so the load is an even stream, not bursts, and
 * one slow operation does not hold the others back. An operation that starts late counts in the schedule lag, which
 * the report shows so a reader can see whether the rate was really held.
 */
public final class Pacer {

    /** How long the pacer keeps working through a backlog after the schedule has ended. */
    private static final Duration OVERRUN_LIMIT = Duration.ofSeconds(15);

    @FunctionalInterface
    public interface Task {
        void run(long index) throws Exception;
    }

    /** A task that also wants to know when it was due ({@link System#nanoTime()}). */
    @FunctionalInterface
    public interface ScheduledTask {
        void run(long index, long dueNs) throws Exception;
    }

    /**
     * @param scheduled  operations the schedule had
     * @param executed   operations that ran (less than scheduled only if the overrun limit cut the backlog)
     * @param failed     operations that threw
     * @param elapsedNs  from the schedule's start until the last operation ended
     * @param lag        how late operations started against their due time
     */
    public record Result(long scheduled, long executed, long failed, long elapsedNs, Latencies lag, Throwable firstFailure) {

        public double achievedPerSecond() {
            return executed / (elapsedNs / 1e9);
        }
    }

    private Pacer() {
    }

    public static Result run(String name, double perSecond, Duration duration, int threads, Task task) {
        return run(name, perSecond, duration, threads, (ScheduledTask) (index, dueNs) -> task.run(index));
    }

    public static Result run(String name, double perSecond, Duration duration, int threads, ScheduledTask task) {
        if (perSecond <= 0 || threads < 1) {
            throw new IllegalArgumentException("rate and threads must be positive");
        }
        long total = (long) Math.floor(perSecond * duration.toNanos() / 1e9);
        double intervalNs = 1e9 / perSecond;
        AtomicLong executed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        long[][] lags = new long[threads][];
        long start = System.nanoTime() + 20_000_000L; // every thread is parked before the first operation is due
        long hardStop = start + duration.toNanos() + OVERRUN_LIMIT.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            int worker = k;
            lags[k] = new long[(int) (total / threads + 1)];
            Thread thread = new Thread(() -> {
                int n = 0;
                for (long i = worker; i < total; i += threads) {
                    long due = start + (long) (i * intervalNs);
                    long wait;
                    while ((wait = due - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    long now = System.nanoTime();
                    if (now > hardStop) {
                        break;
                    }
                    lags[worker][n++] = now - due;
                    try {
                        task.run(i, due);
                        executed.incrementAndGet();
                    } catch (Exception | Error e) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                }
                lags[worker] = java.util.Arrays.copyOf(lags[worker], n);
            }, name + "-" + k);
            thread.setDaemon(true);
            workers.add(thread);
        }
        workers.forEach(Thread::start);
        Joins.all(workers, duration.plus(OVERRUN_LIMIT).plusSeconds(30));
        long end = System.nanoTime();
        return new Result(total, executed.get(), failed.get(), end - start, Latencies.ofNanos(concat(lags)), firstFailure.get());
    }

    static long[] concat(long[][] parts) {
        int size = 0;
        for (long[] part : parts) {
            size += part == null ? 0 : part.length;
        }
        long[] all = new long[size];
        int at = 0;
        for (long[] part : parts) {
            if (part != null) {
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
        }
        return all;
    }
}
