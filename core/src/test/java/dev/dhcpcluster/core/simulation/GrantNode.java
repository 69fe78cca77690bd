package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.core.cluster.AssignmentPlanner;
import dev.dhcpcluster.core.cluster.GrantTimers;
import dev.dhcpcluster.core.cluster.Leadership;
import dev.dhcpcluster.core.cluster.OwnershipGrants;
import dev.dhcpcluster.core.cluster.PoolBlocks;
import dev.dhcpcluster.core.election.BullyElection;
import dev.dhcpcluster.core.election.ElectionStatus;
import dev.dhcpcluster.core.election.MemberStatus;
import dev.dhcpcluster.core.election.Role;
import dev.dhcpcluster.core.election.ElectionTimers;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import dev.dhcpcluster.port.telemetry.ElectionEvent;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * One node of an assignment simulation: a clock and two disks (its vote, its accepted assignment)
 * that outlive its crashes, and, while it is up, one incarnation of its election and its grants on
 * one scheduler. A restart builds both anew from the disks alone.
 */
public final class GrantNode {

    /** Addresses in each simulated block: a node reports this many free per block it accepted. */
    static final long BLOCK_SIZE = 256;

    private final NodeId id;
    private final Set<NodeId> members;
    private final ElectionTimers timers;
    private final GrantTimers grantTimers;
    private final PoolBlocks pool;
    /** Every block of {@link #pool}, in address order: bit 256 + i of {@link #held()} is the i-th. */
    private final List<Ipv4Address> poolBlocks;
    private final AssignmentPlanner.Rules rules;
    private final EventQueue queue;
    private final SimulatedClock clock;
    private final SimulatedDisk disk;
    private final SimulatedAssignmentDisk assignmentDisk;
    private final SimulatedNetwork network;
    private final GrantsFactory factory;
    private final SplittableRandom random;
    private final ClusterEvents events;
    private SimulatedScheduler scheduler;
    private BullyElection election;
    private OwnershipGrants grants;
    /** The holdings last turned into {@link #mask}, compared by identity. */
    private OwnershipGrants.Holdings masked;
    private long[] mask = new long[0];

    public GrantNode(NodeId id, Set<NodeId> members, ElectionTimers timers, GrantTimers grantTimers,
            PoolBlocks pool, AssignmentPlanner.Rules rules, EventQueue queue, SimulatedClock clock,
            SimulatedDisk disk, SimulatedAssignmentDisk assignmentDisk, SimulatedNetwork network,
            GrantsFactory factory, SplittableRandom random, BiConsumer<NodeId, ElectionEvent> onElectionEvent) {
        this.id = id;
        this.members = Set.copyOf(members);
        this.timers = timers;
        this.grantTimers = grantTimers;
        this.pool = pool;
        this.poolBlocks = pool.all();
        this.rules = rules;
        this.queue = queue;
        this.clock = clock;
        this.disk = disk;
        this.assignmentDisk = assignmentDisk;
        this.network = network;
        this.factory = factory;
        this.random = random;
        this.events = new ElectionEventSink(event -> onElectionEvent.accept(id, event));
    }

    public NodeId id() {
        return id;
    }

    public SimulatedClock clock() {
        return clock;
    }

    /** Makes both disks fail ({@code true}) or work again ({@code false}). */
    public void disksFailing(boolean failing) {
        disk.failing(failing);
        assignmentDisk.failing(failing);
    }

    public boolean up() {
        return grants != null;
    }

    /** A line on where the node stands in the election and the assignment, for failure messages. */
    public String describe() {
        if (grants == null) {
            return id + " is down";
        }
        var status = election.status();
        return id + " is " + status.role() + " in epoch " + status.epoch() + " (leader " + status.leader()
                + "), accepted " + grants.accepted() + ", grant " + (grants.grantCurrent() ? "current" : "not current");
    }

    /** The running incarnation's grants; null while the node is down. */
    public OwnershipGrants grants() {
        return grants;
    }

    /**
     * What the node holds now as a bit mask: bucket b is bit b, the i-th block of the pool is bit
     * 256 + i; empty while down or without a current grant.
     */
    public long[] held() {
        if (grants == null) {
            return new long[0];
        }
        OwnershipGrants.Holdings now = grants.holdings();
        if (now != masked) {
            masked = now;
            long[] bits = new long[(256 + poolBlocks.size() + 63) / 64];
            for (int bucket : now.buckets()) {
                bits[bucket >>> 6] |= 1L << bucket;
            }
            for (Ipv4Address block : now.blocks()) {
                int i = 256 + poolBlocks.indexOf(block);
                bits[i >>> 6] |= 1L << i;
            }
            mask = bits;
        }
        return now.isEmpty() ? new long[0] : mask;
    }

    /** Starts a new incarnation from what is on the disks. */
    public void start() {
        if (grants != null) {
            throw new IllegalStateException(id + " is up already");
        }
        disk.started();
        scheduler = new SimulatedScheduler(queue, clock, id.value() - 1);
        BullyElection nextElection = ElectionFactory.PRODUCTION.create(id, members, timers, clock, scheduler,
                network.transport(id), disk, random.split(), events);
        OwnershipGrants nextGrants = factory.create(id, members, grantTimers, clock, scheduler, network.transport(id),
                assignmentDisk, () -> leadership(nextElection.status()), pool, rules, blocks -> BLOCK_SIZE * blocks.size());
        election = nextElection;
        grants = nextGrants;
        network.attach(id, new PeerHandler() {
            @Override
            public void received(PeerMessage message) {
                if (message instanceof PeerMessage.Election || message instanceof PeerMessage.Answer
                        || message instanceof PeerMessage.Coordinator || message instanceof PeerMessage.Acknowledge
                        || message instanceof PeerMessage.Heartbeat) {
                    nextElection.received(message);
                } else {
                    nextGrants.received(message);
                }
            }

            @Override
            public void connected(NodeId peer) {
                nextElection.connected(peer);
            }

            @Override
            public void disconnected(NodeId peer) {
                nextElection.disconnected(peer);
            }
        });
        nextElection.start();
        nextGrants.start();
    }

    /** The election's status as the grants read it; the node's runtime will do the same. */
    static Leadership leadership(ElectionStatus status) {
        var acknowledged = status.members().stream().filter(MemberStatus::self).findFirst()
                .flatMap(MemberStatus::leader);
        return new Leadership(status.epoch(), acknowledged, status.role() == Role.LEADER,
                status.role() == Role.FOLLOWER, status.leader());
    }

    /** Kills the incarnation at once: only the disks remain. */
    public void crash() {
        if (grants == null) {
            throw new IllegalStateException(id + " is down already");
        }
        scheduler.kill();
        election = null;
        grants = null;
        masked = null;
        network.detach(id);
        disk.crashed();
    }
}
