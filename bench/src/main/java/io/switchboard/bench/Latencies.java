package io.switchboard.bench;

import java.util.ArrayList;
import java.util.List;

/** Latency samples in nanoseconds, collected from many threads, read as percentiles in milliseconds. */
final class Latencies {

    private final List<Long> nanos = new ArrayList<>();

    synchronized void add(long sampleNanos) {
        nanos.add(sampleNanos);
    }

    synchronized int count() {
        return nanos.size();
    }

    /** Nearest-rank percentile in milliseconds; NaN without samples. */
    synchronized double percentileMillis(double percentile) {
        if (nanos.isEmpty()) {
            return Double.NaN;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1)) / 1_000_000.0;
    }

    /**
     * Nearest-rank percentile over a population of which only these samples finished: when the rank falls
     * beyond them, the answer is +Infinity ("later than the wait").
     */
    synchronized double percentileMillis(double percentile, int population) {
        int rank = Math.max(1, (int) Math.ceil(percentile / 100.0 * population));
        if (rank > nanos.size()) {
            return Double.POSITIVE_INFINITY;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        return sorted.get(rank - 1) / 1_000_000.0;
    }
}
