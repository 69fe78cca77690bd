package dev.dhcpcluster.bootstrap.runtime;

import dev.dhcpcluster.core.cluster.Assignment;
import dev.dhcpcluster.core.cluster.OwnershipGrants;
import java.util.Objects;

/**
 * What a cluster member holds of the address space and how its replication stands, at one moment,
 * for {@code /status} and {@code /metrics}.
 *
 * @param holdings the blocks and buckets its current grant holds (none without a current grant)
 * @param freeAddresses how many addresses of those blocks are free
 * @param replicating how many of its lease changes wait for a majority now: its replication lag
 * @param recovering true if its store was lost and it accepts no change until it has caught up
 * @param grantCurrent true while its grant is current on its own clock
 * @param accepted the latest assignment it accepted from a leader: every member's blocks and buckets
 */
public record MemberView(OwnershipGrants.Holdings holdings, long freeAddresses, int replicating, boolean recovering,
        boolean grantCurrent, Assignment accepted) {

    public MemberView {
        Objects.requireNonNull(holdings, "holdings");
        Objects.requireNonNull(accepted, "accepted");
    }
}
