package dev.dhcpcluster.core.cluster;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The blocks of the pools as the leader deals them: grouped by the subnet their pools lie in, each
 * subnet named by its first block (the lowest address of its pools' blocks). A client is given an
 * address of its own subnet only, so the leader deals each subnet's blocks on their own, and a
 * member reports its free addresses per subnet under the same name. The leader and the members
 * serve the same configuration, so both name a subnet alike.
 *
 * @param subnets each subnet's blocks, in address order, under the subnet's first block
 */
public record PoolBlocks(SortedMap<Ipv4Address, List<Ipv4Address>> subnets) {

    /** No pool at all. */
    public static final PoolBlocks NONE = new PoolBlocks(new TreeMap<>());

    public PoolBlocks {
        TreeMap<Ipv4Address, List<Ipv4Address>> copy = new TreeMap<>();
        Set<Ipv4Address> seen = new java.util.HashSet<>();
        subnets.forEach((key, blocks) -> {
            List<Ipv4Address> sorted = blocks.stream().sorted().toList();
            if (sorted.isEmpty() || !sorted.get(0).equals(key)) {
                throw new IllegalArgumentException("a subnet is named by its first block, not " + key + ": " + sorted);
            }
            for (Ipv4Address block : sorted) {
                if (!seen.add(block)) {
                    throw new IllegalArgumentException("block " + block + " lies in two subnets");
                }
            }
            copy.put(key, sorted);
        });
        // Subnets are disjoint networks, so their blocks never interleave: subnetOf relies on it.
        Ipv4Address last = null;
        for (List<Ipv4Address> blocks : copy.values()) {
            if (last != null && blocks.get(0).compareTo(last) < 0) {
                throw new IllegalArgumentException("the blocks of two subnets interleave at " + blocks.get(0));
            }
            last = blocks.get(blocks.size() - 1);
        }
        subnets = Collections.unmodifiableNavigableMap(copy);
    }

    /**
     * The blocks of each subnet, one list per subnet (as the lease table cuts them); a subnet
     * without pools, an empty list, has no blocks to deal and is left out.
     */
    public static PoolBlocks bySubnet(List<List<Ipv4Address>> subnets) {
        TreeMap<Ipv4Address, List<Ipv4Address>> map = new TreeMap<>();
        for (List<Ipv4Address> blocks : subnets) {
            if (!blocks.isEmpty()) {
                List<Ipv4Address> sorted = blocks.stream().sorted().toList();
                map.put(sorted.get(0), sorted);
            }
        }
        return new PoolBlocks(map);
    }

    /** Every block in one subnet: a configuration of a single subnet. */
    public static PoolBlocks oneSubnet(List<Ipv4Address> blocks) {
        return bySubnet(List.of(blocks));
    }

    /** Every block, in address order. */
    public List<Ipv4Address> all() {
        List<Ipv4Address> all = new ArrayList<>();
        subnets.values().forEach(all::addAll);
        all.sort(null);
        return all;
    }

    /** How many blocks the pools have, all subnets together. */
    public int size() {
        return subnets.values().stream().mapToInt(List::size).sum();
    }

    /** The name (first block) of the subnet that {@code block} lies in, if it lies in one. */
    public Optional<Ipv4Address> subnetOf(Ipv4Address block) {
        // The constructor keeps a navigable map.
        Map.Entry<Ipv4Address, List<Ipv4Address>> entry =
                ((java.util.NavigableMap<Ipv4Address, List<Ipv4Address>>) subnets).floorEntry(block);
        return entry != null && Collections.binarySearch(entry.getValue(), block) >= 0
                ? Optional.of(entry.getKey()) : Optional.empty();
    }

    /**
     * The blocks of {@code held} grouped by subnet, with an empty set for a subnet where none is
     * held; blocks that lie in no subnet (they left the pools) are left out.
     */
    public SortedMap<Ipv4Address, Set<Ipv4Address>> split(Set<Ipv4Address> held) {
        Map<Ipv4Address, Set<Ipv4Address>> groups = new HashMap<>();
        subnets.keySet().forEach(key -> groups.put(key, new java.util.TreeSet<>()));
        for (Ipv4Address block : held) {
            subnetOf(block).ifPresent(key -> groups.get(key).add(block));
        }
        return new TreeMap<>(groups);
    }
}
