package dev.dhcpcluster.core.pool;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.List;
import java.util.Objects;

/**
 * How the addresses of one subnet are used at one moment, for logs and the status page.
 *
 * @param network the subnet's network address
 * @param prefixLength the subnet's prefix length
 * @param size how many addresses the dynamic pool hands out (its ranges less the network,
 *     broadcast, router, server and reserved addresses)
 * @param bound how many addresses of the subnet (pool or reserved) are bound to a client
 * @param offered how many are offered and held for a client that has not yet requested them
 * @param declined how many are quarantined after a DHCPDECLINE
 * @param free how many pool addresses could be given to a new client now: by this node, or by a
 *     peer that owns their block
 * @param pools the same for each pool of the subnet, in configuration order; the pools' counts add
 *     up to the subnet's, less the bound, offered and declined addresses outside every pool
 */
public record SubnetUsage(Ipv4Address network, int prefixLength, int size, int bound, int offered, int declined,
        int free, List<PoolRangeUsage> pools) {

    public SubnetUsage {
        Objects.requireNonNull(network, "network");
        pools = List.copyOf(pools);
        if (size < 0 || bound < 0 || offered < 0 || declined < 0 || free < 0 || free > size) {
            throw new IllegalArgumentException("inconsistent usage of " + network + "/" + prefixLength + ": size "
                    + size + ", bound " + bound + ", offered " + offered + ", declined " + declined + ", free " + free);
        }
    }

    /** How many address blocks the subnet's pools are cut into. */
    public int blocks() {
        return pools.stream().mapToInt(PoolRangeUsage::blocks).sum();
    }

    /** How many of them this node owns. */
    public int ownedBlocks() {
        return pools.stream().mapToInt(PoolRangeUsage::ownedBlocks).sum();
    }

    /** How many free addresses lie in the blocks this node owns: those it can give to new clients. */
    public int ownedFree() {
        return pools.stream().mapToInt(PoolRangeUsage::ownedFree).sum();
    }
}
