package io.keyfleet.bench.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RefreshRatesTest {

    @Test
    void sustainedCountsOnlyTheSecondsWithABacklog() {
        List<long[]> perSecond = new ArrayList<>();
        for (long second = 100; second < 130; second++) {
            // 5/s while catching up (100..119), then a trickle of 1/s
            perSecond.add(new long[] {second, second < 120 ? 5 : 1});
        }
        List<RefreshRates.Look> looks = List.of(new RefreshRates.Look(99_500, 0), new RefreshRates.Look(100_200, 80),
                new RefreshRates.Look(110_200, 40), new RefreshRates.Look(120_100, 3), new RefreshRates.Look(121_000, 0));

        RefreshRates rates = RefreshRates.of(perSecond, looks);

        assertEquals(110, rates.total());
        assertEquals(30, rates.spanSeconds());
        assertEquals(20, rates.busySeconds());
        assertEquals(5.0, rates.sustained(), 1e-9);
        assertEquals(5.0, rates.bestTenSeconds(), 1e-9);
        assertEquals(110 / 30.0, rates.overall(), 1e-9);
    }

    @Test
    void withoutABacklogThereIsNoSustainedRate() {
        List<long[]> perSecond = List.of(new long[] {10, 2}, new long[] {15, 4});
        RefreshRates rates = RefreshRates.of(perSecond, List.of(new RefreshRates.Look(10_000, 0), new RefreshRates.Look(16_000, 1)));

        assertTrue(Double.isNaN(rates.sustained()));
        assertEquals(0, rates.busySeconds());
        // seconds 10 and 15 fall in one 10-second stretch
        assertEquals(0.6, rates.bestTenSeconds(), 1e-9);
        assertEquals(6 / 6.0, rates.overall(), 1e-9);
    }
}
