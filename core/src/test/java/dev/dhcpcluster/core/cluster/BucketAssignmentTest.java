package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BucketAssignmentTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    private static final NodeId THREE = new NodeId(3);

    @Test
    @DisplayName("a node alone owns every bucket and serves every bucket")
    void aNodeAloneOwnsEveryBucket() {
        BucketAssignment alone = BucketAssignment.allTo(ONE);

        assertEquals(IntStream.range(0, 256).boxed().toList(), alone.bucketsOf(ONE));
        assertEquals(List.of(), alone.bucketsOf(TWO));
        assertSame(Responsibility.everyBucket(), alone.responsibilityOf(ONE));
        assertTrue(Responsibility.everyBucket().servesEveryBucket());
    }

    @Test
    @DisplayName("three nodes get 86, 85 and 85 buckets, every bucket one owner")
    void threeNodesShareTheBucketsEvenly() {
        BucketAssignment spread = BucketAssignment.spreadEvenly(List.of(ONE, TWO, THREE));

        assertEquals(86, spread.bucketsOf(ONE).size());
        assertEquals(85, spread.bucketsOf(TWO).size());
        assertEquals(85, spread.bucketsOf(THREE).size());
        List<Integer> all = new ArrayList<>();
        for (NodeId node : List.of(ONE, TWO, THREE)) {
            for (int bucket : spread.bucketsOf(node)) {
                assertEquals(node, spread.owner(bucket));
                all.add(bucket);
            }
        }
        assertEquals(256, Set.copyOf(all).size());
        assertEquals("{node-1=86, node-2=85, node-3=85}", spread.toString());
    }

    @Test
    @DisplayName("the even spread depends only on the set of nodes, not on their order")
    void evenSpreadIsDeterministic() {
        assertEquals(BucketAssignment.spreadEvenly(List.of(ONE, TWO, THREE)),
                BucketAssignment.spreadEvenly(List.of(THREE, ONE, TWO, ONE)));
        // Dealt in turn by id: buckets 0, 3, 6... to node 1, 1, 4, 7... to node 2.
        BucketAssignment spread = BucketAssignment.spreadEvenly(List.of(THREE, TWO, ONE));
        assertEquals(ONE, spread.owner(0));
        assertEquals(TWO, spread.owner(1));
        assertEquals(THREE, spread.owner(2));
        assertEquals(ONE, spread.owner(255));
    }

    @Test
    @DisplayName("a node's responsibility answers for its own buckets only, and later changes leave it alone")
    void responsibilityFollowsTheAssignment() {
        BucketAssignment halves = BucketAssignment.spreadEvenly(List.of(ONE, TWO));
        Responsibility one = halves.responsibilityOf(ONE);

        BucketAssignment moved = halves.with(0, TWO);

        assertFalse(one.servesEveryBucket());
        for (int bucket = 0; bucket < 256; bucket++) {
            assertEquals(bucket % 2 == 0, one.servesBucket(bucket), "bucket " + bucket);
        }
        assertEquals(TWO, moved.owner(0));
        assertEquals(ONE, halves.owner(0), "an assignment does not change");
        assertNotEquals(halves, moved);
        assertFalse(moved.responsibilityOf(ONE).servesBucket(0));
    }

    @Test
    @DisplayName("no nodes, too many nodes and buckets outside 0..255 are refused")
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> BucketAssignment.spreadEvenly(List.of()));
        List<NodeId> tooMany = IntStream.rangeClosed(1, 257).mapToObj(NodeId::new).toList();
        assertThrows(IllegalArgumentException.class, () -> BucketAssignment.spreadEvenly(tooMany));
        BucketAssignment alone = BucketAssignment.allTo(ONE);
        assertThrows(IllegalArgumentException.class, () -> alone.owner(256));
        assertThrows(IllegalArgumentException.class, () -> alone.owner(-1));
        assertThrows(IllegalArgumentException.class, () -> alone.with(256, TWO));
    }
}
