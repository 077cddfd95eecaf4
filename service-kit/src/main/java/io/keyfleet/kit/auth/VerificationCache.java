package io.keyfleet.kit.auth;

import io.keyfleet.auth.RequestSignature;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Valid bearer-key verifications, reused for a short while ({@code keyfleet.auth.cache-ttl}, never past the moment
 * the credential stops working). Keyed by the SHA-256 of the key together with source address and scope, so the key
 * itself is not kept. Signed requests are never cached: each carries a fresh nonce key-service must see. Revoke,
 * rotate, enable and disable events drop a credential's entries at once ({@link CredentialEventsListener}).
 */
@ApplicationScoped
public class VerificationCache {

    private record Entry(Verification verification, long expiresAtNanos) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    @Inject
    AuthConfig config;

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

    public void put(PresentedCredential presented, Verification verification) {
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
        if (entries.size() >= config.cacheMaxEntries()) {
            // rare and harmless: everything is simply verified again
            entries.clear();
        }
        entries.put(key(presented), new Entry(verification, System.nanoTime() + ttl.toNanos()));
    }

    /** Forgets every cached verification of the credential. */
    public void evict(UUID credentialId) {
        entries.values().removeIf(entry -> credentialId.equals(entry.verification().credentialId()));
    }

    public int size() {
        return entries.size();
    }

    private static String key(PresentedCredential presented) {
        String apiKey = presented.apiKey().strip();
        byte[] hash = RequestSignature.sha256(apiKey.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(hash) + '|' + presented.sourceIp() + '|' + presented.requiredScope();
    }
}
