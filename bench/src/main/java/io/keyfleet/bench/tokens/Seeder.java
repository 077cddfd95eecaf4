package io.keyfleet.bench.tokens;

import io.keyfleet.bench.support.Joins;
import io.keyfleet.bench.support.Latencies;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Grants made the honest way, concurrently: a merchant's consent in the sandbox (one-time app_auth_code), then
 * {@code POST /v1/grants/exchange} of token-service (signed through signing-service, the sandbox's signed answer checked).
 * Merchant i is user {@code <prefix><i, 12 digits>}. A failed exchange is tried again with a new consent after 1, 2, 4 and 8 s (5 attempts in all).
 */
final class Seeder {

    private static final int ATTEMPTS = 5;

    /**
     * @param grantIds        token-service's grant ids, by merchant index
     * @param finishedAtNanos when each exchange returned ({@link System#nanoTime()}), by merchant index
     */
    record Result(String[] grantIds, long[] finishedAtNanos, long startNs, long elapsedNs, long retries, long failed,
                  Throwable firstFailure, Latencies exchangeLatency) {

        double perSecond() {
            return (grantIds.length - failed) / (elapsedNs / 1e9);
        }

        /** Exchanges/s over the second half of the run (the first half warms the JIT and the connections). */
        double secondHalfPerSecond() {
            long[] sorted = finishedAtNanos.clone();
            java.util.Arrays.sort(sorted);
            int half = sorted.length / 2;
            long span = sorted[sorted.length - 1] - sorted[half];
            return span <= 0 ? perSecond() : (sorted.length - 1 - half) / (span / 1e9);
        }
    }

    private Seeder() {
    }

    /** @param done counts finished exchanges while it runs (for whoever steers the app's token lifetime) */
    static Result run(String name, TokensApi api, String appId, String userPrefix, int count, int threads, AtomicInteger done,
                      Duration limit) {
        String[] ids = new String[count];
        long[] finished = new long[count];
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        AtomicLong retries = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<Throwable> firstFailure = new AtomicReference<>();
        long start = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    String userId = userPrefix + String.format("%012d", i);
                    for (int attempt = 1; attempt <= ATTEMPTS && ids[i] == null; attempt++) {
                        try {
                            String code = api.consent(appId, userId);
                            long begin = System.nanoTime();
                            ids[i] = api.exchange(appId, code);
                            finished[i] = System.nanoTime();
                            latencies[i] = finished[i] - begin;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        } catch (Exception e) {
                            firstFailure.compareAndSet(null, e);
                            if (attempt < ATTEMPTS) {
                                retries.incrementAndGet();
                                // e.g. 503 VERIFICATION_UNAVAILABLE on an overloaded machine: "retry in a few seconds"
                                try {
                                    Thread.sleep(1000L << (attempt - 1));
                                } catch (InterruptedException interrupted) {
                                    Thread.currentThread().interrupt();
                                    return;
                                }
                            }
                        }
                    }
                    if (ids[i] == null) {
                        failed.incrementAndGet();
                        finished[i] = System.nanoTime();
                    }
                    done.incrementAndGet();
                }
            }, name + "-" + t);
            thread.setDaemon(true);
            workers.add(thread);
        }
        workers.forEach(Thread::start);
        Joins.all(workers, limit);
        long elapsed = System.nanoTime() - start;
        long[] ok = new long[count];
        int k = 0;
        for (int i = 0; i < count; i++) {
            if (ids[i] != null) {
                ok[k++] = latencies[i];
            }
        }
        // not exchanged: failed 3 times, or not reached within the limit
        return new Result(ids, finished, start, elapsed, retries.get(), count - k, firstFailure.get(),
                Latencies.ofNanos(java.util.Arrays.copyOf(ok, k)));
    }
}
