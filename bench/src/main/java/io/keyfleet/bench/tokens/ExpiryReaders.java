package io.keyfleet.bench.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfleet.bench.support.Joins;
import io.keyfleet.bench.support.Latencies;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Internal callers reading tokens while the refreshes run: {@code GET /v1/grants/{id}/token} of random grants at a
 * steady rate, each answer checked. An access token handed out at or past its {@code expiresAt}, or a 409
 * TOKEN_EXPIRED, is a grant seen expired; anything else but a 200 is an error.
 */
final class ExpiryReaders implements AutoCloseable {

    private final TokensApi api;
    private final String[] grantIds;
    private final List<Thread> threads = new ArrayList<>();
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean stopping;

    final AtomicLong reads = new AtomicLong();
    final AtomicLong handedOutExpired = new AtomicLong();
    final AtomicLong tokenExpired409 = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicReference<String> firstProblem = new AtomicReference<>();
    private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    private final java.util.Set<String> expiredGrants = java.util.concurrent.ConcurrentHashMap.newKeySet();

    ExpiryReaders(TokensApi api, String[] grantIds, int perSecond, int threadCount) {
        this.api = api;
        this.grantIds = grantIds;
        long intervalNs = (long) (1e9 * threadCount / Math.max(1, perSecond));
        for (int t = 0; t < threadCount; t++) {
            Thread thread = new Thread(() -> read(intervalNs), "token-reader-" + t);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    private void read(long intervalNs) {
        long due = System.nanoTime();
        while (!stopping) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
            due += intervalNs;
            String id = grantIds[ThreadLocalRandom.current().nextInt(grantIds.length)];
            if (id == null) {
                continue;
            }
            try {
                long start = System.nanoTime();
                TokensApi.TokenAnswer answer = api.token(id);
                latencies.add(System.nanoTime() - start);
                reads.incrementAndGet();
                check(id, answer);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                errors.incrementAndGet();
                firstProblem.compareAndSet(null, id + ": " + e);
            }
        }
    }

    private void check(String id, TokensApi.TokenAnswer answer) throws Exception {
        if (answer.status() == 200) {
            JsonNode expiresAt = json.readTree(answer.body()).path("expiresAt");
            if (expiresAt.isTextual() && !Instant.parse(expiresAt.asText()).isAfter(Instant.ofEpochMilli(answer.receivedAtMillis()))) {
                handedOutExpired.incrementAndGet();
                expiredGrants.add(id);
                firstProblem.compareAndSet(null, id + ": handed out a token that expired at " + expiresAt.asText());
            }
        } else if (answer.status() == 409 && answer.body().contains("TOKEN_EXPIRED")) {
            tokenExpired409.incrementAndGet();
            expiredGrants.add(id);
            firstProblem.compareAndSet(null, id + ": 409 TOKEN_EXPIRED");
        } else {
            errors.incrementAndGet();
            firstProblem.compareAndSet(null, id + ": HTTP " + answer.status() + " " + answer.body());
        }
    }

    /** Distinct grants that answered with an expired token or 409 TOKEN_EXPIRED at least once. */
    long grantsSeenExpired() {
        return expiredGrants.size();
    }

    Latencies latency() {
        return Latencies.ofNanos(latencies.stream().mapToLong(Long::longValue).toArray());
    }

    @Override
    public void close() {
        stopping = true;
        Joins.all(threads, Duration.ofSeconds(40));
    }
}
