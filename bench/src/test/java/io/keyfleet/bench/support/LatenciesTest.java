package io.keyfleet.bench.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The percentile arithmetic of the reports (no timing is asserted anywhere). */
class LatenciesTest {

    @Test
    void nearestRankPercentilesOfOneToAHundredMilliseconds() {
        long[] nanos = new long[100];
        for (int i = 0; i < 100; i++) {
            nanos[99 - i] = (i + 1) * 1_000_000L; // unsorted on purpose
        }
        Latencies latencies = Latencies.ofNanos(nanos);
        assertEquals(100, latencies.count());
        assertEquals(50.0, latencies.p50Ms());
        assertEquals(90.0, latencies.p90Ms());
        assertEquals(99.0, latencies.p99Ms());
        assertEquals(100.0, latencies.p999Ms());
        assertEquals(100.0, latencies.maxMs());
        assertEquals(50.5, latencies.meanMs(), 1e-9);
    }

    @Test
    void aSingleValueIsEveryPercentile() {
        Latencies latencies = Latencies.ofNanos(new long[] {2_500_000L});
        assertEquals(2.5, latencies.p50Ms());
        assertEquals(2.5, latencies.p99Ms());
    }

    @Test
    void noValuesGiveNoFigures() {
        assertEquals(0, Latencies.ofNanos(new long[0]).count());
        assertEquals(Double.NaN, Latencies.ofNanos(new long[0]).p99Ms());
    }
}
