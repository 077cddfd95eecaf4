package io.keyfleet.tokens.refresh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RefreshPolicyTest {

    private static final Instant NOW = Instant.parse("2026-03-14T11:00:00Z");
    private final RefreshPolicy policy = new RefreshPolicy(Duration.ofMinutes(10), Duration.ofMinutes(2), Duration.ofHours(12),
            Duration.ofSeconds(5), Duration.ofMinutes(15), Duration.ofDays(3));

    @Test
    void longLivedTokenIsRefreshedAtExpiryMinusMarginMinusJitter() {
        Random random = new Random(42);
        Instant expiry = NOW.plus(Duration.ofDays(1));
        Set<Instant> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Instant at = policy.nextRefresh(NOW, expiry, random);
            assertFalse(at.isAfter(expiry.minus(Duration.ofMinutes(10))), "at least the margin before expiry: " + at);
            assertFalse(at.isBefore(expiry.minus(Duration.ofMinutes(12))), "at most margin + jitter before: " + at);
            seen.add(at);
        }
        assertTrue(seen.size() > 900, "jitter spreads a burst of equal expiries: " + seen.size() + " distinct times");
    }

    @Test
    void shortLivedTokenKeepsMarginAndJitterWithinItsLife() {
        Random random = new Random(7);
        Instant expiry = NOW.plusSeconds(6);
        for (int i = 0; i < 1000; i++) {
            Instant at = policy.nextRefresh(NOW, expiry, random);
            // margin ≤ half the life (3 s), jitter ≤ a tenth (600 ms)
            assertFalse(at.isAfter(expiry.minusSeconds(3)), at.toString());
            assertFalse(at.isBefore(NOW.plusMillis(2400)), at.toString());
        }
    }

    @Test
    void alreadyExpiredTokenIsDueNow() {
        assertEquals(NOW, policy.nextRefresh(NOW, NOW.minusSeconds(1), new Random(1)));
        assertEquals(NOW, policy.nextRefresh(NOW, NOW, new Random(1)));
    }

    @Test
    void noExpiryMeansALivenessCheckNotAGuess() {
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            Instant at = policy.nextRefresh(NOW, null, random);
            assertFalse(at.isAfter(NOW.plus(Duration.ofHours(12))));
            assertFalse(at.isBefore(NOW.plus(Duration.ofMinutes(648))), "at most a tenth earlier: " + at);
        }
    }

    @Test
    void failuresBackOffExponentiallyWithJitterUpToTheMaximum() {
        Random random = new Random(11);
        for (int attempt = 1; attempt <= 40; attempt++) {
            long full = Math.min(Duration.ofMinutes(15).toMillis(), 5000L << Math.min(attempt - 1, 30));
            for (int i = 0; i < 100; i++) {
                long delay = Duration.between(NOW, policy.retryAt(NOW, attempt, random)).toMillis();
                assertTrue(delay >= full / 2 && delay <= full, "attempt " + attempt + ": " + delay + " not in [" + full / 2 + ", " + full + "]");
            }
        }
        assertEquals(Duration.ofMinutes(15), Duration.between(NOW, policy.retryAt(NOW, 1000, new Random(1) {
            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        })));
    }

    @Test
    void manyGrantsFailingTogetherComeBackSpreadOut() {
        Random random = new Random(5);
        Set<Long> seconds = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            seconds.add(policy.retryAt(NOW, 6, random).getEpochSecond());
        }
        // attempt 6: 80 s, spread over [40 s, 80 s]
        assertTrue(seconds.size() >= 40, "retries spread over " + seconds.size() + " distinct seconds");
    }

    @Test
    void givesUpOnlyAfterTheConfiguredTime() {
        assertFalse(policy.givesUp(null, NOW));
        assertFalse(policy.givesUp(NOW.minus(Duration.ofDays(3)).plusSeconds(1), NOW));
        assertTrue(policy.givesUp(NOW.minus(Duration.ofDays(3)), NOW));
    }

    @Test
    void afterALostAnswerTheRetryComesBeforeTheUsedRefreshTokenExpires() {
        Random random = new Random(3);
        // attempt 10: the backoff alone would be the 15-minute maximum; the refresh token has 4 minutes left
        Instant refreshExpiry = NOW.plus(Duration.ofMinutes(4));
        for (int i = 0; i < 100; i++) {
            Instant at = policy.retryAfterLostAnswerAt(NOW, 10, refreshExpiry, random);
            assertFalse(at.isAfter(NOW.plus(Duration.ofMinutes(2))), "halfway to the token's expiry at the latest: " + at);
        }
        // a long-lived refresh token: the ordinary backoff
        Instant far = NOW.plus(Duration.ofDays(30));
        for (int i = 0; i < 100; i++) {
            long delay = Duration.between(NOW, policy.retryAfterLostAnswerAt(NOW, 1, far, random)).toMillis();
            assertTrue(delay >= 2_500 && delay <= 5_000, "first retry after 2.5-5 s: " + delay);
        }
        // no known expiry: the ordinary backoff
        long delay = Duration.between(NOW, policy.retryAfterLostAnswerAt(NOW, 10, null, random)).toMillis();
        assertTrue(delay >= Duration.ofMinutes(7).toMillis(), "backoff of attempt 10 without a known expiry: " + delay);
    }
}
