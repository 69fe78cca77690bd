package dev.dhcpcluster.port.store;

/**
 * Learns the outcome of one {@link LeaseStore#write}. Exactly one of the two methods is called,
 * exactly once, on a thread the store chooses (possibly the caller's, before {@code write}
 * returns). Implementations must be quick and must not call back into the store.
 */
public interface WriteCompletion {

    /** Every lease of the batch is on stable storage: a crash from now on loses none of them. */
    void durable();

    /** The batch is not durable, in whole or in part; the caller must not promise it to anyone. */
    void failed(LeaseStoreException cause);
}
