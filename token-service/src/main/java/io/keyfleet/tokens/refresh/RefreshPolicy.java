package io.keyfleet.tokens.refresh;

import io.keyfleet.tokens.support.TokensConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * When a grant is refreshed next: pure arithmetic over the clock and a random source, so that it is unit tested.
 *
 * <ul>
 *   <li>Known expiry: at expiry − margin − jitter. The margin is at most half the token's remaining life, the jitter at
 *   most a tenth, so short test lifetimes of seconds work as well as the provider's days.</li>
 *   <li>No usable expiry: a liveness check (a refresh) every {@code livenessInterval}, minus up to a tenth of it.</li>
 *   <li>Failure n: after min(max, base × 2^(n−1)), of which a random half to all ("equal jitter"), so grants that
 *   failed together do not come back together.</li>
 * </ul>
 */
public final class RefreshPolicy {

    private final Duration margin;
    private final Duration jitter;
    private final Duration livenessInterval;
    private final Duration backoffBase;
    private final Duration backoffMax;
    private final Duration reauthorizeAfter;

    public RefreshPolicy(Duration margin, Duration jitter, Duration livenessInterval, Duration backoffBase, Duration backoffMax,
                         Duration reauthorizeAfter) {
        this.margin = margin;
        this.jitter = jitter;
        this.livenessInterval = livenessInterval;
        this.backoffBase = backoffBase;
        this.backoffMax = backoffMax;
        this.reauthorizeAfter = reauthorizeAfter;
    }

    public static RefreshPolicy of(TokensConfig config) {
        return new RefreshPolicy(config.refreshMargin(), config.refreshJitter(), config.livenessInterval(), config.backoffBase(),
                config.backoffMax(), config.reauthorizeAfter());
    }

    public Instant nextRefresh(Instant now, Instant accessExpiresAt, RandomGenerator random) {
        if (accessExpiresAt == null) {
            return now.plus(livenessInterval).minusMillis(randomMillis(livenessInterval.toMillis() / 10, random));
        }
        long lifeMillis = Duration.between(now, accessExpiresAt).toMillis();
        if (lifeMillis <= 0) {
            return now;
        }
        long marginMillis = Math.min(margin.toMillis(), lifeMillis / 2);
        long jitterMillis = randomMillis(Math.min(jitter.toMillis(), lifeMillis / 10), random);
        Instant at = accessExpiresAt.minusMillis(marginMillis + jitterMillis);
        return at.isBefore(now) ? now : at;
    }

    /** When to try again after the {@code attempt}-th failure in a row (attempt ≥ 1). */
    public Instant retryAt(Instant now, int attempt, RandomGenerator random) {
        long base = backoffBase.toMillis();
        long max = backoffMax.toMillis();
        int doublings = Math.min(Math.max(attempt - 1, 0), 40);
        long delay = doublings >= 62 || base > (max >> doublings) ? max : Math.min(max, base << doublings);
        long half = delay / 2;
        return now.plusMillis(half + randomMillis(delay - half, random));
    }

    /**
     * After a lost answer the provider may have rotated the refresh token; the token we hold is honoured for its grace
     * but never past its own expiry ({@code refreshExpiresAt}, null when unknown): the backoff, but at most half the
     * time left until then.
     */
    public Instant retryAfterLostAnswerAt(Instant now, int attempt, Instant refreshExpiresAt, RandomGenerator random) {
        Instant backoff = retryAt(now, attempt, random);
        if (refreshExpiresAt == null || !refreshExpiresAt.isAfter(now)) {
            return backoff;
        }
        Instant halfway = now.plusMillis(Duration.between(now, refreshExpiresAt).toMillis() / 2);
        return backoff.isBefore(halfway) ? backoff : halfway;
    }

    /** Failing since {@code failingSince}: time to ask the merchant to authorize again? */
    public boolean givesUp(Instant failingSince, Instant now) {
        return failingSince != null && !Duration.between(failingSince, now).minus(reauthorizeAfter).isNegative();
    }

    public Duration reauthorizeAfter() {
        return reauthorizeAfter;
    }

    private static long randomMillis(long upTo, RandomGenerator random) {
        return upTo <= 0 ? 0 : random.nextLong(upTo + 1);
    }
}
