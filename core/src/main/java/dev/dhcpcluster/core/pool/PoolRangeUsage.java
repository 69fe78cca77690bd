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
 * @param free how many could be given to a new client now: by this node, or by a peer that owns
 *     their block
 * @param blocks how many address blocks the pool is cut into ({@link AddressPool#BLOCK_SIZE} addresses each)
 * @param ownedBlocks how many of them this node owns
 * @param ownedFree how many free addresses lie in the owned blocks: those this node can give to new clients
 */
public record PoolRangeUsage(AddressRange range, Optional<String> clientClass, int size, int bound, int offered,
        int declined, int free, int blocks, int ownedBlocks, int ownedFree) {

    public PoolRangeUsage {
        Objects.requireNonNull(range, "range");
        Objects.requireNonNull(clientClass, "clientClass");
        if (size < 0 || bound < 0 || offered < 0 || declined < 0 || free < 0 || free > size || ownedBlocks < 0
                || ownedBlocks > blocks || ownedFree < 0 || ownedFree > free) {
            throw new IllegalArgumentException("inconsistent usage of pool " + range + ": size " + size + ", bound "
                    + bound + ", offered " + offered + ", declined " + declined + ", free " + free + ", blocks "
                    + blocks + ", owned blocks " + ownedBlocks + ", free in owned blocks " + ownedFree);
        }
    }

    /**
     * The usage of a pool that owns all its blocks, as a node alone does: its range cut into
     * blocks of {@link AddressPool#BLOCK_SIZE}, and every free address in one of them.
     */
    public PoolRangeUsage(AddressRange range, Optional<String> clientClass, int size, int bound, int offered,
            int declined, int free) {
        this(range, clientClass, size, bound, offered, declined, free, blocksIn(range), blocksIn(range), free);
    }

    private static int blocksIn(AddressRange range) {
        return (int) ((range.size() + AddressPool.BLOCK_SIZE - 1) / AddressPool.BLOCK_SIZE);
    }
}
