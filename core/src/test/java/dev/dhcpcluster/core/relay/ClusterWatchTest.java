package dev.dhcpcluster.core.relay;

import static dev.dhcpcluster.core.relay.ClusterFixture.FAILURE_TIMEOUT;
import static dev.dhcpcluster.core.relay.ClusterFixture.HEARTBEAT;
import static dev.dhcpcluster.core.relay.ClusterFixture.NODES;
import static dev.dhcpcluster.core.relay.ClusterFixture.NODE_1;
import static dev.dhcpcluster.core.relay.ClusterFixture.NODE_2;
import static dev.dhcpcluster.core.relay.ClusterFixture.NODE_3;
import static dev.dhcpcluster.core.relay.ClusterFixture.START;
import static dev.dhcpcluster.core.relay.ClusterFixture.allReport;
import static dev.dhcpcluster.core.relay.ClusterFixture.assignment;
import static dev.dhcpcluster.core.relay.ClusterFixture.report;
import static dev.dhcpcluster.core.relay.ClusterFixture.seconds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the relay believes about the cluster, from the nodes' reports, on a virtual clock. */
class ClusterWatchTest {

    private final ClusterWatch watch = new ClusterWatch(NODES);

    @Test
    @DisplayName("before any report the cluster was never reached: no live node, no owner, assignment none")
    void neverReachedUntilTheFirstReport() {
        ClusterPicture picture = watch.picture(START);

        assertFalse(picture.reached());
        assertEquals(Set.of(), picture.live());
        assertEquals(Optional.empty(), picture.ownerOf(0));
        assertEquals("none", picture.assignmentVersion());
        assertSame(ClusterPicture.neverReached(), picture);
    }

    @Test
    @DisplayName("a node's report makes it live and its assignment known; the owner of a bucket is its holder")
    void aReportMakesTheNodeLiveAndTheAssignmentKnown() {
        watch.reported(report(NODE_1, 2, 5, assignment(7, NODE_1)), START);

        ClusterPicture picture = watch.picture(START);
        assertTrue(picture.reached());
        assertEquals(Set.of(NODE_1), picture.live());
        assertEquals(Optional.of(NODE_1), picture.ownerOf(7));
        assertEquals(Optional.empty(), picture.ownerOf(8), "bucket 8's holder has not reported: not live");
        assertEquals("2.5", picture.assignmentVersion());
    }

    @Test
    @DisplayName("a node that stops reporting is live up to its stated failure timeout and dead just after")
    void aSilentNodeDiesAfterItsOwnFailureTimeout() {
        allReport(watch, 1, 1, assignment(0, NODE_2), START);

        assertTrue(watch.picture(START + seconds(3)).live().contains(NODE_2), "3 s old: exactly the timeout");
        assertEquals(Set.of(), watch.picture(START + seconds(3) + 1).live());
        assertEquals(Optional.empty(), watch.picture(START + seconds(3) + 1).ownerOf(0));
        assertTrue(watch.picture(START + seconds(4)).reached(), "reached stays true once a node reported");
    }

    @Test
    @DisplayName("each node is judged by the failure timeout it states itself, not by one of the relay's")
    void eachNodeByItsOwnTimer() {
        watch.reported(new NodeReport(NODE_1, 1, 1, assignment(0, NODE_1), NODES, HEARTBEAT, Duration.ofSeconds(2)), START);
        watch.reported(new NodeReport(NODE_2, 1, 1, assignment(0, NODE_1), NODES, HEARTBEAT, Duration.ofSeconds(10)), START);

        assertEquals(Set.of(NODE_1, NODE_2), watch.picture(START + seconds(2)).live());
        assertEquals(Set.of(NODE_2), watch.picture(START + seconds(2.5)).live());
        assertEquals(Set.of(NODE_2), watch.picture(START + seconds(10)).live());
        assertEquals(Set.of(), watch.picture(START + seconds(10.5)).live());
    }

    @Test
    @DisplayName("a node that keeps reporting stays live indefinitely")
    void heartbeatsKeepANodeLive() {
        long now = START;
        for (int beat = 0; beat < 100; beat++) {
            watch.reported(report(NODE_3, 1, 1, assignment(9, NODE_3)), now);
            now += seconds(1);
            assertEquals(Set.of(NODE_3), watch.picture(now).live());
        }
        assertEquals(Optional.of(NODE_3), watch.picture(now).ownerOf(9));
    }

    @Test
    @DisplayName("a lost connection makes the node dead at once; its next report makes it live again")
    void disconnectedIsDeadAtOnce() {
        allReport(watch, 1, 1, assignment(4, NODE_1), START);
        assertEquals(Optional.of(NODE_1), watch.picture(START).ownerOf(4));

        watch.disconnected(NODE_1, START + seconds(0.1));

        ClusterPicture picture = watch.picture(START + seconds(0.1));
        assertEquals(Set.of(NODE_2, NODE_3), picture.live());
        assertEquals(Optional.empty(), picture.ownerOf(4));

        watch.reported(report(NODE_1, 1, 1, assignment(4, NODE_1)), START + seconds(2));
        assertEquals(Optional.of(NODE_1), watch.picture(START + seconds(2)).ownerOf(4));
    }

    @Test
    @DisplayName("a newer assignment names the new owner; an older report, from a lagging node, never rolls it back")
    void theNewestAssignmentWins() {
        allReport(watch, 3, 1, assignment(5, NODE_1), START);

        watch.reported(report(NODE_2, 3, 2, assignment(5, NODE_2)), START + seconds(1));
        assertEquals(Optional.of(NODE_2), watch.picture(START + seconds(1)).ownerOf(5));
        assertEquals("3.2", watch.picture(START + seconds(1)).assignmentVersion());

        watch.reported(report(NODE_3, 3, 1, assignment(5, NODE_3)), START + seconds(1.5));
        watch.reported(report(NODE_1, 2, 9, assignment(5, NODE_1)), START + seconds(1.5));
        ClusterPicture picture = watch.picture(START + seconds(1.5));
        assertEquals(Optional.of(NODE_2), picture.ownerOf(5), "3.1 and 2.9 are older than 3.2");
        assertEquals("3.2", picture.assignmentVersion());
        assertEquals(Set.of(NODE_1, NODE_2, NODE_3), picture.live(), "an old report still shows its node is alive");

        watch.reported(report(NODE_3, 4, 0, assignment(5, NODE_3)), START + seconds(2));
        assertEquals(Optional.of(NODE_3), watch.picture(START + seconds(2)).ownerOf(5), "a new epoch beats any sequence");
        assertEquals("4.0", watch.picture(START + seconds(2)).assignmentVersion());
    }

    @Test
    @DisplayName("a bucket nobody holds in the newest assignment has no owner, even if an older one named one")
    void aNewerAssignmentWithoutTheBucketForgetsItsOldHolder() {
        allReport(watch, 1, 1, assignment(5, NODE_1), START);
        TreeMap<Integer, NodeId> without = new TreeMap<>(assignment(5, NODE_1));
        without.remove(5);

        watch.reported(report(NODE_1, 1, 2, without), START);

        assertEquals(Optional.empty(), watch.picture(START).ownerOf(5));
        assertEquals(Optional.of(NODE_1), watch.picture(START).ownerOf(6), "spread evenly, bucket 6 is node 1's");
    }

    @Test
    @DisplayName("round-trip times are kept per node, the latest measurement winning")
    void roundTripsPerNode() {
        watch.roundTrip(NODE_1, Duration.ofMillis(3));
        watch.roundTrip(NODE_1, Duration.ofNanos(400_000));
        watch.roundTrip(NODE_2, Duration.ofMillis(1));
        allReport(watch, 1, 1, assignment(0, NODE_1), START);

        ClusterPicture picture = watch.picture(START);
        assertEquals(Optional.of(Duration.ofNanos(400_000)), picture.roundTrip(NODE_1));
        assertEquals(Optional.of(Duration.ofMillis(1)), picture.roundTrip(NODE_2));
        assertEquals(Optional.empty(), picture.roundTrip(NODE_3));
        assertThrows(IllegalArgumentException.class, () -> watch.roundTrip(NODE_1, Duration.ofMillis(-1)));
    }

    @Test
    @DisplayName("a report from a node the relay was not configured with moves nothing")
    void strangersAreIgnored() {
        NodeId stranger = new NodeId(9);
        allReport(watch, 1, 1, assignment(5, NODE_1), START);

        watch.reported(report(stranger, 7, 0, assignment(5, stranger)), START);

        ClusterPicture picture = watch.picture(START);
        assertEquals(Set.of(NODE_1, NODE_2, NODE_3), picture.live());
        assertEquals(Optional.of(NODE_1), picture.ownerOf(5));
        assertEquals("1.1", picture.assignmentVersion());
    }

    @Test
    @DisplayName("a picture is immutable: later reports do not change one already taken")
    void picturesAreSnapshots() {
        watch.reported(report(NODE_1, 1, 1, assignment(5, NODE_1)), START);
        ClusterPicture before = watch.picture(START);

        watch.reported(report(NODE_2, 1, 2, assignment(5, NODE_2)), START + 1);
        watch.disconnected(NODE_1, START + 2);

        assertEquals(Set.of(NODE_1), before.live());
        assertEquals(Optional.of(NODE_1), before.ownerOf(5));
        assertEquals(Set.of(NODE_2), watch.picture(START + 2).live());
        assertThrows(IllegalArgumentException.class, () -> before.ownerOf(256));
        assertThrows(IllegalArgumentException.class, () -> before.ownerOf(-1));
    }
}
