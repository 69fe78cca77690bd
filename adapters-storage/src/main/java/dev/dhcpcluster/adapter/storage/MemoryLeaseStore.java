package dev.dhcpcluster.adapter.storage;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link LeaseStore} that keeps leases in memory only.
 *
 * <p><strong>Volatile:</strong> every lease is lost when the process ends. {@link #write}
 * reports {@code durable} at once, before returning, which is true only in the sense that the
 * lease is in this store; nothing reaches a disk. Use it for tests, demos, and nodes whose
 * durability comes entirely from their peers, never as the only copy of production leases.
 *
 * <p>It keeps, per address, the lease with the highest version written to it (in
 * {@link dev.dhcpcluster.port.model.LeaseVersion}'s order, whatever the order of arrival); a
 * lower one completes as durable and changes nothing, as the port says. Thread-safe: each
 * batch is applied atomically under one lock, so batches from one thread apply in order and a
 * concurrent {@link #loadAll} sees whole batches.
 */
public final class MemoryLeaseStore implements LeaseStore {

    private final Object lock = new Object();
    private final Map<Ipv4Address, Lease> byAddress = new HashMap<>();
    private boolean closed;

    /** An empty store. */
    public MemoryLeaseStore() {
    }

    /** {@code memory (volatile)}: nothing survives the process. */
    @Override
    public String describe() {
        return "memory (volatile)";
    }

    /** Every lease held, ordered by address. */
    @Override
    public List<Lease> loadAll() throws LeaseStoreException {
        List<Lease> leases;
        synchronized (lock) {
            if (closed) {
                throw new LeaseStoreException("the in-memory lease store is closed");
            }
            leases = new ArrayList<>(byAddress.values());
        }
        leases.sort(Comparator.comparing(Lease::address));
        return leases;
    }

    /** Nothing here is durable, so there is nothing to prove; fails only once closed. */
    @Override
    public void checkWritable() throws LeaseStoreException {
        synchronized (lock) {
            if (closed) {
                throw new LeaseStoreException("the in-memory lease store is closed");
            }
        }
    }

    @Override
    public void write(List<Lease> batch, WriteCompletion completion) {
        Objects.requireNonNull(completion, "completion");
        Objects.requireNonNull(batch, "batch");
        // Check the whole batch before changing anything, so a bad batch changes nothing.
        for (Lease lease : batch) {
            Objects.requireNonNull(lease, "a batch must not contain null leases");
        }
        boolean accepted;
        synchronized (lock) {
            accepted = !closed;
            if (accepted) {
                for (Lease lease : batch) {
                    byAddress.merge(lease.address(), lease,
                            (stored, written) -> written.version().isAfter(stored.version()) ? written : stored);
                }
            }
        }
        // Reported outside the lock: a completion must never run while the store holds it.
        if (accepted) {
            completion.durable();
        } else {
            completion.failed(new LeaseStoreException("the in-memory lease store is closed"));
        }
    }

    /** Forgets every lease; later writes fail. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            byAddress.clear();
        }
    }
}
