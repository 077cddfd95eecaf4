package io.keyfleet.bench.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a task as fast as it goes from a few threads for a fixed time: the throughput ceiling. */
public final class FlatOut {

    @FunctionalInterface
    public interface Task {
        /** @param thread 0..threads-1; @param n how many operations this thread ran before */
        void run(int thread, long n) throws Exception;
    }

    /**
     * @param startNs   {@link System#nanoTime()} when the threads were let go
     * @param elapsedNs from the start until the last thread finished its last operation
     */
    public record Result(long operations, long failed, long startNs, long elapsedNs, Throwable firstFailure) {

        public double perSecond() {
            return operations / (elapsedNs / 1e9);
        }
    }

    private FlatOut() {
    }

    public static Result run(String name, int threads, Duration duration, Task task) {
        AtomicLong operations = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int k = 0; k < threads; k++) {
            int worker = k;
            Thread thread = new Thread(() -> {
                long n = 0;
                while (System.nanoTime() < end) {
                    try {
                        task.run(worker, n++);
                        operations.incrementAndGet();
                    } catch (Exception | Error e) {
                        failed.incrementAndGet();
                        firstFailure.compareAndSet(null, e);
                    }
                }
            }, name + "-" + k);
            thread.setDaemon(true);
            workers.add(thread);
        }
        workers.forEach(Thread::start);
        Joins.all(workers, duration.plusSeconds(60));
        return new Result(operations.get(), failed.get(), start, System.nanoTime() - start, firstFailure.get());
    }
}
