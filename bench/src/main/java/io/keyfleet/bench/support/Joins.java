package io.keyfleet.bench.support;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Bounded waiting: every wait in a benchmark has a limit. */
public final class Joins {

    private Joins() {
    }

    /** Joins the threads; interrupts those still running after {@code limit}. */
    public static void all(List<Thread> threads, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        threads.stream().filter(Thread::isAlive).forEach(Thread::interrupt);
    }

    /** Polls {@code condition} every {@code every} until it holds or {@code limit} passes; returns whether it held. */
    public static boolean until(BooleanSupplier condition, Duration limit, Duration every) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
