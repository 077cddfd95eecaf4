package io.keyfleet.signing.keycache;

import io.keyfleet.signing.crypto.RsaKeys;
import io.keyfleet.signing.crypto.RsaSigner;
import io.keyfleet.signing.crypto.RsaVerifier;
import java.security.Provider;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** One key (an app's key pair, or a provider's public key) and the versions the cache knows, in memory. */
public final class CachedKey {

    public static final String CURRENT = "CURRENT";
    public static final String PREVIOUS = "PREVIOUS";
    public static final String REVOKED = "REVOKED";

    /** One version: its public key parsed once, and its signer once the private key was fetched. */
    public static final class Version {
        public final int number;
        final String publicKey;
        volatile String state;
        volatile Instant validUntil;
        private volatile RsaVerifier verifier;
        volatile RsaSigner signer;

        Version(int number, String publicKey, String state, Instant validUntil) {
            this.number = number;
            this.publicKey = publicKey;
            this.state = state;
            this.validUntil = validUntil;
        }

        public String state() {
            return state;
        }

        /** CURRENT, or PREVIOUS within its grace period. */
        public boolean usable(Instant now) {
            return CURRENT.equals(state) || (PREVIOUS.equals(state) && (validUntil == null || now.isBefore(validUntil)));
        }

        public RsaVerifier verifier(Optional<Provider> provider) {
            RsaVerifier v = verifier;
            if (v == null) {
                v = new RsaVerifier(RsaKeys.publicKey(publicKey), provider);
                verifier = v;
            }
            return v;
        }
    }

    public final String keyId;
    volatile int current;
    final ConcurrentHashMap<Integer, Version> versions = new ConcurrentHashMap<>();

    CachedKey(String keyId) {
        this.keyId = keyId;
    }

    public Version currentVersion() {
        return versions.get(current);
    }

    /** Versions newest first. */
    public java.util.List<Version> newestFirst() {
        return versions.values().stream().sorted((a, b) -> Integer.compare(b.number, a.number)).toList();
    }

    /**
     * What the tables say, applied only where it moves a version forward (new version, CURRENT → PREVIOUS → REVOKED):
     * the tables may lag behind the events this replica already applied.
     */
    void merge(int number, String publicKey, String state, Instant validUntil) {
        Version known = versions.get(number);
        if (known == null) {
            put(number, publicKey, state, validUntil);
        } else if (rank(state) > rank(known.state)) {
            known.state = state;
            known.validUntil = validUntil;
            if (REVOKED.equals(state)) {
                known.signer = null;
            }
        }
    }

    private static int rank(String state) {
        return switch (state) {
            case CURRENT -> 1;
            case PREVIOUS -> 2;
            default -> 3; // REVOKED, RETIRED
        };
    }

    void put(int number, String publicKey, String state, Instant validUntil) {
        versions.compute(number, (n, old) -> {
            if (old == null || !old.publicKey.equals(publicKey)) {
                return new Version(n, publicKey, state, validUntil);
            }
            old.state = state;
            old.validUntil = validUntil;
            if (REVOKED.equals(state)) {
                old.signer = null;
            }
            return old;
        });
        if (CURRENT.equals(state) && number >= current) {
            current = number;
        }
    }
}
