package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerTransport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The network between the nodes of a simulation, and a {@link PeerTransport} for each node.
 *
 * <p>Harsher than the transport contract on purpose: besides cutting links, it drops, delays
 * (hence reorders) and duplicates messages according to its current {@link Conditions}. A link is
 * directed, so a partition can be one-way. Two nodes count as connected while both are up and
 * neither direction is cut; each change reaches the live endpoints as
 * {@link PeerHandler#connected}/{@link PeerHandler#disconnected} after a detection delay, as a
 * TCP transport's would. A one-way cut is silent: no disconnection is reported, messages just stop.
 * A message in flight reaches only the incarnation of its target that was up when it was sent.
 */
public final class SimulatedNetwork {

    /**
     * How the network treats each message now.
     *
     * @param drop probability that a message is lost
     * @param duplicate probability that a message arrives twice
     * @param minDelay shortest delay, in nanoseconds
     * @param maxDelay longest delay, in nanoseconds; messages with different delays overtake each other
     */
    public record Conditions(double drop, double duplicate, long minDelay, long maxDelay) {

        /** A quiet LAN: nothing lost or duplicated, 0.5 to 5 ms. */
        public static final Conditions NORMAL = new Conditions(0, 0, 500_000, 5_000_000);

        public Conditions {
            if (drop < 0 || drop >= 1 || duplicate < 0 || duplicate >= 1 || minDelay < 0 || maxDelay < minDelay) {
                throw new IllegalArgumentException("impossible network conditions");
            }
        }
    }

    /** Counts of what happened to messages. */
    public static final class Counters {
        long sent;
        long delivered;
        long dropped;
        long cut;
        long duplicated;

        @Override
        public String toString() {
            return "sent=" + sent + " delivered=" + delivered + " dropped=" + dropped + " cut=" + cut
                    + " duplicated=" + duplicated;
        }
    }

    private static final long CONNECT_DELAY_MAX = 20_000_000L;
    private static final long CRASH_DETECTION_MAX = 10_000_000L;
    private static final long PARTITION_DETECTION_MIN = 100_000_000L;
    private static final long PARTITION_DETECTION_MAX = 1_000_000_000L;

    private final EventQueue queue;
    private final SplittableRandom random;
    private final List<NodeId> nodes;
    private final int size;
    private final boolean[][] blocked;
    private final boolean[][] connected;
    /** What each endpoint's current incarnation was told last: the contract alternates connected/disconnected. */
    private final boolean[][] reported;
    private final PeerHandler[] handlers;
    private final int[] incarnations;
    private final Counters counters = new Counters();
    private Conditions conditions = Conditions.NORMAL;

    /** A network between {@code nodes}, ids 1 to n in order. */
    public SimulatedNetwork(EventQueue queue, SplittableRandom random, List<NodeId> nodes) {
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).value() != i + 1) {
                throw new IllegalArgumentException("nodes must be numbered 1 to n in order: " + nodes);
            }
        }
        this.queue = queue;
        this.random = random;
        this.nodes = List.copyOf(nodes);
        this.size = nodes.size();
        this.blocked = new boolean[size][size];
        this.connected = new boolean[size][size];
        this.reported = new boolean[size][size];
        this.handlers = new PeerHandler[size];
        this.incarnations = new int[size];
    }

    /** The transport a node's state machines send through. */
    public PeerTransport transport(NodeId node) {
        return new Transport(index(node));
    }

    /** {@code node} is up, and {@code handler} receives what reaches it from now on. */
    public void attach(NodeId node, PeerHandler handler) {
        int i = index(node);
        handlers[i] = handler;
        incarnations[i]++;
        java.util.Arrays.fill(reported[i], false);
        updateConnections(1_000_000L, CRASH_DETECTION_MAX);
    }

    /** {@code node} crashed: nothing reaches it until it is attached again. */
    public void detach(NodeId node) {
        int i = index(node);
        handlers[i] = null;
        incarnations[i]++;
        updateConnections(1_000_000L, CRASH_DETECTION_MAX);
    }

    /** Cuts or restores the direction {@code from} to {@code to}. */
    public void block(NodeId from, NodeId to, boolean cut) {
        blocked[index(from)][index(to)] = cut;
    }

    /** Restores every link. */
    public void healAll() {
        for (boolean[] row : blocked) {
            java.util.Arrays.fill(row, false);
        }
    }

    /** Reports the connections that the last cuts or repairs changed. */
    public void linksChanged() {
        updateConnections(PARTITION_DETECTION_MIN, PARTITION_DETECTION_MAX);
    }

    public void conditions(Conditions conditions) {
        this.conditions = conditions;
    }

    public Conditions conditions() {
        return conditions;
    }

    public Counters counters() {
        return counters;
    }

    private int index(NodeId node) {
        return node.value() - 1;
    }

    private void send(int from, int to, PeerMessage message) {
        if (from == to || to < 0 || to >= size) {
            return;
        }
        counters.sent++;
        if (blocked[from][to]) {
            counters.cut++;
            return;
        }
        if (conditions.drop > 0 && random.nextDouble() < conditions.drop) {
            counters.dropped++;
            return;
        }
        deliverLater(to, message);
        if (conditions.duplicate > 0 && random.nextDouble() < conditions.duplicate) {
            counters.duplicated++;
            deliverLater(to, message);
        }
    }

    private void deliverLater(int to, PeerMessage message) {
        long delay = conditions.minDelay == conditions.maxDelay ? conditions.minDelay
                : random.nextLong(conditions.minDelay, conditions.maxDelay + 1);
        int incarnation = incarnations[to];
        queue.after(delay, to, "deliver", message, () -> {
            if (handlers[to] != null && incarnations[to] == incarnation) {
                counters.delivered++;
                handlers[to].received(message);
            }
        });
    }

    /**
     * Compares every pair's connection with what it was and announces the changes: a new
     * connection within {@link #CONNECT_DELAY_MAX}, a lost one within {@code lossDetectionMax}.
     */
    private void updateConnections(long lossDetectionMin, long lossDetectionMax) {
        for (int i = 0; i < size; i++) {
            for (int j = i + 1; j < size; j++) {
                boolean now = handlers[i] != null && handlers[j] != null && !blocked[i][j] && !blocked[j][i];
                if (now != connected[i][j]) {
                    connected[i][j] = now;
                    connected[j][i] = now;
                    long min = now ? 1_000_000L : lossDetectionMin;
                    long max = now ? CONNECT_DELAY_MAX : lossDetectionMax;
                    announce(i, j, min, max);
                    announce(j, i, min, max);
                }
            }
        }
    }

    /** Tells {@code at} of the state of its connection to {@code peer}, if it still holds when the news arrives. */
    private void announce(int at, int peer, long min, long max) {
        if (handlers[at] == null) {
            return;
        }
        long delay = random.nextLong(min, max + 1);
        int incarnation = incarnations[at];
        queue.after(delay, at, "link", nodes.get(peer), () -> {
            if (handlers[at] == null || incarnations[at] != incarnation || reported[at][peer] == connected[at][peer]) {
                return;
            }
            reported[at][peer] = connected[at][peer];
            if (connected[at][peer]) {
                handlers[at].connected(nodes.get(peer));
            } else {
                handlers[at].disconnected(nodes.get(peer));
            }
        });
    }

    /** One node's view of the network. */
    private final class Transport implements PeerTransport {
        private final int self;

        Transport(int self) {
            this.self = self;
        }

        @Override
        public void start(PeerHandler handler) {
            throw new UnsupportedOperationException("the simulation attaches handlers itself");
        }

        @Override
        public void send(NodeId peer, PeerMessage message) {
            SimulatedNetwork.this.send(self, index(peer), message);
        }

        @Override
        public void sendToAll(PeerMessage message) {
            for (int to = 0; to < size; to++) {
                SimulatedNetwork.this.send(self, to, message);
            }
        }

        @Override
        public void disconnect(NodeId peer, String reason) {
            // Every simulated node is honest: a node that finds a peer's message invalid has a bug.
            throw new AssertionError(peer + " was disconnected for an invalid message: " + reason);
        }

        @Override
        public Set<NodeId> connected() {
            Set<NodeId> peers = new TreeSet<>();
            for (int j = 0; j < size; j++) {
                if (reported[self][j]) {
                    peers.add(nodes.get(j));
                }
            }
            return peers;
        }

        @Override
        public Optional<Duration> roundTrip(NodeId peer) {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    }
}
