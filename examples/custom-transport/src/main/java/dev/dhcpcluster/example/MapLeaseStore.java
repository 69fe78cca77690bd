package dev.dhcpcluster.example;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leases in a map shared by every store of one name in the process, as an application would keep
 * them in its own database: a store closed and created again finds what the last one wrote. Like
 * any store it keeps, per address, the lease of the highest version written.
 */
final class MapLeaseStore implements LeaseStore {

    private static final Map<String, Map<Ipv4Address, Lease>> DATABASES = new ConcurrentHashMap<>();

    private final String name;
    private final Map<Ipv4Address, Lease> leases;
    private volatile boolean open;
    private volatile boolean closed;

    MapLeaseStore(String name) {
        this.name = name;
        this.leases = DATABASES.computeIfAbsent(name, any -> new ConcurrentHashMap<>());
    }

    @Override
    public boolean mediumExists() {
        return !leases.isEmpty();
    }

    @Override
    public List<Lease> loadAll() throws LeaseStoreException {
        requireOpen(closed);
        open = true;
        return List.copyOf(leases.values());
    }

    @Override
    public void checkWritable() throws LeaseStoreException {
        requireOpen(closed || !open);
    }

    @Override
    public synchronized void write(List<Lease> batch, WriteCompletion completion) {
        if (closed) {
            completion.failed(new LeaseStoreException("the map store " + name + " is closed"));
            return;
        }
        batch.forEach(lease -> leases.merge(lease.address(), lease,
                (held, next) -> next.version().compareTo(held.version()) > 0 ? next : held));
        completion.durable();
    }

    @Override
    public String describe() {
        return "map " + name;
    }

    @Override
    public void close() {
        closed = true;
    }

    private void requireOpen(boolean refused) throws LeaseStoreException {
        if (refused) {
            throw new LeaseStoreException("the map store " + name + " is not open");
        }
    }
}
