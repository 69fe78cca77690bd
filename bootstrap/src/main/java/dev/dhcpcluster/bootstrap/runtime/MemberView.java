package dev.dhcpcluster.bootstrap.runtime;

import dev.dhcpcluster.core.cluster.Assignment;
import dev.dhcpcluster.core.cluster.OwnershipGrants;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a cluster member holds of the address space and how its replication stands, at one moment,
 * for {@code /status} and {@code /metrics}.
 *
 * @param holdings the blocks and buckets its current grant holds (none without a current grant)
 * @param freeAddresses how many addresses of those blocks are free, all subnets together
 * @param freeBySubnet the same for each subnet of the pools, under the subnet's first block (the
 *     cluster deals and refills each subnet's blocks on their own); 0 for a subnet where it holds none
 * @param replicating how many of its lease changes wait for a majority now: its replication lag
 * @param recovering true if its store was lost and it accepts no change until it has caught up
 * @param grantCurrent true while its grant is current on its own clock
 * @param accepted the latest assignment it accepted from a leader: every member's blocks and buckets
 */
public record MemberView(OwnershipGrants.Holdings holdings, long freeAddresses,
        SortedMap<Ipv4Address, Long> freeBySubnet, int replicating, boolean recovering, boolean grantCurrent,
        Assignment accepted) {

    public MemberView {
        Objects.requireNonNull(holdings, "holdings");
        Objects.requireNonNull(accepted, "accepted");
        freeBySubnet = Collections.unmodifiableSortedMap(new TreeMap<>(freeBySubnet));
    }
}
