package dev.dhcpcluster.testkit.client;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies, in microseconds (nearest-rank method).
 *
 * @param samples how many latencies there were
 */
public record LatencySummary(int samples, long p50Micros, long p90Micros, long p99Micros, long maxMicros) {

    /** Summarizes {@code micros} (not modified). */
    public static LatencySummary of(long[] micros) {
        if (micros.length == 0) {
            return new LatencySummary(0, 0, 0, 0, 0);
        }
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        return new LatencySummary(sorted.length, rank(sorted, 50), rank(sorted, 90), rank(sorted, 99),
                sorted[sorted.length - 1]);
    }

    private static long rank(long[] sorted, int percentile) {
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** {@code p50 1.20 ms, p90 ..., max ...}. */
    @Override
    public String toString() {
        if (samples == 0) {
            return "no samples";
        }
        return "p50 " + millis(p50Micros) + " ms, p90 " + millis(p90Micros) + " ms, p99 " + millis(p99Micros)
                + " ms, max " + millis(maxMicros) + " ms";
    }

    private static String millis(long micros) {
        return String.format(java.util.Locale.ROOT, "%.2f", micros / 1000.0);
    }
}
