package io.keyfleet.bench.support;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Percentiles of a set of latencies (nearest-rank), in milliseconds. */
public record Latencies(int count, double p50Ms, double p90Ms, double p99Ms, double p999Ms, double maxMs, double meanMs) {

    public static final Latencies NONE = new Latencies(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** @param nanos latencies in nanoseconds; the array is sorted in place */
    public static Latencies ofNanos(long[] nanos) {
        if (nanos.length == 0) {
            return NONE;
        }
        Arrays.sort(nanos);
        double sum = 0;
        for (long value : nanos) {
            sum += value;
        }
        return new Latencies(nanos.length, ms(percentile(nanos, 50)), ms(percentile(nanos, 90)), ms(percentile(nanos, 99)),
                ms(percentile(nanos, 99.9)), ms(nanos[nanos.length - 1]), sum / nanos.length / 1e6);
    }

    /** Nearest-rank percentile of a sorted array: the smallest value with at least p% of the values at or below it. */
    static long percentile(long[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Adds p50, p90, p99, p99.9, max and mean rows to a report section, keys prefixed with {@code keyPrefix}. */
    public void addTo(Report.Section section, String keyPrefix, String what) {
        section.millis(keyPrefix + "P50Ms", what + " p50", p50Ms);
        section.millis(keyPrefix + "P90Ms", what + " p90", p90Ms);
        section.millis(keyPrefix + "P99Ms", what + " p99", p99Ms);
        section.millis(keyPrefix + "P999Ms", what + " p99.9", p999Ms);
        section.millis(keyPrefix + "MaxMs", what + " max", maxMs);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("count", count);
        map.put("p50Ms", p50Ms);
        map.put("p90Ms", p90Ms);
        map.put("p99Ms", p99Ms);
        map.put("p999Ms", p999Ms);
        map.put("maxMs", maxMs);
        map.put("meanMs", meanMs);
        return map;
    }
}
