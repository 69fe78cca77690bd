package dev.dhcpcluster.core.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dhcpcluster.core.simulation.ElectionFactory;
import dev.dhcpcluster.core.simulation.ElectionSimulation;
import dev.dhcpcluster.core.simulation.Invariant;
import dev.dhcpcluster.core.simulation.SimulationFailure;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The simulation can fail: each test breaks the election (or the disk) on purpose, through the
 * package-private seam of {@link BullyElection} ({@link Quorum}, acknowledging before saving), and
 * expects the checker to catch it within a bounded number of seeds, naming the right invariant.
 */
class SimulationCatchesBrokenElectionTest {

    /** Seeds tried before a test gives up: each break is caught well within this many. */
    private static final int SEEDS = 1000;

    private static ElectionSimulation.Settings settings() {
        return ElectionSimulation.Settings.defaults(seed -> "replay seed " + seed);
    }

    /** Runs seeds 1, 2, ... until one fails, and returns that failure; fails the test if none does. */
    private static SimulationFailure firstFailure(ElectionSimulation.Settings settings) {
        for (long seed = 1; seed <= SEEDS; seed++) {
            try {
                ElectionSimulation.run(seed, settings);
            } catch (SimulationFailure failure) {
                System.out.println("caught at seed " + seed + ": " + failure.getMessage());
                return failure;
            }
        }
        return fail("no seed of " + SEEDS + " caught the broken election");
    }

    private static ElectionFactory withQuorum(Quorum quorum, boolean acknowledgeBeforeSaving) {
        return (self, members, timers, clock, scheduler, peers, votes, random, events) -> new BullyElection(self,
                members, timers, clock, scheduler, peers, votes, random, events, quorum, acknowledgeBeforeSaving);
    }

    @Test
    @DisplayName("a node that leads with one acknowledgement fewer than a majority is caught leading without a majority on disk")
    void aBrokenQuorumIsCaught() {
        SimulationFailure failure = firstFailure(settings().withFactory(withQuorum(members -> members / 2, false)));

        assertEquals(Invariant.LEADER_HAS_MAJORITY_ON_DISK, failure.invariant());
        assertTrue(failure.getMessage().contains("seed " + failure.seed()), failure.getMessage());
        assertTrue(failure.getMessage().contains("replay seed " + failure.seed()), failure.getMessage());
        assertTrue(failure.getMessage().contains("recent events:"), failure.getMessage());
    }

    @Test
    @DisplayName("with the majority check off, the same broken quorum is caught as two leaders in one epoch")
    void aBrokenQuorumMakesTwoLeadersInOneEpoch() {
        ElectionSimulation.Settings settings = settings().withFactory(withQuorum(members -> members / 2, false));
        EnumSet<Invariant> invariants = EnumSet.allOf(Invariant.class);
        invariants.remove(Invariant.LEADER_HAS_MAJORITY_ON_DISK);
        invariants.remove(Invariant.CONVERGES_AFTER_FAULTS);

        SimulationFailure failure = firstFailure(settings.withInvariants(invariants));

        assertEquals(Invariant.ONE_LEADER_PER_EPOCH, failure.invariant());
    }

    @Test
    @DisplayName("a disk that loses a synced vote at a crash lets two nodes lead one epoch, and that is caught")
    void aDiskThatLosesSyncedVotesIsCaught() {
        // Only the one-leader check: the vote check would catch the lost write itself, first.
        SimulationFailure failure = firstFailure(settings().withClusterSizes(List.of(3))
                .withLostWrites(EnumSet.of(Invariant.ONE_LEADER_PER_EPOCH)));

        assertEquals(Invariant.ONE_LEADER_PER_EPOCH, failure.invariant());
    }

    @Test
    @DisplayName("a disk that loses a synced vote is caught by the vote check when every invariant is on")
    void aLostVoteIsCaughtByTheVoteCheck() {
        SimulationFailure failure = firstFailure(settings().withLostWrites(EnumSet.allOf(Invariant.class)));

        assertEquals(Invariant.VOTE_NEVER_GOES_BACK, failure.invariant());
    }

    @Test
    @DisplayName("acknowledging before the vote is saved, on a failing disk, is caught leading without a majority on disk")
    void acknowledgingBeforeSavingIsCaught() {
        SimulationFailure failure = firstFailure(settings().withFactory(withQuorum(Quorum.MAJORITY, true)));

        assertEquals(Invariant.LEADER_HAS_MAJORITY_ON_DISK, failure.invariant());
    }
}
