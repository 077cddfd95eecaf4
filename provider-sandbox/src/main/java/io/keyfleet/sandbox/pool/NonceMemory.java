package io.keyfleet.sandbox.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The nonces of accepted signed calls, so that each is accepted once (replay protection). Bounded in time and size:
 * a nonce is kept only while a call with its timestamp could still pass the timestamp window (until timestamp +
 * window), and at most {@code capacity} are kept. When full, a new nonce is refused rather than an older one forgotten
 * early, which would open it to replay; the caller answers "retry after" the oldest one expires.
 */
final class NonceMemory {

    enum Outcome { ACCEPTED, REPLAYED, FULL }

    private record Entry(String key, Instant expiresAt) {
    }

    private final Duration window;
    private final int capacity;
    private final Map<String, Instant> expiryByKey = new HashMap<>();
    private final PriorityQueue<Entry> byExpiry = new PriorityQueue<>((a, b) -> a.expiresAt().compareTo(b.expiresAt()));

    NonceMemory(Duration window, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.window = window;
        this.capacity = capacity;
    }

    /** Remembers the member's nonce of a call signed at {@code timestamp} (already checked to be within the window). */
    synchronized Outcome remember(String memberId, String nonce, Instant timestamp, Instant now) {
        forgetExpired(now);
        String key = memberId + '\n' + nonce;
        if (expiryByKey.containsKey(key)) {
            return Outcome.REPLAYED;
        }
        if (expiryByKey.size() >= capacity) {
            return Outcome.FULL;
        }
        Instant expiresAt = timestamp.plus(window);
        expiryByKey.put(key, expiresAt);
        byExpiry.add(new Entry(key, expiresAt));
        return Outcome.ACCEPTED;
    }

    /** How long until room frees up: until the earliest kept nonce expires. */
    synchronized Duration untilRoom(Instant now) {
        Entry earliest = byExpiry.peek();
        return earliest == null || !earliest.expiresAt().isAfter(now) ? Duration.ZERO : Duration.between(now, earliest.expiresAt());
    }

    synchronized int size() {
        return expiryByKey.size();
    }

    private void forgetExpired(Instant now) {
        while (!byExpiry.isEmpty() && byExpiry.peek().expiresAt().isBefore(now)) {
            expiryByKey.remove(byExpiry.poll().key());
        }
    }
}
