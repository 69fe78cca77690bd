package dev.dhcpcluster.core.relay;

import dev.dhcpcluster.core.cluster.LoadBalancing;
import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What the relay knows of the cluster at one instant, as {@link ClusterWatch} folded it from the
 * nodes' reports: whether any node ever reported, which nodes are alive, who holds each bucket in
 * the newest assignment heard, and each node's round-trip time. Immutable, so that one picture can
 * route many requests and be shown on a status page without changing under either; and
 * {@link #ownerOf} answers from a table without allocating, since it is asked once per request.
 */
public final class ClusterPicture {

    private static final ClusterPicture NEVER_REACHED =
            new ClusterPicture(false, Set.of(), new NodeId[LoadBalancing.BUCKETS], Map.of(), "none");

    private final boolean reached;
    private final SortedSet<NodeId> live;
    /** For each bucket, its holder if that holder is live, else empty. */
    private final Optional<NodeId>[] liveOwners;
    private final Map<NodeId, Duration> roundTrips;
    private final String assignmentVersion;

    @SuppressWarnings("unchecked")
    ClusterPicture(boolean reached, Set<NodeId> live, NodeId[] holders, Map<NodeId, Duration> roundTrips,
            String assignmentVersion) {
        this.reached = reached;
        this.live = Collections.unmodifiableSortedSet(new TreeSet<>(live));
        this.roundTrips = Map.copyOf(roundTrips);
        this.assignmentVersion = Objects.requireNonNull(assignmentVersion, "assignmentVersion");
        Map<NodeId, Optional<NodeId>> shared = new HashMap<>();
        this.liveOwners = new Optional[LoadBalancing.BUCKETS];
        for (int bucket = 0; bucket < liveOwners.length; bucket++) {
            NodeId holder = holders[bucket];
            liveOwners[bucket] = holder != null && this.live.contains(holder)
                    ? shared.computeIfAbsent(holder, Optional::of)
                    : Optional.empty();
        }
    }

    /** The picture of a relay that has never heard from any node, or that knows no cluster. */
    public static ClusterPicture neverReached() {
        return NEVER_REACHED;
    }

    /** True once some node has reported, ever: until then the relay knows nothing to route by. */
    public boolean reached() {
        return reached;
    }

    /**
     * The nodes alive now, by id: each reported within the failure timeout it states, and its
     * connection has not been lost since.
     */
    public Set<NodeId> live() {
        return live;
    }

    /** True if {@code node} is alive now. */
    public boolean isLive(NodeId node) {
        return live.contains(node);
    }

    /**
     * The holder of {@code bucket} in the newest assignment heard, if that holder is alive now;
     * empty if it is not, if no one holds the bucket, or if no assignment was heard.
     *
     * @throws IllegalArgumentException if {@code bucket} is not 0 to 255
     */
    public Optional<NodeId> ownerOf(int bucket) {
        if (bucket < 0 || bucket >= LoadBalancing.BUCKETS) {
            throw new IllegalArgumentException("a bucket is 0 to " + (LoadBalancing.BUCKETS - 1) + ", not " + bucket);
        }
        return liveOwners[bucket];
    }

    /** The latest measured round-trip time of the connection to {@code node}, if any. */
    public Optional<Duration> roundTrip(NodeId node) {
        return Optional.ofNullable(roundTrips.get(node));
    }

    /** The newest assignment heard as {@code epoch.sequence}, or {@code none} before any report. */
    public String assignmentVersion() {
        return assignmentVersion;
    }

    @Override
    public String toString() {
        long owned = Arrays.stream(liveOwners).filter(Optional::isPresent).count();
        return reached
                ? "cluster picture: live " + live + ", assignment " + assignmentVersion + ", " + owned
                        + " of " + LoadBalancing.BUCKETS + " buckets with a live owner"
                : "cluster picture: never reached";
    }
}
