package dev.dhcpcluster.core.relay;

import static dev.dhcpcluster.core.relay.ClusterFixture.FAILURE_TIMEOUT;
import static dev.dhcpcluster.core.relay.ClusterFixture.HEARTBEAT;
import static dev.dhcpcluster.core.relay.ClusterFixture.NODES;
import static dev.dhcpcluster.core.relay.ClusterFixture.NODE_1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A node's report is validated where it is read, and cannot change afterwards. */
class NodeReportTest {

    private static NodeReport withBuckets(SortedMap<Integer, NodeId> buckets) {
        return new NodeReport(NODE_1, 1, 1, buckets, NODES, HEARTBEAT, FAILURE_TIMEOUT);
    }

    @Test
    @DisplayName("a bucket outside 0..255 is refused, naming it")
    void bucketsAreZeroTo255() {
        IllegalArgumentException high = assertThrows(IllegalArgumentException.class,
                () -> withBuckets(new TreeMap<>(Map.of(256, NODE_1))));
        assertTrue(high.getMessage().contains("256"), high.getMessage());
        assertThrows(IllegalArgumentException.class, () -> withBuckets(new TreeMap<>(Map.of(-1, NODE_1))));
        assertEquals(NODE_1, withBuckets(new TreeMap<>(Map.of(0, NODE_1, 255, NODE_1))).buckets().get(255));
    }

    @Test
    @DisplayName("zero or negative durations, and a negative version, are refused")
    void durationsArePositive() {
        TreeMap<Integer, NodeId> none = new TreeMap<>();
        assertThrows(IllegalArgumentException.class, () -> new NodeReport(NODE_1, 1, 1, none, NODES, Duration.ZERO, FAILURE_TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> new NodeReport(NODE_1, 1, 1, none, NODES, HEARTBEAT, Duration.ofSeconds(-3)));
        assertThrows(IllegalArgumentException.class, () -> new NodeReport(NODE_1, 1, 1, none, NODES, HEARTBEAT, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new NodeReport(NODE_1, -1, 1, none, NODES, HEARTBEAT, FAILURE_TIMEOUT));
        assertEquals("4.2", new NodeReport(NODE_1, 4, 2, none, NODES, HEARTBEAT, FAILURE_TIMEOUT).assignmentVersion());
    }

    @Test
    @DisplayName("the report copies what it is given: changing the caller's map or set changes nothing")
    void reportsAreImmutable() {
        TreeMap<Integer, NodeId> buckets = new TreeMap<>(Map.of(1, NODE_1));
        Set<NodeId> live = new HashSet<>(Set.of(NODE_1));
        NodeReport report = new NodeReport(NODE_1, 1, 1, buckets, live, HEARTBEAT, FAILURE_TIMEOUT);

        buckets.put(2, NODE_1);
        live.add(new NodeId(2));

        assertEquals(1, report.buckets().size());
        assertEquals(Set.of(NODE_1), report.live());
        assertThrows(UnsupportedOperationException.class, () -> report.buckets().put(3, NODE_1));
    }
}
