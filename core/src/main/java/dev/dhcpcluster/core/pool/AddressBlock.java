package dev.dhcpcluster.core.pool;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Objects;

/**
 * One block of a pool's addresses: the unit the leader of a cluster grants to a node, which then
 * alone hands out the block's free addresses to new clients.
 *
 * <p>An {@link AddressPool} cuts each of its ranges into blocks of {@link AddressPool#BLOCK_SIZE}
 * consecutive addresses from the range's first address; the last block of a range holds what is
 * left and may be smaller. A block is therefore a function of the configuration alone: every node
 * with the same pools computes the same blocks, before and after a restart. Pools never overlap
 * (neither subnets nor the pools of one subnet may), so a block's first address names it across the
 * whole configuration; {@code last} comes with it, so that two nodes whose pools differ in size
 * never take two different blocks for one.
 *
 * @param first the block's first address
 * @param last the block's last address, at most {@link AddressPool#BLOCK_SIZE} - 1 after {@code first}
 */
public record AddressBlock(Ipv4Address first, Ipv4Address last) implements Comparable<AddressBlock> {

    public AddressBlock {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(last, "last");
        long span = last.toUnsignedLong() - first.toUnsignedLong();
        if (span < 0 || span >= AddressPool.BLOCK_SIZE) {
            throw new IllegalArgumentException("a block holds 1 to " + AddressPool.BLOCK_SIZE + " addresses: "
                    + first + "-" + last);
        }
    }

    /** How many addresses the block spans, excluded ones included. */
    public int size() {
        return (int) (last.toUnsignedLong() - first.toUnsignedLong() + 1);
    }

    /** True if {@code address} lies in the block. */
    public boolean contains(Ipv4Address address) {
        long value = address.toUnsignedLong();
        return value >= first.toUnsignedLong() && value <= last.toUnsignedLong();
    }

    /** Blocks in address order. */
    @Override
    public int compareTo(AddressBlock other) {
        return first.compareTo(other.first);
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
