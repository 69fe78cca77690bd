package dev.dhcpcluster.core.relay;

import dev.dhcpcluster.core.cluster.LoadBalancing;
import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Folds the nodes' reports into a {@link ClusterPicture}, on the relay's own monotonic clock
 * (nanoseconds, as given by the caller: core reads no clock).
 *
 * <ul>
 *   <li>A node is alive iff its last report is no older than the failure timeout that report
 *       states, and its connection has not been lost since. The node's own timer is used, not one
 *       of the relay's, so that the relay gives up on a node exactly when the cluster does, and no
 *       relay setting can disagree with the cluster's.</li>
 *   <li>A lost connection ({@link #disconnected}) makes the node dead at once: the relay would
 *       rather spread a request over the live nodes than wait for a timeout to learn what the
 *       transport already knows. A later report makes it alive again.</li>
 *   <li>The assignment is the newest version (assignment epoch, then sequence) any node ever
 *       reported: a node that lags behind, or a late report, never rolls it back. A holder counts
 *       as the owner of its buckets only while it is alive.</li>
 *   <li>Until some node reports, the picture is {@link ClusterPicture#neverReached()}.</li>
 * </ul>
 * The {@link NodeReport#live()} members a node hears are not used to judge liveness: whether the
 * relay can reach a node is what matters for sending to it, and that is what the node's own
 * reports over the relay's own connection show. Reports from nodes the relay was not configured with are ignored: it has no server for them, and
 * a stranger's word must not move the assignment.
 *
 * <p>The picture is rebuilt only when something changed or a node's report ages past its timeout,
 * so asking for it per request is cheap. Not thread-safe: one event loop owns it.
 */
public final class ClusterWatch {

    private final Set<NodeId> configured;
    private final Map<NodeId, NodeState> nodes = new HashMap<>();
    private final Map<NodeId, Duration> roundTrips = new HashMap<>();
    private boolean reached;
    private long assignmentEpoch = -1;
    private long sequence = -1;
    private final NodeId[] holders = new NodeId[LoadBalancing.BUCKETS];

    /** The last picture built, and until when (exclusive of any change) it stays true. */
    private ClusterPicture cached = ClusterPicture.neverReached();
    private boolean changed;
    private long cachedAt;
    private long cachedUntil;

    /** What the relay last heard of one node. */
    private static final class NodeState {
        long reportedAt;
        long failureTimeoutNanos;
        boolean connected;
    }

    /**
     * A watch over the nodes {@code configured} in the relay's server list.
     *
     * @throws IllegalArgumentException if {@code configured} is empty
     */
    public ClusterWatch(Set<NodeId> configured) {
        this.configured = Set.copyOf(Objects.requireNonNull(configured, "configured"));
        if (this.configured.isEmpty()) {
            throw new IllegalArgumentException("a cluster watch needs at least one node to watch");
        }
    }

    /** The nodes this watch listens to. */
    public Set<NodeId> configured() {
        return configured;
    }

    /** Folds in {@code report}, received at {@code nowNanos}; ignored if its node is not configured. */
    public void reported(NodeReport report, long nowNanos) {
        Objects.requireNonNull(report, "report");
        if (!configured.contains(report.node())) {
            return;
        }
        NodeState state = nodes.computeIfAbsent(report.node(), node -> new NodeState());
        state.reportedAt = nowNanos;
        state.failureTimeoutNanos = saturatedNanos(report.failureTimeout());
        state.connected = true;
        reached = true;
        if (report.assignmentEpoch() > assignmentEpoch
                || report.assignmentEpoch() == assignmentEpoch && report.sequence() > sequence) {
            assignmentEpoch = report.assignmentEpoch();
            sequence = report.sequence();
            Arrays.fill(holders, null);
            report.buckets().forEach((bucket, holder) -> holders[bucket] = holder);
        }
        changed = true;
    }

    /**
     * Records the latest measured round-trip time of the connection to {@code node}; ignored if
     * the node is not configured.
     *
     * @throws IllegalArgumentException if {@code rtt} is negative
     */
    public void roundTrip(NodeId node, Duration rtt) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(rtt, "rtt");
        if (rtt.isNegative()) {
            throw new IllegalArgumentException("a round-trip time is not negative, not " + rtt);
        }
        if (configured.contains(node)) {
            roundTrips.put(node, rtt);
            changed = true;
        }
    }

    /** The connection to {@code node} was lost at {@code nowNanos}: the node is dead until it reports again. */
    public void disconnected(NodeId node, long nowNanos) {
        Objects.requireNonNull(node, "node");
        NodeState state = nodes.get(node);
        if (state != null && state.connected) {
            state.connected = false;
            changed = true;
        }
    }

    /** What the relay knows of the cluster at {@code nowNanos}. */
    public ClusterPicture picture(long nowNanos) {
        if (!reached) {
            return cached;
        }
        if (!changed && nowNanos - cachedAt >= 0 && nowNanos - cachedUntil < 0) {
            return cached;
        }
        Set<NodeId> live = new HashSet<>();
        long until = nowNanos + Long.MAX_VALUE / 2;
        for (Map.Entry<NodeId, NodeState> entry : nodes.entrySet()) {
            NodeState state = entry.getValue();
            long age = nowNanos - state.reportedAt;
            if (state.connected && age <= state.failureTimeoutNanos) {
                live.add(entry.getKey());
                // The first instant at which this node's last report is too old.
                long expires = state.reportedAt + state.failureTimeoutNanos + 1;
                if (expires - until < 0) {
                    until = expires;
                }
            }
        }
        cached = new ClusterPicture(true, live, holders.clone(), roundTrips,
                assignmentEpoch + "." + sequence);
        cachedAt = nowNanos;
        cachedUntil = until;
        changed = false;
        return cached;
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 4;
        }
    }
}
