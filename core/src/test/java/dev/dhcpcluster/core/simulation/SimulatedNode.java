package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.core.election.BullyElection;
import dev.dhcpcluster.core.election.ElectionStatus;
import dev.dhcpcluster.core.election.ElectionTimers;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import dev.dhcpcluster.port.telemetry.ElectionEvent;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * One node of a simulation: a clock and a disk that outlive its crashes, and, while it is up, one
 * incarnation of its state machines with its own scheduler. A restart builds the state machines
 * anew from the disk alone, as a restarted process does.
 */
public final class SimulatedNode {

    private final NodeId id;
    private final Set<NodeId> members;
    private final ElectionTimers timers;
    private final EventQueue queue;
    private final SimulatedClock clock;
    private final SimulatedDisk disk;
    private final SimulatedNetwork network;
    private final ElectionFactory factory;
    private final SplittableRandom random;
    private final ClusterEvents events;
    private SimulatedScheduler scheduler;
    private BullyElection election;

    /**
     * @param random the node's own stream; each incarnation's election gets a fresh split of it
     * @param onElectionEvent told of each election event of this node
     */
    public SimulatedNode(NodeId id, Set<NodeId> members, ElectionTimers timers, EventQueue queue, SimulatedClock clock,
            SimulatedDisk disk, SimulatedNetwork network, ElectionFactory factory, SplittableRandom random,
            BiConsumer<NodeId, ElectionEvent> onElectionEvent) {
        this.id = id;
        this.members = Set.copyOf(members);
        this.timers = timers;
        this.queue = queue;
        this.clock = clock;
        this.disk = disk;
        this.network = network;
        this.factory = factory;
        this.random = random;
        this.events = new ElectionEventSink(event -> onElectionEvent.accept(id, event));
    }

    public NodeId id() {
        return id;
    }

    public SimulatedDisk disk() {
        return disk;
    }

    public SimulatedClock clock() {
        return clock;
    }

    public boolean up() {
        return election != null;
    }

    /** The status of the running incarnation; empty while the node is down. */
    public Optional<ElectionStatus> status() {
        return election == null ? Optional.empty() : Optional.of(election.status());
    }

    /** Starts a new incarnation from what is on the disk. */
    public void start() {
        if (election != null) {
            throw new IllegalStateException(id + " is up already");
        }
        disk.started();
        scheduler = new SimulatedScheduler(queue, clock, id.value() - 1);
        BullyElection next = factory.create(id, members, timers, clock, scheduler, network.transport(id), disk,
                random.split(), events);
        election = next;
        network.attach(id, next);
        next.start();
    }

    /** Kills the incarnation at once, as SIGKILL or a power cut would: only the disk remains. */
    public void crash() {
        if (election == null) {
            throw new IllegalStateException(id + " is down already");
        }
        scheduler.kill();
        election = null;
        network.detach(id);
        disk.crashed();
    }
}
