package io.keyfleet.sandbox.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NonceMemoryTest {

    private static final Duration WINDOW = Duration.ofMinutes(5);
    private static final Instant NOW = Instant.parse("2026-12-03T06:00:00Z");

    @Test
    void aNonceIsAcceptedOncePerMember() {
        NonceMemory memory = new NonceMemory(WINDOW, 10);
        assertThat(memory.remember("m1", "n1", NOW, NOW)).isEqualTo(NonceMemory.Outcome.ACCEPTED);
        assertThat(memory.remember("m1", "n1", NOW, NOW.plusSeconds(1))).isEqualTo(NonceMemory.Outcome.REPLAYED);
        assertThat(memory.remember("m2", "n1", NOW, NOW)).isEqualTo(NonceMemory.Outcome.ACCEPTED);
    }

    @Test
    void aNonceIsKeptUntilItsTimestampLeavesTheWindowThenForgotten() {
        NonceMemory memory = new NonceMemory(WINDOW, 10);
        Instant signedAhead = NOW.plusSeconds(120); // a caller's clock 2 minutes fast: its call may be replayed until +7 min
        memory.remember("m1", "early", NOW.minusSeconds(240), NOW);
        memory.remember("m1", "ahead", signedAhead, NOW);

        Instant later = NOW.plus(Duration.ofMinutes(6));
        assertThat(memory.remember("m1", "ahead", signedAhead, later)).isEqualTo(NonceMemory.Outcome.REPLAYED);
        assertThat(memory.size()).isEqualTo(1); // "early" (signed 4 minutes before NOW) expired a minute after NOW

        Instant muchLater = signedAhead.plus(WINDOW).plusSeconds(1);
        memory.remember("m1", "fresh", muchLater, muchLater);
        assertThat(memory.size()).isEqualTo(1);
    }

    @Test
    void aFullMemoryRefusesNewNoncesUntilTheOldestExpires() {
        NonceMemory memory = new NonceMemory(WINDOW, 3);
        for (int i = 0; i < 3; i++) {
            assertThat(memory.remember("m1", "n" + i, NOW.plusSeconds(i), NOW.plusSeconds(i))).isEqualTo(NonceMemory.Outcome.ACCEPTED);
        }
        Instant full = NOW.plusSeconds(10);
        assertThat(memory.remember("m1", "n3", full, full)).isEqualTo(NonceMemory.Outcome.FULL);
        assertThat(memory.remember("m1", "n0", full, full)).isEqualTo(NonceMemory.Outcome.REPLAYED);
        assertThat(memory.size()).isEqualTo(3);
        assertThat(memory.untilRoom(full)).isEqualTo(WINDOW.minusSeconds(10));

        Instant roomAgain = NOW.plus(WINDOW).plusSeconds(1); // n0 expired
        assertThat(memory.remember("m1", "n3", roomAgain, roomAgain)).isEqualTo(NonceMemory.Outcome.ACCEPTED);
        assertThat(memory.size()).isEqualTo(3);
    }

    @Test
    void manyCallsOverTimeKeepOnlyTheWindowsWorth() {
        NonceMemory memory = new NonceMemory(WINDOW, 1_000_000);
        for (int second = 0; second < 3_600; second++) { // an hour of 10 calls a second
            Instant at = NOW.plusSeconds(second);
            for (int call = 0; call < 10; call++) {
                assertThat(memory.remember("m1", second + "-" + call, at, at)).isEqualTo(NonceMemory.Outcome.ACCEPTED);
            }
        }
        assertThat(memory.size()).isBetween(3_000, 3_010); // five minutes' worth (300 s × 10), not 36,000
    }
}
