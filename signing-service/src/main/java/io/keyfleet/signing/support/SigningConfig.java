package io.keyfleet.signing.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "keyfleet.signing")
public interface SigningConfig {

    /** Use Amazon Corretto Crypto Provider for RSA when it loads; false forces the JDK's provider (for comparisons). */
    @WithDefault("true")
    boolean accp();

    /** How often cached keys are brought up to what the key-version tables say (a safety net for missed events). */
    @WithDefault("30s")
    String keyCacheRefresh();

    /**
     * How long an app secret's versions (AES content keys, HMAC secrets) are held before they are read from key-service
     * again: a rotation or revocation there takes effect here within this time.
     */
    @WithDefault("PT10S")
    Duration secretCacheTtl();

    /**
     * How long Alipay certificate-mode certificates read from key-service are used before they are read again (there are
     * no certificate events; a response naming an unknown certificate makes an early re-read).
     */
    @WithDefault("60s")
    Duration certificateRefresh();

    /** At most this many items in one batch request. */
    @WithDefault("100")
    int maxBatch();

    /**
     * The one bound of a message, whatever its scheme: at most this many characters in its body and parameters
     * together (names and values), else 413 MESSAGE_TOO_LARGE. Characters, not bytes, because the bytes depend on the
     * charset the message is signed in (a GBK character is 2 bytes, in UTF-8 3). The providers take several MiB (an
     * Alipay v2 biz_content, an Antom body); the HTTP body limit of /v1/sign and /v1/verify
     * (keyfleet.http.large-body-max-bytes) must leave room for it and its JSON escaping.
     */
    @WithDefault("4194304")
    long maxMessageChars();

    Notifications notifications();

    interface Notifications {
        /** Refuse notifications whose timestamp is further than {@link #maxAge()} from now (STALE_TIMESTAMP). */
        @WithDefault("true")
        boolean refuseStale();

        @WithDefault("PT15M")
        Duration maxAge();

        /** Refuse a second notification with the same id (REPLAYED) for {@link #dedupeFor()}. */
        @WithDefault("true")
        boolean refuseReplays();

        /** Providers retry notifications for about a day. */
        @WithDefault("P1D")
        Duration dedupeFor();
    }
}
