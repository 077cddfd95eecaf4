package io.keyfleet.bench.tokens;

import io.keyfleet.bench.support.LocalStack;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * While seeding runs, keeps the sandbox app's access-token lifetime (its expires_in, per app) such that a token issued
 * now expires at {@code windowStart + window × done/count}: the tokens of all grants expire within the window, in the
 * order they were exchanged. Checked every 200 ms; the lifetime is changed only when the whole seconds change.
 */
final class LifetimeSteering implements AutoCloseable {

    private static final long MIN_LIFETIME_SECONDS = 5;

    private final Thread thread;
    private volatile boolean stopping;
    /** Lifetime changes that failed (tried again 200 ms later); the expiries land a little off the plan meanwhile. */
    final AtomicInteger failures = new AtomicInteger();

    LifetimeSteering(TokensApi api, String appId, String publicKey, Instant windowStart, Duration window, int count, AtomicInteger done) {
        thread = new Thread(() -> {
            long current = -1;
            while (!stopping) {
                Instant target = windowStart.plusMillis(window.toMillis() * done.get() / Math.max(1, count));
                long lifetime = Math.max(MIN_LIFETIME_SECONDS, Duration.between(Instant.now(), target).toSeconds());
                if (lifetime != current) {
                    try {
                        api.registerApp(appId, publicKey, lifetime);
                        current = lifetime;
                    } catch (InterruptedException e) {
                        return;
                    } catch (Exception e) {
                        if (failures.getAndIncrement() == 0) {
                            LocalStack.log("could not change the app's token lifetime (tried again): %s", e);
                        }
                    }
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "lifetime-steering");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
