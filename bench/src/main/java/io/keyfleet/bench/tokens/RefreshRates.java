package io.keyfleet.bench.tokens;

import java.util.List;

/**
 * Refresh rates from the sandbox's per-second counts of successful refreshes, and the due backlog sampled from
 * token-service's database: pure arithmetic, unit tested.
 *
 * @param total        refreshes counted
 * @param spanSeconds  from the first second with a refresh to the last, inclusive
 * @param busySeconds  from the first look that found a backlog (grants due and not yet claimed) to the last one
 * @param sustained    refreshes per second within the busy time (NaN when fewer than two looks found a backlog): what
 *                     the scheduler sustains while there is more work than it can do at once
 * @param bestTenSeconds the most refreshes in any 10 consecutive seconds, per second
 */
record RefreshRates(long total, long spanSeconds, long busySeconds, double sustained, double bestTenSeconds) {

    /** One look at the backlog: when (epoch millis) and how many due grants were waiting. */
    record Look(long atMillis, long due) {
    }

    /**
     * @param perSecond (epoch second, refreshes) in ascending seconds
     * @param looks     backlog looks in time order
     */
    static RefreshRates of(List<long[]> perSecond, List<Look> looks) {
        long total = perSecond.stream().mapToLong(s -> s[1]).sum();
        long span = perSecond.isEmpty() ? 0 : perSecond.get(perSecond.size() - 1)[0] - perSecond.get(0)[0] + 1;
        List<Look> busy = looks.stream().filter(look -> look.due() > 0).toList();
        long busySeconds = 0;
        double sustained = Double.NaN;
        if (busy.size() >= 2) {
            long from = busy.get(0).atMillis() / 1000;
            long to = busy.get(busy.size() - 1).atMillis() / 1000;
            busySeconds = to - from;
            if (busySeconds > 0) {
                long within = perSecond.stream().filter(s -> s[0] >= from && s[0] < to).mapToLong(s -> s[1]).sum();
                sustained = within / (double) busySeconds;
            }
        }
        long best = 0;
        for (int i = 0; i < perSecond.size(); i++) {
            long sum = 0;
            for (int j = i; j < perSecond.size() && perSecond.get(j)[0] < perSecond.get(i)[0] + 10; j++) {
                sum += perSecond.get(j)[1];
            }
            best = Math.max(best, sum);
        }
        return new RefreshRates(total, span, busySeconds, sustained, best / 10.0);
    }

    /** Refreshes per second from the first to the last refresh. */
    double overall() {
        return spanSeconds > 0 ? total / (double) spanSeconds : Double.NaN;
    }
}
