package io.keyfleet.sandbox.support;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sandbox's notion of now: the system clock plus an offset an admin can set, so tests can let codes and tokens
 * expire without waiting. Every expiry decision of the sandbox reads this clock.
 */
@ApplicationScoped
public class SandboxClock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    public Instant now() {
        return Instant.now().plus(offset.get());
    }

    public Duration offset() {
        return offset.get();
    }

    public void setOffset(Duration value) {
        offset.set(value);
    }
}
