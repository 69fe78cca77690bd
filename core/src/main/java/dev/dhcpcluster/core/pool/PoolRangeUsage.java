package dev.dhcpcluster.core.pool;

import dev.dhcpcluster.core.config.AddressRange;
import java.util.Objects;
import java.util.Optional;

/**
 * How the addresses of one pool of a subnet are used at one moment. Only the addresses the pool
 * hands out count: a reserved or infrastructure address inside the range belongs to the subnet,
 * not to the pool (see {@link SubnetUsage}).
 *
 * @param range the pool's addresses, as configured
 * @param clientClass the client class the pool is restricted to, empty for an open pool
 * @param size how many addresses the pool hands out (its range less the excluded addresses)
 * @param bound how many of them are bound to a client
 * @param offered how many are offered and held for a client that has not yet requested them
 * @param declined how many are quarantined after a DHCPDECLINE
 * @param free how many could be given to a new client now
 */
public record PoolRangeUsage(AddressRange range, Optional<String> clientClass, int size, int bound, int offered,
        int declined, int free) {

    public PoolRangeUsage {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(clientClass, "clientClass");
        if (size < 0 || bound < 0 || offered < 0 || declined < 0 || free < 0 || free > size) {
            throw new IllegalArgumentException("inconsistent usage of pool " + range + ": size " + size + ", bound "
                    + bound + ", offered " + offered + ", declined " + declined + ", free " + free);
        }
    }
}
