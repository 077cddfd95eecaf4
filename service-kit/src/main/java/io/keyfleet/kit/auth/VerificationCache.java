package io.keyfleet.kit.auth;

import io.keyfleet.keys.api.Verification;

import io.keyfleet.auth.RequestSignature;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Valid bearer-key verifications, reused for a short while ({@code keyfleet.auth.cache-ttl}, never past the moment
 * the credential stops working). Keyed by the SHA-256 of the key together with source address and scope, so the key
 * itself is not kept. Signed requests are never cached: each carries a fresh nonce key-service must see. Revoke,
 * rotate, enable and disable events drop a credential's entries at once ({@link CredentialEventsListener}).
 *
 * <p>An eviction cannot be undone by a verification that was under way when it happened: its answer may predate the
 * change. Every eviction moves the cache's {@link #generation()} on and is remembered per credential for
 * {@link #EVICTION_MEMORY}; a caller reads the generation before it starts verifying and {@link #put} refuses the answer
 * when its credential was evicted since (or when evictions since then are no longer remembered). An eviction inside a
 * database transaction (key-service changing a credential) is repeated when the transaction ends, since verifications
 * that read the database before the commit still see the old state.
 */
@ApplicationScoped
public class VerificationCache {

    /** How long an eviction is remembered; a verification that takes longer than this is simply not cached. */
    static final Duration EVICTION_MEMORY = Duration.ofMinutes(1);

    private record Entry(Verification verification, long expiresAtNanos) {
    }

    private record Eviction(UUID credentialId, long generation, long atNanos) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    // written only while holding this object's monitor, as is every put into entries
    private volatile long generation;
    private volatile long lastEvictionNanos;
    private volatile boolean evictedEver;
    private final Map<UUID, Long> lastEviction = new HashMap<>();
    private final ArrayDeque<Eviction> evictions = new ArrayDeque<>();
    /** Answers of verifications that started before this generation are refused: those evictions are forgotten. */
    private long forgottenBefore;

    @Inject
    AuthConfig config;

    @Inject
    TransactionSynchronizationRegistry transactions;

    public Verification get(PresentedCredential presented) {
        if (!presented.hasApiKey()) {
            return null;
        }
        String key = key(presented);
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (System.nanoTime() - entry.expiresAtNanos() >= 0) {
            entries.remove(key, entry);
            return null;
        }
        return entry.verification();
    }

    /** Read it before a verification starts, and give it to {@link #put} with the answer. */
    public long generation() {
        return generation;
    }

    /**
     * Keeps a valid answer, unless its credential was evicted after {@code generationBefore} was read (the answer may
     * predate a revocation, rotation or change of scopes).
     */
    public void put(PresentedCredential presented, Verification verification, long generationBefore) {
        if (!presented.hasApiKey() || !verification.valid()) {
            return;
        }
        Duration ttl = config.cacheTtl();
        if (verification.validUntil() != null) {
            Duration left = Duration.between(Instant.now(), verification.validUntil());
            if (left.compareTo(ttl) < 0) {
                ttl = left;
            }
        }
        if (ttl.isNegative() || ttl.isZero()) {
            return;
        }
        String key = key(presented);
        synchronized (this) {
            forgetOldEvictions(System.nanoTime());
            Long evictedAt = lastEviction.get(verification.credentialId());
            if (generationBefore < forgottenBefore || (evictedAt != null && evictedAt > generationBefore)) {
                return;
            }
            if (entries.size() >= config.cacheMaxEntries()) {
                // rare and harmless: everything is simply verified again
                entries.clear();
            }
            entries.put(key, new Entry(verification, System.nanoTime() + ttl.toNanos()));
        }
    }

    /**
     * Forgets every cached verification of the credential, and refuses answers of verifications already under way.
     * Inside a transaction it does so again once the transaction has ended.
     */
    public void evict(UUID credentialId) {
        forget(credentialId);
        if (transactions.getTransactionStatus() == Status.STATUS_ACTIVE) {
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    forget(credentialId);
                }
            });
        }
    }

    /**
     * Whether a credential was evicted within the last cache lifetime. Until then a cache further up (key-service's
     * own) may still hold an answer given before that change, so a verification should ask past it.
     */
    public boolean evictedRecently() {
        return evictedEver && System.nanoTime() - lastEvictionNanos < config.cacheTtl().toNanos();
    }

    public int size() {
        return entries.size();
    }

    private synchronized void forget(UUID credentialId) {
        long now = System.nanoTime();
        long next = generation + 1;
        generation = next;
        lastEviction.put(credentialId, next);
        evictions.addLast(new Eviction(credentialId, next, now));
        lastEvictionNanos = now;
        evictedEver = true;
        forgetOldEvictions(now);
        if (lastEviction.size() > config.cacheMaxEntries()) {
            // a flood of events: forget them all at once; verifications under way now are not cached
            lastEviction.clear();
            evictions.clear();
            forgottenBefore = next;
        }
        entries.values().removeIf(entry -> credentialId.equals(entry.verification().credentialId()));
    }

    private void forgetOldEvictions(long now) {
        long memory = EVICTION_MEMORY.toNanos();
        while (!evictions.isEmpty() && now - evictions.peekFirst().atNanos() >= memory) {
            Eviction old = evictions.removeFirst();
            lastEviction.remove(old.credentialId(), old.generation());
            forgottenBefore = old.generation();
        }
    }

    private static String key(PresentedCredential presented) {
        String apiKey = presented.apiKey().strip();
        byte[] hash = RequestSignature.sha256(apiKey.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash) + '|' + presented.sourceIp() + '|' + presented.requiredScope();
    }
}
