package dev.dhcpcluster.core.relay;

import dev.dhcpcluster.core.cluster.BucketAssignment;
import dev.dhcpcluster.core.cluster.LoadBalancing;
import dev.dhcpcluster.core.dhcp.ClientBuckets;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.MalformedPacketException;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of three nodes behind the relay, one server each, and helpers that write the reports
 * the nodes send: every node heartbeats each second and states a failure timeout of 3 s.
 */
final class ClusterFixture {

    static final NodeId NODE_1 = new NodeId(1);
    static final NodeId NODE_2 = new NodeId(2);
    static final NodeId NODE_3 = new NodeId(3);
    static final Set<NodeId> NODES = Set.of(NODE_1, NODE_2, NODE_3);
    static final RelayServer SERVER_1 = RelayServer.of(Ipv4Address.parse("198.18.100.1"), NODE_1);
    static final RelayServer SERVER_2 = RelayServer.of(Ipv4Address.parse("198.18.100.2"), NODE_2);
    static final RelayServer SERVER_3 = RelayServer.of(Ipv4Address.parse("198.18.100.3"), NODE_3);
    static final List<RelayServer> SERVERS = List.of(SERVER_1, SERVER_2, SERVER_3);
    static final Duration HEARTBEAT = Duration.ofSeconds(1);
    static final Duration FAILURE_TIMEOUT = Duration.ofSeconds(3);

    /** An arbitrary start of the relay's monotonic clock, far from zero, as System.nanoTime's is. */
    static final long START = 7_000_000_000_000L;

    private ClusterFixture() {
    }

    static long seconds(double seconds) {
        return (long) (seconds * TimeUnit.SECONDS.toNanos(1));
    }

    /** The buckets spread evenly over the three nodes, then {@code bucket} given to {@code owner}. */
    static SortedMap<Integer, NodeId> assignment(int bucket, NodeId owner) {
        BucketAssignment spread = BucketAssignment.spreadEvenly(NODES).with(bucket, owner);
        SortedMap<Integer, NodeId> holders = new TreeMap<>();
        for (int b = 0; b < LoadBalancing.BUCKETS; b++) {
            holders.put(b, spread.owner(b));
        }
        return holders;
    }

    /** {@code node}'s report of assignment {@code epoch.sequence} with {@code buckets}, hearing all three. */
    static NodeReport report(NodeId node, long epoch, long sequence, SortedMap<Integer, NodeId> buckets) {
        return new NodeReport(node, epoch, sequence, buckets, NODES, HEARTBEAT, FAILURE_TIMEOUT);
    }

    /** Every node reports assignment {@code epoch.sequence} with {@code buckets} at {@code nowNanos}. */
    static void allReport(ClusterWatch watch, long epoch, long sequence, SortedMap<Integer, NodeId> buckets, long nowNanos) {
        for (NodeId node : List.of(NODE_1, NODE_2, NODE_3)) {
            watch.reported(report(node, epoch, sequence, buckets), nowNanos);
        }
    }

    /** The bucket the nodes compute for {@code packet}, through the decoder: what routing must agree with. */
    static int bucketOf(byte[] packet) {
        try {
            return ClientBuckets.bucketOf(DhcpCodec.decode(packet));
        } catch (MalformedPacketException e) {
            throw new AssertionError(e);
        }
    }
}
