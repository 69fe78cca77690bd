package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dhcpcluster.core.simulation.LeaseInvariant;
import dev.dhcpcluster.core.simulation.LeaseSimulation;
import dev.dhcpcluster.core.simulation.LeaseSimulationFailure;
import dev.dhcpcluster.core.simulation.ReplicationFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The lease simulation can fail: a node built through the package-private seams of
 * {@link LeaseReplication} ({@link LeaseReplication.Quorum}, {@link LeaseReplication.Acceptance})
 * breaks one rule, and the checker reports it within a bounded number of seeds. A replica that
 * checks only the version of the lease a change replaces
 * ({@link LeaseReplication.Acceptance#BROKEN_MATCH_REPLACED_VERSION_ONLY}) needs a writer to crash
 * between two precise steps, which 2,000 seeds of the random schedules did not reach:
 * {@link LostChangeRenewalTest} plays that case step by step instead.
 */
class SimulationCatchesBrokenReplicationTest {

    private static final int SEEDS = 300;

    private static ReplicationFactory broken(LeaseReplication.Quorum quorum, LeaseReplication.Acceptance acceptance) {
        return (self, members, scheduler, transport, replica, retransmit, epoch, recovering) -> new LeaseReplication(
                self, members, scheduler, transport, replica, retransmit, epoch, recovering, quorum, acceptance);
    }

    private static ReplicationFactory matchingAnswersByVersionOnly() {
        return (self, members, scheduler, transport, replica, retransmit, epoch, recovering) -> new LeaseReplication(
                self, members, scheduler, transport, replica, retransmit, epoch, recovering,
                LeaseReplication.Quorum.MAJORITY, LeaseReplication.Acceptance.CHECKS_REPLACED_LEASE,
                LeaseReplication.Answers.BROKEN_MATCH_THE_VERSION_ONLY);
    }

    private static LeaseSimulationFailure firstFailure(ReplicationFactory factory) {
        LeaseSimulation.Settings settings = LeaseSimulation.Settings
                .defaults(seed -> "(seed " + seed + " of a deliberately broken replication)").withFactory(factory);
        for (long seed = 1; seed <= SEEDS; seed++) {
            try {
                LeaseSimulation.run(seed, settings);
            } catch (LeaseSimulationFailure failure) {
                System.out.println("broken replication caught at seed " + seed + ": " + failure.invariant());
                return failure;
            }
        }
        return fail("no seed of " + SEEDS + " caught the broken replication");
    }

    @Test
    @DisplayName("an ACK after the local write only, before a majority has the lease, is caught")
    void anAckBeforeTheMajorityIsCaught() {
        LeaseSimulationFailure failure = firstFailure(
                broken(members -> 1, LeaseReplication.Acceptance.CHECKS_REPLACED_LEASE));
        assertEquals(LeaseInvariant.ACKED_LEASE_ON_MAJORITY_OF_DISKS, failure.invariant());
    }

    @Test
    @DisplayName("a replica that accepts any newer version without checking the one replaced binds an address twice")
    void aReplicaThatDoesNotCheckTheReplacedVersionIsCaught() {
        LeaseSimulationFailure failure = firstFailure(
                broken(LeaseReplication.Quorum.MAJORITY, LeaseReplication.Acceptance.BROKEN_ACCEPTS_ANY_NEWER));
        assertEquals(LeaseInvariant.NO_ADDRESS_HELD_TWICE, failure.invariant());
    }

    @Test
    @DisplayName("a restarted writer that counts a late answer to its previous run's change, which had the same "
            + "version, ACKs a lease a majority does not hold")
    void aLateAnswerFromBeforeARestartIsCaught() {
        LeaseSimulationFailure failure = firstFailure(matchingAnswersByVersionOnly());
        assertEquals(LeaseInvariant.ACKED_LEASE_ON_MAJORITY_OF_DISKS, failure.invariant());
    }
}
