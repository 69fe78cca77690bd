package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AssignmentPlannerTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    private static final NodeId THREE = new NodeId(3);
    private static final AssignmentPlanner.Rules RULES = new AssignmentPlanner.Rules(4, 2, 100);
    private static final List<Ipv4Address> POOL = IntStream.range(0, 10)
            .mapToObj(i -> Ipv4Address.parse("198.18." + i + ".0")).toList();

    private static AssignmentPlanner.Input input(Assignment current, Set<NodeId> live, Set<NodeId> released) {
        return new AssignmentPlanner.Input(current, POOL, live, released, Set.of(), Set.of(), Map.of());
    }

    private static Assignment plan(AssignmentPlanner.Input input) {
        return AssignmentPlanner.plan(input, RULES, 5, 1);
    }

    private static Assignment firstOfThree() {
        return plan(input(Assignment.NONE, Set.of(ONE, TWO, THREE), Set.of()));
    }

    @Test
    @DisplayName("from nothing, buckets are spread 86/85/85 and each node gets its initial blocks, keeping the reserve")
    void firstAssignmentSpreadsBucketsAndKeepsAReserve() {
        Assignment first = firstOfThree();

        assertEquals(86, first.bucketsOf(ONE).size());
        assertEquals(85, first.bucketsOf(TWO).size());
        assertEquals(85, first.bucketsOf(THREE).size());
        assertEquals(2, first.blocksOf(ONE).size());
        assertEquals(2, first.blocksOf(TWO).size());
        assertEquals(2, first.blocksOf(THREE).size());
        assertEquals(4, POOL.size() - first.blocks().size(), "four blocks stay in reserve");
        assertTrue(first.isVersion(5, 1));
    }

    @Test
    @DisplayName("a node that holds no block is dealt before a node that runs low gets another: the last free block goes to the newcomer")
    void aNodeWithoutBlocksIsDealtBeforeALowNode() {
        // Nodes 1 and 2 hold nine blocks between them, and node 1 runs low; one block is free.
        java.util.TreeMap<Ipv4Address, NodeId> held = new java.util.TreeMap<>();
        for (int i = 0; i < 9; i++) {
            held.put(POOL.get(i), i < 4 ? ONE : TWO);
        }
        Assignment current = Assignment.of(5, 1, held, BucketAssignment.spreadEvenly(List.of(ONE, TWO)));
        AssignmentPlanner.Rules oneInReserve = new AssignmentPlanner.Rules(1, 2, 100);

        Assignment next = AssignmentPlanner.plan(new AssignmentPlanner.Input(current, POOL, Set.of(ONE, TWO, THREE),
                Set.of(), Set.of(), Set.of(), Map.of(ONE, 10L, TWO, 500L)), oneInReserve, 5, 2);

        assertEquals(1, next.blocksOf(THREE).size(), "the newcomer gets the last block");
        assertEquals(4, next.blocksOf(ONE).size(), "the low node waits for a block to come free");
        assertEquals(POOL.size(), next.blocks().size());
    }

    @Test
    @DisplayName("with the same live nodes the plan changes nothing: no churn when nothing happened or the leader changed")
    void nothingChangedMeansNoChurn() {
        Assignment first = firstOfThree();

        Assignment again = AssignmentPlanner.plan(input(first, Set.of(ONE, TWO, THREE), Set.of()), RULES, 6, 1);

        assertTrue(again.sameHoldings(first));
    }

    @Test
    @DisplayName("a node that is not heard but whose grant may still be current keeps everything it holds")
    void aSilentNodeKeepsItsShareUntilReleased() {
        Assignment first = firstOfThree();

        Assignment next = plan(input(first, Set.of(ONE, TWO), Set.of()));

        assertTrue(next.sameHoldings(first));
    }

    @Test
    @DisplayName("once a lost node's grant must have lapsed, its buckets go to the live nodes evenly and its blocks to them or the reserve")
    void aReleasedNodesShareMoves() {
        Assignment first = firstOfThree();

        Assignment next = plan(input(first, Set.of(ONE, TWO), Set.of(THREE)));

        assertEquals(List.of(), next.bucketsOf(THREE));
        assertEquals(Set.of(), next.blocksOf(THREE));
        assertEquals(128, next.bucketsOf(ONE).size());
        assertEquals(128, next.bucketsOf(TWO).size());
        assertTrue(next.blocksOf(ONE).containsAll(first.blocksOf(ONE)), "a live node keeps its blocks");
        assertTrue(next.blocksOf(TWO).containsAll(first.blocksOf(TWO)), "a live node keeps its blocks");
    }

    @Test
    @DisplayName("a node that joins gets blocks at once, while fuller nodes give up buckets to nobody first")
    void aJoiningNodeGetsBucketsInTwoSteps() {
        Assignment two = plan(input(Assignment.NONE, Set.of(ONE, TWO), Set.of()));

        Assignment revoked = plan(input(two, Set.of(ONE, TWO, THREE), Set.of()));

        assertEquals(List.of(), revoked.bucketsOf(THREE), "no bucket goes straight from one holder to another");
        assertEquals(2, revoked.blocksOf(THREE).size());
        List<Integer> free = new ArrayList<>();
        for (int bucket = 0; bucket < LoadBalancing.BUCKETS; bucket++) {
            if (revoked.bucketHolder(bucket).isEmpty()) {
                free.add(bucket);
            }
        }
        assertEquals(85, free.size());

        Assignment frozen = AssignmentPlanner.plan(new AssignmentPlanner.Input(revoked, POOL, Set.of(ONE, TWO, THREE),
                Set.of(), new HashSet<>(free), Set.of(), Map.of()), RULES, 5, 2);
        assertTrue(frozen.sameHoldings(revoked), "frozen buckets stay free until their last holder let go");

        Assignment handedOn = AssignmentPlanner.plan(input(revoked, Set.of(ONE, TWO, THREE), Set.of()), RULES, 5, 3);
        assertEquals(85, handedOn.bucketsOf(THREE).size());
        assertTrue(handedOn.bucketAssignment().isPresent(), "every bucket is held again");
    }

    @Test
    @DisplayName("a node that reports fewer free addresses than the low water gets one more block, from the reserve if need be")
    void aNodeRunningLowGetsAnotherBlock() {
        Assignment first = firstOfThree();
        AssignmentPlanner.Input low = new AssignmentPlanner.Input(first, POOL, Set.of(ONE, TWO, THREE), Set.of(),
                Set.of(), Set.of(), Map.of(ONE, 300L, TWO, 99L, THREE, 100L));

        Assignment next = AssignmentPlanner.plan(low, RULES, 5, 2);

        assertEquals(2, next.blocksOf(ONE).size());
        assertEquals(3, next.blocksOf(TWO).size());
        assertEquals(2, next.blocksOf(THREE).size());
    }

    @Test
    @DisplayName("blocks the leader may not hand out yet stay in reserve, even for a node that holds none")
    void frozenBlocksStayInReserve() {
        AssignmentPlanner.Input frozen = new AssignmentPlanner.Input(Assignment.NONE, POOL, Set.of(ONE), Set.of(),
                Set.of(), Set.copyOf(POOL), Map.of());

        Assignment next = AssignmentPlanner.plan(frozen, RULES, 5, 1);

        assertEquals(Set.of(), next.blocksOf(ONE));
        assertEquals(256, next.bucketsOf(ONE).size());
    }
}
