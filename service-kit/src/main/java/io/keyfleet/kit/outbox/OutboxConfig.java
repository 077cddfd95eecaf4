package io.keyfleet.kit.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "keyfleet.outbox")
public interface OutboxConfig {

    /** Turns the relay off, e.g. in a narrow test that only checks what was recorded. */
    @WithDefault("true")
    boolean relayEnabled();

    /** How often the relay looks for rows committed by other replicas; local commits wake it at once. */
    @WithDefault("200ms")
    Duration pollInterval();

    @WithDefault("500")
    int batchSize();

    /** First wait after a failed publish; doubles up to {@link #maxBackoff()} while the broker stays away. */
    @WithDefault("200ms")
    Duration initialBackoff();

    @WithDefault("10s")
    Duration maxBackoff();

    /** How long a batch may wait for the broker's acknowledgement before the batch counts as failed. */
    @WithDefault("15s")
    Duration sendTimeout();

    /** How often the backlog metrics are measured. */
    @WithDefault("5s")
    Duration backlogInterval();

    /** Sent rows are deleted after this long. */
    @WithDefault("P7D")
    Duration retention();
}
