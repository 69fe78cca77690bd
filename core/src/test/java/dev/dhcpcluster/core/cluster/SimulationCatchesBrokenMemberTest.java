package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dhcpcluster.core.member.ClusterMember;
import dev.dhcpcluster.core.simulation.ClusterSimulation;
import dev.dhcpcluster.core.simulation.LeaseInvariant;
import dev.dhcpcluster.core.simulation.LeaseSimulationFailure;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The full-stack simulation can fail: a member whose replicated store is built through the
 * package-private seam of {@link ReplicatedLeaseStore} (a {@link LeaseReplication.Quorum} of one)
 * lets its DHCP server ACK a lease as soon as its own disk holds it, and the checker reports it
 * within a bounded number of seeds.
 */
class SimulationCatchesBrokenMemberTest {

    private static final int SEEDS = 50;

    @Test
    @DisplayName("a member that ACKs after its own write, before a majority holds the lease, is caught")
    void anAckBeforeTheMajorityIsCaught() {
        ClusterMember.StoreFactory ownDiskOnly = (self, members, local, scheduler, peers, retransmit, epoch, recovering,
                listener) -> new ReplicatedLeaseStore(self, members, local, scheduler, peers, retransmit, epoch, recovering,
                        listener, count -> 1);
        ClusterSimulation.Settings settings = ClusterSimulation.Settings
                .defaults(seed -> "(seed " + seed + " of a deliberately broken member)").withStores(ownDiskOnly);
        for (long seed = 1; seed <= SEEDS; seed++) {
            try {
                ClusterSimulation.run(seed, settings);
            } catch (LeaseSimulationFailure failure) {
                System.out.println("broken member caught at seed " + seed + ": " + failure.invariant());
                assertEquals(LeaseInvariant.ACKED_LEASE_ON_MAJORITY_OF_DISKS, failure.invariant(), failure.getMessage());
                return;
            }
        }
        fail("no seed of " + SEEDS + " caught the member that ACKs before a majority holds the lease");
    }
}
