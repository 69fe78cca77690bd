package dev.dhcpcluster.core.pool;

import java.util.List;

/**
 * How the addresses of every served subnet are used at one moment, in configuration order.
 *
 * @param subnets one entry per configured subnet
 */
public record PoolUsage(List<SubnetUsage> subnets) {

    public PoolUsage {
        subnets = List.copyOf(subnets);
    }

    /** Free addresses over all subnets. */
    public long free() {
        return subnets.stream().mapToLong(SubnetUsage::free).sum();
    }

    /** Bound addresses over all subnets. */
    public long bound() {
        return subnets.stream().mapToLong(SubnetUsage::bound).sum();
    }

    /** Free addresses in the blocks this node owns, over all subnets. */
    public long ownedFree() {
        return subnets.stream().mapToLong(SubnetUsage::ownedFree).sum();
    }

    /** Address blocks this node owns, over all subnets. */
    public long ownedBlocks() {
        return subnets.stream().mapToLong(SubnetUsage::ownedBlocks).sum();
    }
}
