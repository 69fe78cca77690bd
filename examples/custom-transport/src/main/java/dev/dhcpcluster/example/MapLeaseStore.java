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
 * Leases in a map that every store of one name in the process shares, as an application would keep
 * them in a database of its own: a store closed and made again finds what the last one wrote. Like
 * any store it keeps, per address, the lease of the highest version written. Volatile: the maps
 * end with the process.
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
    public List<Lease> loadAll() throws LeaseStoreException {
        if (closed) {
            throw new LeaseStoreException("the map store " + name + " is closed");
        }
        open = true;
        return List.copyOf(leases.values());
    }

    @Override
    public void checkWritable() throws LeaseStoreException {
        if (closed || !open) {
            throw new LeaseStoreException("the map store " + name + " is not open");
        }
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
    public void close() {
        closed = true;
    }
}
