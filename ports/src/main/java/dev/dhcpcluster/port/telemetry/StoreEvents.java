package dev.dhcpcluster.port.telemetry;

import java.time.Duration;

/**
 * Outbound port: what a lease store did with the writes it was given, for metrics and logs. The
 * store reports; an adapter counts and logs. Every method ignores its event by default.
 *
 * <h2>Threads</h2>
 * Called on the lease store's own writer thread, concurrently with whatever else the
 * implementation hears, so an implementation must be thread-safe. It must return quickly too:
 * the store's next commit waits for it.
 */
public interface StoreEvents {

    /**
     * The lease store made a batch of changes durable in one transaction (group commit).
     *
     * @param changes leases written by the transaction: the commit's batch size
     * @param latency from the start of the transaction to the end of its sync to stable storage
     * @param pending changes accepted by the store and waiting for the next transaction
     */
    default void storeCommitted(int changes, Duration latency, int pending) {
    }

    /**
     * The lease store could not make a batch durable; every write of the batch was reported
     * failed, and the store tries again with the next batch.
     *
     * @param cause what went wrong, for the log (for example the disk is full)
     * @param pending changes accepted by the store and waiting for the next transaction
     */
    default void storeFailed(String cause, int pending) {
    }
}
