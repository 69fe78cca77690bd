package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dhcpcluster.core.simulation.CatchUpFactory;
import dev.dhcpcluster.core.simulation.LeaseInvariant;
import dev.dhcpcluster.core.simulation.LeaseSimulation;
import dev.dhcpcluster.core.simulation.LeaseSimulationFailure;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The lease simulation can fail at the recovery of a lost disk: a node built through the
 * package-private seam {@link LeaseCatchUp.PeersNeeded} ends its recovery too early, and the
 * checker reports it within a bounded number of seeds.
 */
class SimulationCatchesBrokenCatchUpTest {

    private static final int SEEDS = 300;

    private static CatchUpFactory endingAfter(LeaseCatchUp.PeersNeeded needed) {
        return (self, members, scheduler, transport, replication, snapshot, inPools, highestEpoch, epoch, retransmit,
                caughtUp, settled, misbehaved) -> new LeaseCatchUp(self, members, scheduler, transport, replication,
                        snapshot, inPools, highestEpoch, epoch, retransmit, caughtUp, settled, misbehaved, needed);
    }

    private static LeaseSimulationFailure firstFailure(CatchUpFactory factory) {
        LeaseSimulation.Settings settings = LeaseSimulation.Settings
                .defaults(seed -> "(seed " + seed + " of a deliberately broken catch-up)").withCatchUp(factory);
        for (long seed = 1; seed <= SEEDS; seed++) {
            try {
                LeaseSimulation.run(seed, settings);
            } catch (LeaseSimulationFailure failure) {
                System.out.println("broken catch-up caught at seed " + seed + ": " + failure.invariant());
                return failure;
            }
        }
        return fail("no seed of " + SEEDS + " caught the broken catch-up");
    }

    @Test
    @DisplayName("a node that ends its recovery after one peer's snapshot, which may lack a lease it acknowledged, "
            + "binds an address twice")
    void aRecoveryFromOnePeerIsCaught() {
        LeaseSimulationFailure failure = firstFailure(endingAfter(members -> 1));
        assertEquals(LeaseInvariant.NO_ADDRESS_HELD_TWICE, failure.invariant(), failure.getMessage());
    }
}
