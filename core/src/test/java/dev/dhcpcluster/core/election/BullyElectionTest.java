package dev.dhcpcluster.core.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.ManualScheduler;
import dev.dhcpcluster.core.testing.MemoryVoteStore;
import dev.dhcpcluster.core.testing.RecordingEvents;
import dev.dhcpcluster.core.testing.RecordingPeerTransport;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerMessage.Acknowledge;
import dev.dhcpcluster.port.peer.PeerMessage.Answer;
import dev.dhcpcluster.port.peer.PeerMessage.Coordinator;
import dev.dhcpcluster.port.peer.PeerMessage.Election;
import dev.dhcpcluster.port.peer.PeerMessage.Heartbeat;
import dev.dhcpcluster.port.peer.Vote;
import dev.dhcpcluster.port.peer.VoteStore;
import dev.dhcpcluster.port.peer.VoteStoreException;
import dev.dhcpcluster.port.telemetry.ElectionEvent.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** One node's election, driven message by message on a virtual clock. */
class BullyElectionTest {

    private static final ElectionTimers TIMERS = ElectionTimers.DEFAULTS;
    /** Longer than any jittered answer timeout (300 ms + 20 %). */
    private static final Duration PAST_ANSWER = Duration.ofMillis(361);
    /** Longer than any jittered coordinator timeout (600 ms + 20 %). */
    private static final Duration PAST_COORDINATOR = Duration.ofMillis(721);

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final List<Object> log = new ArrayList<>();
    private final RecordingPeerTransport peers = new RecordingPeerTransport(log::add);
    private final RecordingEvents events = new RecordingEvents();
    private MemoryVoteStore votes = new MemoryVoteStore(log::add);

    private static NodeId node(int id) {
        return new NodeId(id);
    }

    private static Set<NodeId> cluster(int size) {
        Set<NodeId> members = new TreeSet<>();
        IntStream.rangeClosed(1, size).forEach(i -> members.add(node(i)));
        return members;
    }

    private BullyElection election(int self, int size) {
        return election(self, size, votes);
    }

    private BullyElection election(int self, int size, VoteStore store) {
        return new BullyElection(node(self), cluster(size), TIMERS, clock, scheduler, peers, store,
                new SplittableRandom(7), events);
    }

    /** Starts the node and lets its listening period pass, so that it starts its first election. */
    private BullyElection started(int self, int size) {
        BullyElection election = election(self, size);
        election.start();
        scheduler.advance(TIMERS.failureTimeout());
        return election;
    }

    /** Node {@code self} of {@code size} proposed itself and leads with acknowledgements from {@code ackers}. */
    private BullyElection leading(int self, int size, int... ackers) {
        BullyElection election = started(self, size);
        scheduler.advance(PAST_ANSWER);
        long epoch = election.status().epoch();
        for (int acker : ackers) {
            election.received(new Acknowledge(node(acker), epoch, node(self)));
        }
        assertEquals(Role.LEADER, election.status().role());
        return election;
    }

    @Test
    @DisplayName("a node that no higher member answers proposes itself in a new epoch, its vote saved first")
    void answerTimeoutProposes() {
        BullyElection election = started(2, 3);
        assertEquals(List.of(new Election(node(2), 0)), peers.sent(Election.class));

        scheduler.advance(PAST_ANSWER);

        assertEquals(List.of(new Coordinator(node(2), 1)), peers.sent(Coordinator.class));
        assertEquals(List.of(new Vote(1, node(2))), votes.saves());
        assertEquals(Role.CANDIDATE, election.status().role());
        assertTrue(events.electionKinds().contains(Kind.COORDINATOR_PROPOSED), events.electionKinds().toString());
    }

    @Test
    @DisplayName("a node that a higher member answered, and that then gets no Coordinator, starts the election again")
    void answerWithoutCoordinatorRestarts() {
        BullyElection election = started(1, 3);
        election.received(new Answer(node(3), 0));
        assertEquals(List.of(Kind.ELECTION_STARTED, Kind.ANSWERED_BY_HIGHER), events.electionKinds());

        scheduler.advance(PAST_ANSWER);
        assertTrue(peers.sent(Coordinator.class).isEmpty(), "it waits for the higher node, it does not propose");

        scheduler.advance(PAST_COORDINATOR);
        assertEquals(2, election.status().electionsStarted());
        assertEquals(4, peers.sent(Election.class).size(), "asked both higher nodes twice");
    }

    @Test
    @DisplayName("an acknowledgement is sent only after the vote is saved")
    void acknowledgesOnlyAfterSaving() {
        BullyElection election = election(1, 3);
        election.start();

        election.received(new Coordinator(node(3), 1));

        int saved = log.indexOf(new MemoryVoteStore.Saved(new Vote(1, node(3))));
        int acknowledged = log.indexOf(new RecordingPeerTransport.Sent(Optional.of(node(3)),
                new Acknowledge(node(1), 1, node(3))));
        assertTrue(saved >= 0 && acknowledged > saved, log.toString());
        assertEquals(Role.FOLLOWER, election.status().role());
    }

    @Test
    @DisplayName("a follower names its leader once it hears it lead, not when it merely proposed itself")
    void aFollowerNamesItsLeaderOnceItLeads() {
        BullyElection election = election(1, 3);
        election.start();
        election.received(new Coordinator(node(3), 1));
        assertEquals(Optional.empty(), election.status().leader(), "node-3 may never get its majority");

        election.received(new Heartbeat(node(3), 1, Optional.of(node(3)), true));

        assertEquals(Optional.of(node(3)), election.status().leader());
    }

    @Test
    @DisplayName("a Coordinator of an epoch below the one acknowledged is refused")
    void refusesALowerEpoch() {
        votes = new MemoryVoteStore(log::add).holding(new Vote(5, node(2)));
        BullyElection election = election(1, 3);
        election.start();

        election.received(new Coordinator(node(3), 4));

        assertTrue(peers.sent(Acknowledge.class).isEmpty());
        assertTrue(votes.saves().isEmpty());
        assertEquals(5, election.status().epoch());
        assertEquals(List.of(Kind.COORDINATOR_REFUSED), events.electionKinds());
    }

    @Test
    @DisplayName("a second leader for an epoch already acknowledged is refused")
    void refusesASecondLeaderInOneEpoch() {
        BullyElection election = election(1, 3);
        election.start();
        election.received(new Coordinator(node(2), 1));

        election.received(new Coordinator(node(3), 1));

        assertEquals(List.of(new Acknowledge(node(1), 1, node(2))), peers.sent(Acknowledge.class));
        assertEquals(List.of(new Vote(1, node(2))), votes.saves());
    }

    @Test
    @DisplayName("a Coordinator from a lower node is refused while this higher node is alive, and it runs an election")
    void refusesALowerCoordinator() {
        BullyElection election = election(2, 3);
        election.start();

        election.received(new Coordinator(node(1), 1));

        assertTrue(peers.sent(Acknowledge.class).isEmpty());
        assertEquals(List.of(Kind.COORDINATOR_REFUSED, Kind.ELECTION_STARTED), events.electionKinds());
        assertEquals(List.of(new Election(node(2), 1)), peers.sent(Election.class));
    }

    @Test
    @DisplayName("a node leads only once a majority, itself included, acknowledged its epoch")
    void leadsOnlyWithAMajority() {
        BullyElection election = started(5, 5);
        assertEquals(List.of(new Coordinator(node(5), 1)), peers.sent(Coordinator.class), "no higher node to ask");

        election.received(new Acknowledge(node(1), 1, node(5)));
        election.received(new Acknowledge(node(1), 1, node(5)));
        assertEquals(Role.CANDIDATE, election.status().role(), "two of five, however often one of them says it");

        election.received(new Acknowledge(node(2), 1, node(5)));
        assertEquals(Role.LEADER, election.status().role());
        assertEquals(Optional.of(node(5)), election.status().leader());
    }

    @Test
    @DisplayName("a proposal wins only on acknowledgements heard in its round, not on what members said before it")
    void onlyThisRoundsAcknowledgementsCount() {
        votes = new MemoryVoteStore(log::add).holding(new Vote(1, node(3)));
        BullyElection election = election(3, 3);
        election.start();
        scheduler.advance(Duration.ofMillis(100));
        election.received(new Heartbeat(node(2), 1, Optional.of(node(3)), false));

        scheduler.advance(TIMERS.failureTimeout());
        assertEquals(List.of(new Coordinator(node(3), 1)), peers.sent(Coordinator.class), "proposed its epoch again");
        assertEquals(Role.CANDIDATE, election.status().role(), "node-2 may have moved on since it said so");

        election.received(new Acknowledge(node(2), 1, node(3)));
        assertEquals(Role.LEADER, election.status().role());
    }

    @Test
    @DisplayName("a follower whose leader says it no longer leads names no leader")
    void aFollowerNamesNoLeaderOnceItsLeaderStepsDown() {
        BullyElection election = election(1, 3);
        election.start();
        election.received(new Coordinator(node(3), 1));
        election.received(new Heartbeat(node(3), 1, Optional.of(node(3)), true));

        election.received(new Heartbeat(node(3), 1, Optional.of(node(3)), false));

        assertEquals(Optional.empty(), election.status().leader());
        assertEquals(Role.FOLLOWER, election.status().role());
    }

    @Test
    @DisplayName("a leader that no longer hears a majority acknowledging its epoch steps down")
    void stepsDownWithoutAMajority() {
        BullyElection election = leading(3, 3, 2);

        scheduler.advance(TIMERS.failureTimeout().plus(TIMERS.heartbeatInterval()));

        assertFalse(election.status().role() == Role.LEADER);
        assertTrue(events.electionKinds().contains(Kind.STEPPED_DOWN), events.electionKinds().toString());
    }

    @Test
    @DisplayName("a leader keeps leading while the majority's heartbeats acknowledge its epoch")
    void keepsLeadingWhileHeard() {
        BullyElection election = leading(3, 3, 2);

        for (int i = 0; i < 20; i++) {
            scheduler.advance(TIMERS.heartbeatInterval());
            election.received(new Heartbeat(node(2), 1, Optional.of(node(3)), false));
        }

        assertEquals(Role.LEADER, election.status().role());
        assertTrue(election.status().majorityPresent());
    }

    @Test
    @DisplayName("a higher node that joins takes over: it hears the lower leader and proposes above its epoch")
    void aHigherNodeTakesOver() {
        BullyElection election = election(3, 3);
        election.start();

        election.received(new Heartbeat(node(2), 4, Optional.of(node(2)), true));

        assertEquals(List.of(new Coordinator(node(3), 5)), peers.sent(Coordinator.class),
                "it proposes at once, before its listening period is over");
        election.received(new Acknowledge(node(1), 5, node(3)));
        assertEquals(Role.LEADER, election.status().role());
    }

    @Test
    @DisplayName("a node that restarts follows the higher leader it hears, saving that vote first")
    void aRestartedNodeFollowsAHigherLeader() {
        votes = new MemoryVoteStore(log::add).holding(new Vote(2, node(3)));
        BullyElection election = election(1, 3);
        election.start();

        election.received(new Heartbeat(node(3), 4, Optional.of(node(3)), true));

        assertEquals(List.of(new Vote(4, node(3))), votes.saves());
        assertEquals(List.of(new Acknowledge(node(1), 4, node(3))), peers.sent(Acknowledge.class));
        assertEquals(Optional.of(node(3)), election.status().leader());
    }

    @Test
    @DisplayName("a candidate that gets no majority proposes the same epoch again: no epoch inflation in a minority")
    void reproposesTheSameEpoch() {
        started(3, 3);
        scheduler.advance(PAST_ANSWER);

        scheduler.advance(PAST_COORDINATOR);
        scheduler.advance(PAST_COORDINATOR);

        assertEquals(List.of(new Coordinator(node(3), 1), new Coordinator(node(3), 1), new Coordinator(node(3), 1)),
                peers.sent(Coordinator.class));
        assertEquals(List.of(new Vote(1, node(3))), votes.saves(), "saved once");
    }

    @Test
    @DisplayName("a candidate that saw another leader in its epoch proposes above it")
    void proposesAboveAConflict() {
        BullyElection election = started(3, 3);
        election.received(new Heartbeat(node(1), 1, Optional.of(node(2)), false));

        scheduler.advance(PAST_COORDINATOR);

        assertEquals(List.of(new Coordinator(node(3), 1), new Coordinator(node(3), 2)), peers.sent(Coordinator.class));
    }

    @Test
    @DisplayName("a vote that cannot be saved is not acknowledged, and the node stays where it was")
    void saveFailureMeansNoAcknowledgement() {
        BullyElection election = election(1, 3);
        election.start();
        votes.failing(true);

        election.received(new Coordinator(node(3), 1));

        assertTrue(peers.sent(Acknowledge.class).isEmpty());
        assertEquals(0, election.status().epoch());
        assertEquals(Optional.empty(), election.status().leader());
        assertEquals(List.of(Kind.COORDINATOR_REFUSED), events.electionKinds());
        assertTrue(events.elections().get(0).detail().contains("could not be saved"));
    }

    @Test
    @DisplayName("a lone configured node leads at once: a majority of one")
    void aLoneNodeLeads() {
        BullyElection election = new BullyElection(node(1), Set.of(node(1)), TIMERS, clock, scheduler, peers, votes,
                new SplittableRandom(1), events);

        election.start();

        assertEquals(Role.LEADER, election.status().role());
        assertEquals(1, election.status().epoch());
        assertEquals(List.of(new Vote(1, node(1))), votes.saves());
        scheduler.advance(Duration.ofSeconds(10));
        assertEquals(Role.LEADER, election.status().role(), "and keeps leading");
    }

    @Test
    @DisplayName("a follower whose leader disconnects starts an election at once")
    void aDisconnectedLeaderIsLostAtOnce() {
        BullyElection election = election(1, 3);
        election.start();
        election.received(new Coordinator(node(3), 1));

        election.disconnected(node(3));

        assertEquals(Role.CANDIDATE, election.status().role());
        assertEquals(List.of(Kind.FOLLOWING, Kind.LEADER_LOST, Kind.ELECTION_STARTED), events.electionKinds());
    }

    @Test
    @DisplayName("a follower that stops hearing its leader for the failure timeout starts an election")
    void aSilentLeaderIsLost() {
        BullyElection election = election(1, 3);
        election.start();
        election.received(new Coordinator(node(3), 1));

        scheduler.advance(TIMERS.failureTimeout().plus(TIMERS.heartbeatInterval()));

        assertTrue(events.electionKinds().contains(Kind.LEADER_LOST), events.electionKinds().toString());
    }

    @Test
    @DisplayName("a leader answers a lower node's Election with its Coordinator, so that the node rejoins its epoch")
    void aLeaderBringsALowerNodeBack() {
        BullyElection election = leading(3, 3, 2);
        peers.clear();

        election.received(new Election(node(1), 1));

        assertEquals(List.of(new RecordingPeerTransport.Sent(Optional.of(node(1)), new Answer(node(3), 1)),
                new RecordingPeerTransport.Sent(Optional.of(node(1)), new Coordinator(node(3), 1))), peers.sent());
        assertEquals(Role.LEADER, election.status().role());
    }

    @Test
    @DisplayName("a leader that sees an epoch above its own proposes above it, so that a node that moved ahead can rejoin")
    void aLeaderProposesAboveAHigherEpoch() {
        BullyElection election = leading(3, 3, 2);

        election.received(new Election(node(1), 7));

        assertEquals(new Coordinator(node(3), 8), peers.sent(Coordinator.class).get(1));
        assertEquals(List.of(Kind.STEPPED_DOWN), events.electionKinds().stream()
                .filter(kind -> kind == Kind.STEPPED_DOWN).toList());
    }

    @Test
    @DisplayName("a message below the acknowledged epoch changes nothing, though it shows its sender alive")
    void staleMessagesAreIgnored() {
        votes = new MemoryVoteStore(log::add).holding(new Vote(5, node(3)));
        BullyElection election = election(2, 3);
        election.start();

        election.received(new Heartbeat(node(1), 3, Optional.of(node(1)), true));

        assertTrue(votes.saves().isEmpty());
        assertTrue(peers.sent(Election.class).isEmpty());
        assertTrue(election.status().members().get(0).alive());
    }

    @Test
    @DisplayName("a node that cannot read its vote does not start")
    void anUnreadableVoteStopsTheStart() {
        VoteStore broken = new VoteStore() {
            @Override
            public Optional<Vote> load() {
                throw new VoteStoreException("unreadable");
            }

            @Override
            public void save(Vote vote) {
            }
        };

        assertThrows(VoteStoreException.class, () -> election(1, 3, broken).start());
    }

    @Test
    @DisplayName("status shows the role, epoch, leader, majority and each member's last heartbeat")
    void statusShowsWhereTheNodeStands() {
        BullyElection election = election(1, 3);
        election.start();
        election.received(new Coordinator(node(3), 2));
        scheduler.advance(Duration.ofMillis(100));
        election.received(new Heartbeat(node(2), 2, Optional.of(node(3)), false));
        scheduler.advance(Duration.ofMillis(50));

        ElectionStatus status = election.status();

        assertEquals(Role.FOLLOWER, status.role());
        assertEquals(2, status.epoch());
        assertEquals(2, status.majority());
        assertTrue(status.majorityPresent());
        MemberStatus two = status.members().get(1);
        assertEquals(new MemberStatus(node(2), false, true, Optional.of(Duration.ofMillis(50)), 2, Optional.of(node(3))),
                two);
    }
}
