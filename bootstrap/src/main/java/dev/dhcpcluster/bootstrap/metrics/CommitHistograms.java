package dev.dhcpcluster.bootstrap.metrics;

import dev.dhcpcluster.bootstrap.runtime.StoreCommitObserver;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Duration;

/**
 * The lease store's commits as two histograms: how many changes each commit made durable (the
 * group-commit batch size) and how long each took, from the start of the transaction to the end of
 * its sync. They are classic histograms with fixed buckets, so the text format carries them.
 *
 * <p>Observed on the store's writer thread for every commit; an observation is a few atomic
 * additions.
 */
public final class CommitHistograms implements StoreCommitObserver {

    /** Batch sizes: a lone change up to the thousands a flood of clients makes one commit carry. */
    static final double[] BATCH_BOUNDS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
    /** Commit latency in seconds: a fast SSD's fsync (sub-millisecond) up to a disk in trouble. */
    static final double[] LATENCY_BOUNDS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
        5, 10};

    private final Histogram batchSize = Histogram.builder()
            .name("dhcpcluster_lease_store_commit_batch_size")
            .help("Lease changes made durable by one lease store commit")
            .classicOnly()
            .classicUpperBounds(BATCH_BOUNDS)
            .build();
    private final Histogram latency = Histogram.builder()
            .name("dhcpcluster_lease_store_commit_duration_seconds")
            .help("Time of one lease store commit, from the start of its transaction to the end of its sync to disk")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(LATENCY_BOUNDS)
            .build();

    @Override
    public void committed(int changes, Duration took) {
        // The registry collects its metrics in no fixed order, so one scrape may count a commit that
        // is just finishing in one histogram and not yet in the other; the next scrape agrees.
        latency.observe(Unit.nanosToSeconds(took.toNanos()));
        batchSize.observe(changes);
    }

    /** Registers both histograms in {@code registry}. */
    public void register(PrometheusRegistry registry) {
        registry.register(batchSize);
        registry.register(latency);
    }
}
