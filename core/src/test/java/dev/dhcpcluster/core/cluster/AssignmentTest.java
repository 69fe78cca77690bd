package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AssignmentRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AssignmentTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    private static final Ipv4Address BLOCK = Ipv4Address.parse("198.18.0.0");

    @Test
    @DisplayName("versions order by epoch, then sequence; (0, 0) comes before every other")
    void versionsAreOrdered() {
        Assignment early = Assignment.of(3, 9, Map.of(), BucketAssignment.allTo(ONE));
        Assignment later = Assignment.of(4, 1, Map.of(), BucketAssignment.allTo(ONE));
        Assignment next = Assignment.of(4, 2, Map.of(), BucketAssignment.allTo(ONE));

        assertTrue(later.isAfter(early));
        assertTrue(next.isAfter(later));
        assertFalse(early.isAfter(later));
        assertTrue(early.isAfter(Assignment.NONE));
    }

    @Test
    @DisplayName("an assignment survives its record unchanged, and names who holds each block and bucket")
    void roundTripsThroughItsRecord() {
        Assignment assignment = Assignment.of(2, 5, Map.of(BLOCK, TWO),
                BucketAssignment.spreadEvenly(List.of(ONE, TWO)));

        Assignment back = Assignment.fromRecord(assignment.toRecord());

        assertEquals(assignment, back);
        assertEquals(Optional.of(TWO), back.blockHolder(BLOCK));
        assertEquals(128, back.bucketsOf(ONE).size());
        assertEquals(Optional.of(BucketAssignment.spreadEvenly(List.of(ONE, TWO))), back.bucketAssignment());
    }

    @Test
    @DisplayName("a bucket held by nobody leaves no complete bucket assignment; same holdings ignore the version")
    void freeBucketsAndSameHoldings() {
        TreeMap<Integer, NodeId> buckets = new TreeMap<>();
        buckets.put(0, ONE);
        Assignment partial = Assignment.fromRecord(new AssignmentRecord(1, 1, new TreeMap<>(), buckets));

        assertEquals(Optional.empty(), partial.bucketAssignment());
        assertEquals(Optional.empty(), partial.bucketHolder(1));
        assertTrue(partial.withVersion(1, 2).sameHoldings(partial));
        assertFalse(partial.withVersion(1, 2).equals(partial));
    }

    @Test
    @DisplayName("a record refuses a bucket outside 0 to 255, a half-zero version, and holdings under version (0, 0)")
    void recordsRefuseImpossibleValues() {
        TreeMap<Integer, NodeId> outside = new TreeMap<>();
        outside.put(256, ONE);
        TreeMap<Integer, NodeId> one = new TreeMap<>();
        one.put(0, ONE);

        assertThrows(IllegalArgumentException.class, () -> new AssignmentRecord(1, 1, new TreeMap<>(), outside));
        assertThrows(IllegalArgumentException.class, () -> new AssignmentRecord(1, 0, new TreeMap<>(), new TreeMap<>()));
        assertThrows(IllegalArgumentException.class, () -> new AssignmentRecord(0, 0, new TreeMap<>(), one));
    }
}
