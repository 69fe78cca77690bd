package dev.dhcpcluster.core.election;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerTransport;
import dev.dhcpcluster.port.peer.Vote;
import dev.dhcpcluster.port.peer.VoteStore;
import dev.dhcpcluster.port.peer.VoteStoreException;
import dev.dhcpcluster.port.telemetry.PeerEvents;
import dev.dhcpcluster.port.telemetry.ElectionEvent;
import dev.dhcpcluster.port.telemetry.ElectionEvent.Kind;
import dev.dhcpcluster.port.time.Cancellable;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * The bully election with epochs: decides which node of the cluster leads, as a single-threaded
 * state machine driven by peer messages and timers.
 *
 * <h2>Safety</h2>
 * A node acknowledges at most one leader per epoch, never an epoch below one it acknowledged, and
 * writes the acknowledgement to its {@link VoteStore} before it tells anyone (a candidate's own
 * proposal is its acknowledgement of itself). A candidate leads epoch {@code e} once a majority of
 * the configured cluster, itself included, said in this round of its proposal that they
 * acknowledged {@code (e, itself)}, and only while that many keep saying so (in their heartbeats)
 * within the failure timeout. Two majorities share a member, so no two nodes ever lead one epoch,
 * whatever the network does. A message of an epoch below the node's own changes nothing, though it
 * shows its sender alive; its sender is told where the node stands.
 *
 * <h2>The bully</h2>
 * A node that finds no leader asks every higher member ({@code Election}); a higher member answers
 * ({@code Answer}) and runs an election of its own. A node that no higher member answers within
 * the answer timeout proposes itself ({@code Coordinator}) in an epoch above every one it has seen,
 * or again in its own epoch if nobody has moved past it (so a node cut off in a minority does not
 * inflate epochs). A node refuses a Coordinator from a lower node and runs an election instead, so
 * the highest live node ends up leading; a higher node that joins takes over the same way.
 *
 * <h2>Liveness</h2>
 * Every node sends a {@code Heartbeat} to every peer each heartbeat interval, saying which epoch and
 * leader it acknowledged and whether it leads. A follower that has not heard its leader lead for the
 * failure timeout, and a leader that no longer hears a majority acknowledging its epoch, start an
 * election; a follower names its leader (in {@link #status()}) only while that leader says it
 * leads. A leader that sees an epoch above its own, or a member that acknowledged another leader
 * in its own epoch, proposes again above it, so that such a member can rejoin. A node that starts
 * listens for one failure timeout before its first election, unless it hears a leader sooner, so
 * that it learns the current epoch first. Candidates' timeouts carry up to 20 % of jitter from the
 * random source handed in, so that two candidates drift apart.
 *
 * <h2>Threads</h2>
 * Not thread-safe: every method, the {@link PeerHandler} ones included, must be called on the
 * scheduler's thread, which is also where the timers run.
 */
public final class BullyElection implements PeerHandler {

    private static final long NEVER = Long.MIN_VALUE;

    /** Where a node is in its own election, beyond its {@link Role}. */
    private enum Phase {
        /** Not electing: following, leading, or stopped. */
        IDLE,
        /** Just started: listening for a leader before the first election. */
        LISTENING,
        /** Asked the higher members; waiting for an Answer. */
        ASKING,
        /** A higher member answered; waiting for its Coordinator. */
        AWAITING_COORDINATOR,
        /** Proposed itself; waiting for a majority of acknowledgements. */
        PROPOSING
    }

    /** What this node knows of one peer. */
    private static final class Peer {
        /** When any message of the peer last arrived. */
        long lastHeard = NEVER;
        /** When the peer last said which vote it holds (a heartbeat or an acknowledgement). */
        long voteHeard = NEVER;
        long epoch;
        NodeId leader;
    }

    private final NodeId self;
    private final List<NodeId> members;
    private final List<NodeId> higher;
    private final ElectionTimers timers;
    private final Clock clock;
    private final Scheduler scheduler;
    private final PeerTransport peers;
    private final VoteStore votes;
    private final RandomGenerator random;
    private final PeerEvents events;
    private final int required;
    private final boolean acknowledgeBeforeSaving;
    private final long failureNanos;
    private final Map<NodeId, Peer> known = new TreeMap<>();

    private boolean running;
    private Vote vote;
    private long highestSeen;
    /** The highest epoch in which some node acknowledged or proposed a leader other than this node. */
    private long conflictEpoch;
    private Role role = Role.FOLLOWER;
    private Phase phase = Phase.IDLE;
    /** When this follower last heard its leader lead (or acknowledged it). */
    private long leaderHeard = NEVER;
    /** True once this follower heard its leader lead in the acknowledged epoch, not merely propose it. */
    private boolean leaderLeads;
    /** When this node last sent its Coordinator: a proposal wins only on acknowledgements heard since. */
    private long roundStarted = NEVER;
    private Cancellable round;
    private Cancellable tick;
    private long electionsStarted;

    /**
     * A node's election.
     *
     * @param self this node
     * @param members every configured member of the cluster, {@code self} included
     * @param timers the heartbeat interval and timeouts
     * @param clock the node's clock; only {@link Clock#elapsedNanos()} is read, for intervals
     * @param scheduler runs the timers, on the thread every method must be called on
     * @param peers carries the messages to the other members
     * @param votes keeps this node's latest acknowledgement on stable storage
     * @param random the only source of the timers' jitter (a seeded one in the simulation)
     * @param events told of every step of the election
     */
    public BullyElection(NodeId self, Set<NodeId> members, ElectionTimers timers, Clock clock, Scheduler scheduler,
            PeerTransport peers, VoteStore votes, RandomGenerator random, PeerEvents events) {
        this(self, members, timers, clock, scheduler, peers, votes, random, events, Quorum.MAJORITY, false);
    }

    /**
     * The seam for the simulation's proof that its checker catches a broken election; see
     * {@link Quorum}. Never used with anything but the defaults outside this package's tests.
     *
     * @param quorum how many acknowledgements make a leader
     * @param acknowledgeBeforeSaving true to send an acknowledgement before the vote is durable (wrong)
     */
    BullyElection(NodeId self, Set<NodeId> members, ElectionTimers timers, Clock clock, Scheduler scheduler,
            PeerTransport peers, VoteStore votes, RandomGenerator random, PeerEvents events, Quorum quorum,
            boolean acknowledgeBeforeSaving) {
        this.self = Objects.requireNonNull(self, "self");
        this.members = members.stream().sorted().toList();
        if (!this.members.contains(self)) {
            throw new IllegalArgumentException(self + " is not one of the members " + this.members);
        }
        this.higher = this.members.stream().filter(m -> m.compareTo(self) > 0).toList();
        this.timers = Objects.requireNonNull(timers, "timers");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.votes = Objects.requireNonNull(votes, "votes");
        this.random = Objects.requireNonNull(random, "random");
        this.events = Objects.requireNonNull(events, "events");
        this.required = quorum.required(this.members.size());
        this.acknowledgeBeforeSaving = acknowledgeBeforeSaving;
        this.failureNanos = timers.failureTimeout().toNanos();
        for (NodeId member : this.members) {
            if (!member.equals(self)) {
                known.put(member, new Peer());
            }
        }
    }

    /**
     * Loads the saved vote and starts: heartbeats at once, and the first election after one failure
     * timeout unless a leader is heard first; a lone member leads at once.
     *
     * @throws VoteStoreException if the saved vote cannot be read: without it the node cannot know
     *     which epochs it may acknowledge, so it must not run
     * @throws IllegalStateException if started twice
     */
    public void start() {
        if (running || tick != null) {
            throw new IllegalStateException("the election of " + self + " was started already");
        }
        vote = votes.load().orElse(null);
        highestSeen = epoch();
        running = true;
        tick = scheduler.schedule(timers.heartbeatInterval(), this::tick);
        sendHeartbeat();
        if (known.isEmpty()) {
            startElection("it is the only configured member");
        } else {
            phase = Phase.LISTENING;
            round = scheduler.schedule(timers.failureTimeout(), () -> {
                if (running && phase == Phase.LISTENING) {
                    startElection("no leader was heard in the " + timers.failureTimeout().toMillis()
                            + " ms since the node started");
                }
            });
        }
    }

    /** Stops: no more messages or timers. The saved vote stays. Idempotent. */
    public void stop() {
        running = false;
        cancelRound();
        if (tick != null) {
            tick.cancel();
        }
    }

    /**
     * The epoch this node speaks in now, as {@link #status()} reports it, without building a whole
     * status: the replication reads it for every message it sends.
     */
    public long currentEpoch() {
        return epoch();
    }

    /** Where this node stands now. */
    public ElectionStatus status() {
        long now = clock.elapsedNanos();
        List<MemberStatus> list = new ArrayList<>(members.size());
        int heard = 1;
        for (NodeId member : members) {
            if (member.equals(self)) {
                list.add(new MemberStatus(self, true, true, Optional.empty(), epoch(), voteLeader()));
                continue;
            }
            Peer peer = known.get(member);
            boolean alive = alive(peer, now);
            if (alive) {
                heard++;
            }
            Optional<Duration> since = peer.lastHeard == NEVER ? Optional.empty()
                    : Optional.of(Duration.ofNanos(now - peer.lastHeard));
            list.add(new MemberStatus(member, false, alive, since, peer.epoch, Optional.ofNullable(peer.leader)));
        }
        return new ElectionStatus(self, role, epoch(), leader(), required, heard >= required, list, electionsStarted);
    }

    @Override
    public void received(PeerMessage message) {
        Peer peer = known.get(message.from());
        if (!running || peer == null) {
            return; // stopped, or not a configured peer (a transport authenticates, so this is a bug elsewhere)
        }
        peer.lastHeard = clock.elapsedNanos(); // any message proves the peer alive, however stale its content
        if (message instanceof PeerMessage.Heartbeat heartbeat && heartbeat.leader().isPresent()) {
            learn(peer, heartbeat.epoch(), heartbeat.leader().get());
        } else if (message instanceof PeerMessage.Acknowledge acknowledge) {
            learn(peer, acknowledge.epoch(), acknowledge.leader());
        }
        if (message.epoch() < epoch()) {
            refuseStale(message);
            return;
        }
        highestSeen = Math.max(highestSeen, message.epoch());
        if (message instanceof PeerMessage.Election election) {
            onElection(election);
        } else if (message instanceof PeerMessage.Answer answer) {
            onAnswer(answer);
        } else if (message instanceof PeerMessage.Coordinator coordinator) {
            onCoordinator(coordinator);
        } else if (message instanceof PeerMessage.Acknowledge acknowledge) {
            onAcknowledge(acknowledge);
        } else if (message instanceof PeerMessage.Heartbeat heartbeat) {
            onHeartbeat(heartbeat);
        }
        if (role == Role.LEADER && running) {
            if (highestSeen > epoch()) {
                stepDown("it saw epoch " + highestSeen + ", above its own " + epoch() + ", and proposes above it");
            } else if (conflictEpoch >= epoch()) {
                stepDown("a member acknowledged another leader in epoch " + epoch() + ", and it proposes above it");
            }
        }
    }

    @Override
    public void connected(NodeId peer) {
        if (running && known.containsKey(peer)) {
            peers.send(peer, heartbeat());
        }
    }

    @Override
    public void disconnected(NodeId peer) {
        Peer state = known.get(peer);
        if (!running || state == null) {
            return;
        }
        state.lastHeard = NEVER; // counts as not heard at once: a killed leader is replaced without waiting
        state.voteHeard = NEVER;
        checkLiveness();
    }

    // ---- messages ----

    private void onElection(PeerMessage.Election election) {
        NodeId from = election.from();
        if (from.compareTo(self) < 0) {
            peers.send(from, new PeerMessage.Answer(self, highestSeen));
            if (role == Role.LEADER) {
                if (election.epoch() <= epoch()) {
                    peers.send(from, new PeerMessage.Coordinator(self, epoch())); // so it (re)acknowledges
                }
                // A higher epoch makes the leader propose above it, after this message.
            } else if (role == Role.FOLLOWER && !following()) {
                startElection(from + " started an election and this node is higher");
            }
        }
        // An Election goes only to higher members; one from a higher member is ignored.
    }

    private void onAnswer(PeerMessage.Answer answer) {
        if (answer.from().compareTo(self) > 0 && phase == Phase.ASKING) {
            cancelRound();
            phase = Phase.AWAITING_COORDINATOR;
            report(Kind.ANSWERED_BY_HIGHER, epoch(), answer.from() + " answered; waiting up to "
                    + timers.coordinatorTimeout().toMillis() + " ms for a Coordinator from a higher node");
            round = scheduler.schedule(jittered(timers.coordinatorTimeout()), () -> {
                if (running && phase == Phase.AWAITING_COORDINATOR) {
                    startElection("a higher node answered but no Coordinator came");
                }
            });
        }
    }

    private void onCoordinator(PeerMessage.Coordinator coordinator) {
        NodeId from = coordinator.from();
        long epoch = coordinator.epoch();
        if (from.equals(self)) {
            return;
        }
        conflictEpoch = Math.max(conflictEpoch, epoch);
        if (vote != null && epoch == vote.epoch() && !from.equals(vote.leader())) {
            report(Kind.COORDINATOR_REFUSED, epoch(), "refused " + from + " in epoch " + epoch
                    + ": it acknowledged " + vote.leader() + " in that epoch already");
            peers.send(from, heartbeat());
        } else if (from.compareTo(self) < 0) {
            report(Kind.COORDINATOR_REFUSED, epoch(), "refused " + from + " in epoch " + epoch
                    + ": this node is higher and alive");
            peers.send(from, heartbeat());
            if (role == Role.FOLLOWER && !following()) {
                startElection("a lower node proposed itself");
            }
        } else {
            acknowledge(from, epoch, "its Coordinator");
        }
    }

    private void onAcknowledge(PeerMessage.Acknowledge acknowledge) {
        if (acknowledge.leader().equals(self) && phase == Phase.PROPOSING && acknowledge.epoch() == epoch()) {
            checkProposal();
        }
    }

    private void onHeartbeat(PeerMessage.Heartbeat heartbeat) {
        NodeId from = heartbeat.from();
        long epoch = heartbeat.epoch();
        if (!heartbeat.leading()) {
            if (vote != null && from.equals(vote.leader()) && role == Role.FOLLOWER) {
                // The leader says it no longer leads: name no leader, and let the failure timeout run on.
                leaderLeads = false;
            }
            return;
        }
        if (vote != null && epoch == vote.epoch() && from.equals(vote.leader())) {
            leaderHeard = clock.elapsedNanos();
            if (role != Role.FOLLOWER || phase != Phase.IDLE) {
                follow("it hears " + from + " lead epoch " + epoch);
            }
            leaderLeads = true;
        } else if (epoch > epoch() && from.compareTo(self) > 0) {
            acknowledge(from, epoch, "the heartbeat of the established leader");
            leaderLeads = following() && vote.equals(new Vote(epoch, from));
        } else if (from.compareTo(self) < 0 && role == Role.FOLLOWER) {
            startElection("the lower node " + from + " leads, and this node is higher");
        }
        // A higher node that leads an epoch this node cannot acknowledge will see this node's
        // conflicting vote in its heartbeat and propose above it.
    }

    /** A message below this node's epoch changes nothing; its sender is told where this node stands. */
    private void refuseStale(PeerMessage message) {
        if (message instanceof PeerMessage.Coordinator) {
            report(Kind.COORDINATOR_REFUSED, epoch(), "refused " + message.from() + " in epoch " + message.epoch()
                    + ": this node acknowledged epoch " + epoch());
        }
        if (message instanceof PeerMessage.Coordinator || message instanceof PeerMessage.Election) {
            peers.send(message.from(), heartbeat());
        }
    }

    /** Notes the vote a peer says it holds, and whether it names a leader other than this node. */
    private void learn(Peer peer, long epoch, NodeId leader) {
        if (epoch >= peer.epoch) {
            peer.epoch = epoch;
            peer.leader = leader;
            peer.voteHeard = peer.lastHeard;
        }
        if (!leader.equals(self)) {
            conflictEpoch = Math.max(conflictEpoch, epoch);
        }
    }

    // ---- steps ----

    /** Saves the vote for {@code leader} in {@code epoch} (unless already saved), then acknowledges and follows. */
    private void acknowledge(NodeId leader, long epoch, String why) {
        Vote next = new Vote(epoch, leader);
        boolean changed = !next.equals(vote);
        boolean sent = false;
        if (changed) {
            if (acknowledgeBeforeSaving) {
                peers.send(leader, new PeerMessage.Acknowledge(self, epoch, leader));
                sent = true;
            }
            try {
                votes.save(next);
            } catch (VoteStoreException e) {
                report(Kind.COORDINATOR_REFUSED, epoch(), "could not acknowledge " + leader + " in epoch " + epoch
                        + ": the vote could not be saved (" + e.getMessage() + ")");
                return;
            }
            if (role == Role.LEADER) {
                report(Kind.STEPPED_DOWN, epoch(), "it acknowledged " + leader + " in the higher epoch " + epoch);
            }
            vote = next;
            leaderLeads = false;
        }
        if (!sent) {
            peers.send(leader, new PeerMessage.Acknowledge(self, epoch, leader));
        }
        if (changed || role != Role.FOLLOWER || phase != Phase.IDLE) {
            // A grace of one failure timeout for the new leader to win its majority. Acknowledging the
            // same Coordinator again gives none: a candidate that proposes again and again in a
            // minority must not look like a live leader.
            leaderHeard = clock.elapsedNanos();
            follow("it acknowledged " + leader + " in epoch " + epoch + " after " + why);
        }
    }

    /** Becomes a follower of the saved vote's leader. */
    private void follow(String why) {
        if (role != Role.FOLLOWER || phase != Phase.IDLE) {
            leaderLeads = false; // until its leader is heard to lead again
        }
        cancelRound();
        role = Role.FOLLOWER;
        phase = Phase.IDLE;
        report(Kind.FOLLOWING, epoch(), why);
    }

    private void startElection(String why) {
        if (!running) {
            return;
        }
        cancelRound();
        role = Role.CANDIDATE;
        electionsStarted++;
        if (higher.isEmpty()) {
            report(Kind.ELECTION_STARTED, epoch(), why + "; no member is higher, so it proposes itself at once");
            propose();
            return;
        }
        phase = Phase.ASKING;
        report(Kind.ELECTION_STARTED, epoch(), why + "; asking the " + higher.size() + " higher member(s)");
        PeerMessage.Election election = new PeerMessage.Election(self, highestSeen);
        for (NodeId member : higher) {
            peers.send(member, election);
        }
        round = scheduler.schedule(jittered(timers.answerTimeout()), () -> {
            if (running && phase == Phase.ASKING) {
                propose();
            }
        });
    }

    /** Proposes itself: saves the vote for itself first, then sends the Coordinator to everyone. */
    private void propose() {
        cancelRound();
        role = Role.CANDIDATE;
        boolean again = vote != null && vote.leader().equals(self) && vote.epoch() >= highestSeen
                && conflictEpoch < vote.epoch();
        long epoch = again ? vote.epoch() : Math.max(highestSeen, epoch()) + 1;
        if (!again) {
            try {
                votes.save(new Vote(epoch, self));
            } catch (VoteStoreException e) {
                phase = Phase.PROPOSING;
                report(Kind.COORDINATOR_REFUSED, epoch(), "could not propose itself in epoch " + epoch
                        + ": the vote could not be saved (" + e.getMessage() + ")");
                round = scheduler.schedule(jittered(timers.coordinatorTimeout()), this::proposeAgain);
                return;
            }
            vote = new Vote(epoch, self);
            highestSeen = Math.max(highestSeen, epoch);
        }
        phase = Phase.PROPOSING;
        report(Kind.COORDINATOR_PROPOSED, epoch, (again ? "proposed itself again in epoch " : "proposed itself in epoch ")
                + epoch + "; it leads once " + required + " of " + members.size() + " members acknowledge");
        roundStarted = clock.elapsedNanos();
        peers.sendToAll(new PeerMessage.Coordinator(self, epoch));
        round = scheduler.schedule(jittered(timers.coordinatorTimeout()), this::proposeAgain);
        checkProposal();
    }

    private void proposeAgain() {
        if (running && phase == Phase.PROPOSING) {
            propose();
        }
    }

    private void checkProposal() {
        if (phase != Phase.PROPOSING || vote == null || !vote.leader().equals(self)) {
            return;
        }
        int support = support(clock.elapsedNanos(), roundStarted);
        if (support >= required) {
            cancelRound();
            role = Role.LEADER;
            phase = Phase.IDLE;
            report(Kind.LEADING, epoch(), support + " of " + members.size() + " members acknowledged epoch " + epoch());
            peers.sendToAll(heartbeat());
        }
    }

    private void stepDown(String why) {
        role = Role.CANDIDATE;
        report(Kind.STEPPED_DOWN, epoch(), why);
        startElection("it stepped down");
    }

    private void tick() {
        if (!running) {
            return;
        }
        tick = scheduler.schedule(timers.heartbeatInterval(), this::tick);
        sendHeartbeat();
        checkLiveness();
    }

    private void checkLiveness() {
        long now = clock.elapsedNanos();
        if (role == Role.LEADER) {
            int support = support(now, now - failureNanos);
            if (support < required) {
                stepDown("it hears only " + support + " of the " + required + " members needed that acknowledged epoch "
                        + epoch());
            }
        } else if (role == Role.FOLLOWER && phase == Phase.IDLE && vote != null) {
            Peer leader = known.get(vote.leader());
            boolean silent = leaderHeard == NEVER || now - leaderHeard > failureNanos;
            if (silent || leader == null || leader.lastHeard == NEVER) {
                report(Kind.LEADER_LOST, epoch(), vote.leader() + (silent ? " has not led for "
                        + timers.failureTimeout().toMillis() + " ms" : " disconnected"));
                startElection("its leader was lost");
            }
        }
    }

    // ---- helpers ----

    /**
     * This node and the members that said, at {@code since} or later, that they acknowledged this
     * node in its current epoch. What a member said before then does not count: it may have moved
     * on to another epoch since, out of this node's hearing.
     */
    private int support(long now, long since) {
        if (vote == null || !vote.leader().equals(self)) {
            return 0;
        }
        int support = 1;
        for (Peer peer : known.values()) {
            if (peer.voteHeard != NEVER && peer.voteHeard >= since && now - peer.voteHeard <= failureNanos
                    && peer.epoch == vote.epoch() && self.equals(peer.leader)) {
                support++;
            }
        }
        return support;
    }

    private boolean alive(Peer peer, long now) {
        return peer.lastHeard != NEVER && now - peer.lastHeard <= failureNanos;
    }

    private boolean following() {
        return role == Role.FOLLOWER && phase == Phase.IDLE && vote != null;
    }

    private long epoch() {
        return vote == null ? 0 : vote.epoch();
    }

    private Optional<NodeId> voteLeader() {
        return vote == null ? Optional.empty() : Optional.of(vote.leader());
    }

    /** Itself when it leads; the acknowledged leader once it was heard to lead; else none. */
    private Optional<NodeId> leader() {
        if (role == Role.LEADER) {
            return Optional.of(self);
        }
        return following() && leaderLeads ? voteLeader() : Optional.empty();
    }

    private PeerMessage.Heartbeat heartbeat() {
        return new PeerMessage.Heartbeat(self, epoch(), voteLeader(), role == Role.LEADER);
    }

    private void sendHeartbeat() {
        peers.sendToAll(heartbeat());
    }

    private Duration jittered(Duration base) {
        long nanos = base.toNanos();
        return Duration.ofNanos(nanos + random.nextLong(nanos / 5 + 1));
    }

    private void cancelRound() {
        if (round != null) {
            round.cancel();
            round = null;
        }
        if (phase != Phase.IDLE) {
            phase = Phase.IDLE;
        }
    }

    private void report(Kind kind, long epoch, String detail) {
        events.election(new ElectionEvent(kind, epoch, voteLeader(), detail));
    }
}
