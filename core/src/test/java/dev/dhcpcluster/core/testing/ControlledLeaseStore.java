package dev.dhcpcluster.core.testing;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory {@link LeaseStore} whose test decides when and how each write completes:
 * {@link Mode#IMMEDIATE} reports durable inside {@code write}, {@link Mode#HELD} keeps writes
 * pending until {@link #completeAll()} or {@link #failAll(String)}, {@link Mode#FAILING} fails
 * every write inside {@code write}. A lease counts as stored only once its write is durable, and
 * only if its version is higher than the stored one, as the port requires. Thread-safe.
 */
public final class ControlledLeaseStore implements LeaseStore {

    /** How writes complete. */
    public enum Mode {
        /** Durable at once, before {@code write} returns. */
        IMMEDIATE,
        /** Pending until the test completes or fails them. */
        HELD,
        /** Failed at once, before {@code write} returns. */
        FAILING
    }

    private record Pending(List<Lease> batch, WriteCompletion completion) {
    }

    private final Map<Ipv4Address, Lease> stored = new LinkedHashMap<>();
    private final List<Lease> written = new ArrayList<>();
    private final Deque<Pending> pending = new ArrayDeque<>();
    private Mode mode;
    private boolean closed;

    public ControlledLeaseStore(Mode mode) {
        this.mode = mode;
    }

    /** A store that starts with these leases, as if written before a restart. */
    public static ControlledLeaseStore holding(List<Lease> leases) {
        ControlledLeaseStore store = new ControlledLeaseStore(Mode.IMMEDIATE);
        leases.forEach(store::keep);
        return store;
    }

    public synchronized void mode(Mode newMode) {
        this.mode = newMode;
    }

    @Override
    public synchronized List<Lease> loadAll() {
        return List.copyOf(stored.values());
    }

    /** Fails as a write would: when closed, or set to {@link Mode#FAILING}. */
    @Override
    public synchronized void checkWritable() throws LeaseStoreException {
        if (closed || mode == Mode.FAILING) {
            throw new LeaseStoreException(closed ? "store closed" : "disk full (test store set to fail)");
        }
    }

    @Override
    public void write(List<Lease> batch, WriteCompletion completion) {
        Mode now;
        synchronized (this) {
            written.addAll(batch);
            now = closed ? Mode.FAILING : mode;
            if (now == Mode.HELD) {
                pending.add(new Pending(List.copyOf(batch), completion));
                return;
            }
            if (now == Mode.IMMEDIATE) {
                batch.forEach(this::keep);
            }
        }
        // Completion runs outside the lock, on the caller's thread, as a synchronous store would.
        if (now == Mode.IMMEDIATE) {
            completion.durable();
        } else {
            completion.failed(new LeaseStoreException(closed ? "store closed" : "disk full (test store set to fail)"));
        }
    }

    /** Makes every held write durable, oldest first. */
    public void completeAll() {
        List<Pending> done;
        synchronized (this) {
            done = new ArrayList<>(pending);
            pending.clear();
            done.forEach(p -> p.batch.forEach(this::keep));
        }
        done.forEach(p -> p.completion.durable());
    }

    /** Fails every held write, oldest first. */
    public void failAll(String reason) {
        List<Pending> done;
        synchronized (this) {
            done = new ArrayList<>(pending);
            pending.clear();
        }
        done.forEach(p -> p.completion.failed(new LeaseStoreException(reason)));
    }

    /** How many writes are waiting for {@link #completeAll()} or {@link #failAll}. */
    public synchronized int pendingWrites() {
        return pending.size();
    }

    /** Every lease handed to {@link #write}, durable or not, in order. */
    public synchronized List<Lease> written() {
        return List.copyOf(written);
    }

    /** The durable lease of an address, or null. */
    public synchronized Lease storedAt(Ipv4Address address) {
        return stored.get(address);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private void keep(Lease lease) {
        Lease old = stored.get(lease.address());
        if (old == null || lease.version().isAfter(old.version())) {
            stored.put(lease.address(), lease);
        }
    }
}
