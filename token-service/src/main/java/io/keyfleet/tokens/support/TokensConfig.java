package io.keyfleet.tokens.support;

import io.keyfleet.tokens.upstream.GatewayVersion;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "keyfleet.tokens")
public interface TokensConfig {

    /** The provider's gateway (the sandbox locally): {@code /gateway.do} (v2) and {@code /v3/…} (v3) under it. */
    URI providerGatewayUrl();

    /**
     * The gateway an exchange goes through when the request names none (KEYFLEET_TOKENS_GATEWAY_VERSION). A grant keeps
     * the one it was exchanged through, and is refreshed through it.
     */
    @WithDefault("V2")
    GatewayVersion defaultGatewayVersion();

    /**
     * The AES-256 keys the tokens are encrypted with at rest (KEYFLEET_TOKENS_KEY): one base64 key (key 1), or
     * {@code <id>:<base64 of 32 bytes>} entries separated by commas. The active key encrypts, every listed one decrypts.
     */
    Optional<String> encryptionKey();

    /** Without {@link #encryptionKey()}: the file holding them (one entry a line), generated (owner-only) on first start. */
    @WithDefault("token-service-encryption.key")
    Path encryptionKeyFile();

    /** The key id new tokens are encrypted with; the highest id when not set (KEYFLEET_TOKENS_KEY_ACTIVE). */
    Optional<Integer> encryptionKeyActive();

    Reencryption reencryption();

    /** Moving stored tokens to the active key, in the background (see TokenKeyRotation). */
    interface Reencryption {
        /** How often a replica looks for grants under an older key (and counts grants per key). */
        @WithDefault("1m")
        String interval();

        /** Grants per transaction. */
        @WithDefault("200")
        int batchSize();
    }

    /** Tokens are refreshed this long before they expire (at most half the token's lifetime). */
    @WithDefault("PT10M")
    Duration refreshMargin();

    /** Up to this much earlier still (random, at most a tenth of the lifetime), so that a burst of expiries spreads out. */
    @WithDefault("PT2M")
    Duration refreshJitter();

    /** Grants whose provider gives no expiry are refreshed (the token call is the liveness check) this often. */
    @WithDefault("PT12H")
    Duration livenessInterval();

    /** GET …/token refreshes first when the access token has less than this left. */
    @WithDefault("PT1S")
    Duration minRemaining();

    /** A failed refresh is retried after base × 2^(attempt-1), at most max, with jitter (half to all of it). */
    @WithDefault("PT5S")
    Duration backoffBase();

    @WithDefault("PT15M")
    Duration backoffMax();

    /** After failing this long a grant goes to NEEDS_REAUTHORIZATION. */
    @WithDefault("P3D")
    Duration reauthorizeAfter();

    /** Timeout of one upstream call. */
    @WithDefault("PT10S")
    Duration upstreamTimeout();

    Scheduler scheduler();

    interface Scheduler {
        @WithDefault("true")
        boolean enabled();

        /** How often a replica looks for due grants. */
        @WithDefault("1s")
        String tick();

        /** Grants claimed per look. */
        @WithDefault("200")
        int batchSize();

        /** Upstream calls one replica makes at once. */
        @WithDefault("16")
        int concurrency();

        /**
         * A claim is the replica's for at most this long, and for at most half the time its access token has left (but
         * {@link #minLease()} at least), so that the grants of a replica that died are taken over before they expire.
         * A live replica renews the leases of the grants it is refreshing every {@link #leaseRenewal()}.
         */
        @WithDefault("PT60S")
        Duration lease();

        /**
         * The shortest lease: the margin a live replica has to renew it (a loaded machine can delay the renewal by
         * seconds). Tokens with less than twice this left when claimed can expire before a dead replica's claim ends.
         */
        @WithDefault("PT5S")
        Duration minLease();

        /** How often a replica renews the leases of the grants it is refreshing (well below {@link #minLease()}). */
        @WithDefault("1s")
        String leaseRenewal();
    }
}
