package dev.dhcpcluster.core.relay;

import dev.dhcpcluster.core.cluster.LoadBalancing;
import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What one node told the relay in one view (the peer protocol's {@code ObserverView}), in core's
 * terms. The relay keeps no opinion of its own about the cluster: it believes the assignment the
 * nodes report, and judges a node alive by the node's own reports against the node's own failure
 * timeout, so that relay and cluster cannot disagree about timers. Immutable and validated, so that
 * a peer's bad view is refused where it is read, not found later in a routing decision.
 *
 * @param node the node that reports
 * @param assignmentEpoch the leader epoch of the bucket assignment the node holds (0 or more)
 * @param sequence the assignment's sequence number within that epoch (0 or more)
 * @param buckets the holder of each bucket (0 to 255) in that assignment; buckets without a holder
 *     are absent
 * @param live the members the node hears now, itself included
 * @param heartbeatInterval how often the node reports (positive)
 * @param failureTimeout how long after its last report the node counts as failed (positive)
 */
public record NodeReport(NodeId node, long assignmentEpoch, long sequence,
        SortedMap<Integer, NodeId> buckets, Set<NodeId> live,
        Duration heartbeatInterval, Duration failureTimeout) {

    public NodeReport {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(buckets, "buckets");
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(failureTimeout, "failureTimeout");
        if (assignmentEpoch < 0 || sequence < 0) {
            throw new IllegalArgumentException("an assignment version is not negative, not "
                    + assignmentEpoch + "." + sequence);
        }
        TreeMap<Integer, NodeId> copy = new TreeMap<>();
        for (Map.Entry<Integer, NodeId> entry : buckets.entrySet()) {
            Integer bucket = Objects.requireNonNull(entry.getKey(), "bucket");
            if (bucket < 0 || bucket >= LoadBalancing.BUCKETS) {
                throw new IllegalArgumentException("a bucket is 0 to " + (LoadBalancing.BUCKETS - 1) + ", not " + bucket);
            }
            copy.put(bucket, Objects.requireNonNull(entry.getValue(), () -> "holder of bucket " + bucket));
        }
        buckets = Collections.unmodifiableSortedMap(copy);
        live = Set.copyOf(live);
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("a heartbeat interval is positive, not " + heartbeatInterval);
        }
        if (failureTimeout.isNegative() || failureTimeout.isZero()) {
            throw new IllegalArgumentException("a failure timeout is positive, not " + failureTimeout);
        }
    }

    /** The assignment's version as {@code epoch.sequence}. */
    public String assignmentVersion() {
        return assignmentEpoch + "." + sequence;
    }
}
