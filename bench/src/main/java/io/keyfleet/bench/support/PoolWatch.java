package io.keyfleet.bench.support;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Watches key-service's RSA key pool while a scenario runs: polls its gauge on /q/metrics every 100 ms from a
 * daemon thread and keeps when it first showed no ready pair.
 */
public final class PoolWatch implements AutoCloseable {

    private final Thread thread;
    private volatile long dryAtNs;
    private volatile boolean dry;

    private PoolWatch(KeyServiceClient client) {
        this.thread = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted() && !dry) {
                try {
                    if (client.pool().ready() < 1) {
                        dryAtNs = System.nanoTime();
                        dry = true;
                    }
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // the next poll will do
                }
            }
        }, "bench-pool-watch");
        thread.setDaemon(true);
    }

    public static PoolWatch start(KeyServiceClient client) {
        PoolWatch watch = new PoolWatch(client);
        watch.thread.start();
        return watch;
    }

    public boolean ranDry() {
        return dry;
    }

    /** {@link System#nanoTime()} of the first poll that found the pool empty; meaningful only if {@link #ranDry()}. */
    public long dryAtNs() {
        return dryAtNs;
    }

    @Override
    public void close() {
        thread.interrupt();
        Joins.all(List.of(thread), Duration.ofSeconds(10));
    }
}
