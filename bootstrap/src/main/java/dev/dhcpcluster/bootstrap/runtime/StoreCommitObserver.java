package dev.dhcpcluster.bootstrap.runtime;

import java.time.Duration;

/**
 * Hears of each lease-store commit as {@link LoggingClusterEvents} does, for what needs every
 * single commit rather than totals (the metrics' batch-size and latency histograms).
 *
 * <p>Called on the store's writer thread, which waits for it: it must be thread-safe and quick.
 */
@FunctionalInterface
public interface StoreCommitObserver {

    /** Observes nothing. */
    StoreCommitObserver NONE = (changes, latency) -> { };

    /**
     * A commit made {@code changes} leases durable in {@code latency}.
     *
     * @see dev.dhcpcluster.port.telemetry.ClusterEvents#storeCommitted
     */
    void committed(int changes, Duration latency);
}
