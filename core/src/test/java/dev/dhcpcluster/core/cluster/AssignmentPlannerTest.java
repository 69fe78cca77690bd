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
    @DisplayName("a node below the low water is dealt back to it, then up to twice it, leaving the reserve")
    void aNodeRunningLowIsRefilledAboveTheLowWater() {
        AssignmentPlanner.Rules rules = new AssignmentPlanner.Rules(2, 2, 600);
        List<Ipv4Address> pool = pool(20);
        Assignment first = AssignmentPlanner.plan(new AssignmentPlanner.Input(Assignment.NONE, pool,
                Set.of(ONE, TWO, THREE), Set.of(), Set.of(), Set.of(), Map.of()), rules, 5, 1);
        AssignmentPlanner.Input low = new AssignmentPlanner.Input(first, pool, Set.of(ONE, TWO, THREE), Set.of(),
                Set.of(), Set.of(), Map.of(ONE, 700L, TWO, 100L, THREE, 600L));

        Assignment next = AssignmentPlanner.plan(low, rules, 5, 2);

        assertEquals(2, next.blocksOf(ONE).size(), "above the low water: nothing more");
        assertEquals(2, next.blocksOf(THREE).size(), "at the low water: nothing more");
        // 100 free + 2 blocks = 612 is back above 600; + 3 more = 1,380 is above twice the low water.
        assertEquals(2 + 5, next.blocksOf(TWO).size());
        assertTrue(next.blocksOf(TWO).containsAll(first.blocksOf(TWO)), "a live node keeps its blocks");
    }

    @Test
    @DisplayName("low nodes are dealt in turn while blocks are short, and the headroom leaves the reserve")
    void lowNodesShareWhatIsLeftInTurn() {
        AssignmentPlanner.Rules rules = new AssignmentPlanner.Rules(2, 1, 1000);
        List<Ipv4Address> pool = pool(10);
        Assignment first = AssignmentPlanner.plan(new AssignmentPlanner.Input(Assignment.NONE, pool,
                Set.of(ONE, TWO, THREE), Set.of(), Set.of(), Set.of(), Map.of()), rules, 5, 1);
        AssignmentPlanner.Input low = new AssignmentPlanner.Input(first, pool, Set.of(ONE, TWO, THREE), Set.of(),
                Set.of(), Set.of(), Map.of(ONE, 200L, TWO, 200L, THREE, 200L));

        Assignment next = AssignmentPlanner.plan(low, rules, 5, 2);

        // 7 free, 2 kept: the five others go round 1, 2, 3, 1, 2.
        assertEquals(3, next.blocksOf(ONE).size());
        assertEquals(3, next.blocksOf(TWO).size());
        assertEquals(2, next.blocksOf(THREE).size());
        assertEquals(2, pool.size() - next.blocks().size(), "the reserve stays free");
    }

    @Test
    @DisplayName("the reserve gives a low node one block only when nothing else is free, it is nearly dry, and it holds less than its share")
    void theReserveGoesOnlyToANearlyDryNodeBelowItsShare() {
        AssignmentPlanner.Rules rules = new AssignmentPlanner.Rules(2, 1, 1000);
        List<Ipv4Address> pool = pool(6);
        java.util.TreeMap<Ipv4Address, NodeId> held = new java.util.TreeMap<>(Map.of(pool.get(0), ONE, pool.get(1), TWO,
                pool.get(2), THREE, pool.get(3), THREE));
        Assignment current = Assignment.of(5, 1, held, BucketAssignment.spreadEvenly(List.of(ONE, TWO, THREE)));

        Assignment next = AssignmentPlanner.plan(new AssignmentPlanner.Input(current, pool, Set.of(ONE, TWO, THREE),
                Set.of(), Set.of(), Set.of(), Map.of(ONE, 200L, TWO, 63L, THREE, 10L)), rules, 5, 2);

        assertEquals(1, next.blocksOf(ONE).size(), "low but not dry: the reserve is kept for a newcomer");
        assertEquals(2, next.blocksOf(TWO).size(), "nearly dry, below its share of two: one block of the reserve");
        assertEquals(2, next.blocksOf(THREE).size(), "nearly dry but holding its share: the reserve is kept");
    }

    @Test
    @DisplayName("a member that is away keeps its share of the reserve: nearly dry nodes holding their share take none")
    void theReserveWaitsForAMemberThatIsAway() {
        AssignmentPlanner.Rules rules = AssignmentPlanner.Rules.DEFAULTS;
        List<Ipv4Address> pool = pool(6);
        NodeId four = new NodeId(4);
        NodeId five = new NodeId(5);
        java.util.TreeMap<Ipv4Address, NodeId> held = new java.util.TreeMap<>(Map.of(pool.get(0), ONE, pool.get(1), TWO,
                pool.get(2), THREE, pool.get(3), five));
        Assignment current = Assignment.of(5, 1, held, BucketAssignment.spreadEvenly(List.of(ONE, TWO, THREE, five)));
        Set<NodeId> members = Set.of(ONE, TWO, THREE, four, five);

        Assignment next = AssignmentPlanner.plan(new AssignmentPlanner.Input(current, pool, Set.of(ONE, TWO, THREE, five),
                Set.of(four), Set.of(), Set.of(), Map.of(ONE, 0L, TWO, 0L, THREE, 0L, five, 0L), members), rules, 5, 2);
        assertTrue(next.blocks().equals(current.blocks()), "no one takes the two free blocks: " + next.blocks());

        Assignment back = AssignmentPlanner.plan(new AssignmentPlanner.Input(next, pool, members, Set.of(), Set.of(),
                Set.of(), Map.of(ONE, 0L, TWO, 0L, THREE, 0L, five, 0L), members), rules, 5, 3);
        assertEquals(1, back.blocksOf(four).size(), "the member that comes back finds a block");
    }

    @Test
    @DisplayName("in a pool of a few blocks every node still gets a share, and the reserve is kept")
    void aSmallPoolIsSharedFairlyWithTheDefaults() {
        List<Ipv4Address> pool = pool(5);

        Assignment first = AssignmentPlanner.plan(new AssignmentPlanner.Input(Assignment.NONE, pool,
                Set.of(ONE, TWO, THREE), Set.of(), Set.of(), Set.of(), Map.of()), AssignmentPlanner.Rules.DEFAULTS, 5, 1);
        Assignment low = AssignmentPlanner.plan(new AssignmentPlanner.Input(first, pool, Set.of(ONE, TWO, THREE),
                Set.of(), Set.of(), Set.of(), Map.of(ONE, 256L, TWO, 256L, THREE, 256L)),
                AssignmentPlanner.Rules.DEFAULTS, 5, 2);

        for (Assignment plan : List.of(first, low)) {
            assertEquals(1, plan.blocksOf(ONE).size());
            assertEquals(1, plan.blocksOf(TWO).size());
            assertEquals(1, plan.blocksOf(THREE).size());
        }
    }

    @Test
    @DisplayName("the first nodes to start share the pool with the configured members not yet heard, and their refills leave those a block each")
    void theFirstDealLeavesTheMembersNotYetHeardTheirShare() {
        List<Ipv4Address> pool = pool(6);
        NodeId four = new NodeId(4);
        NodeId five = new NodeId(5);
        Set<NodeId> members = Set.of(ONE, TWO, THREE, four, five);

        Assignment first = AssignmentPlanner.plan(new AssignmentPlanner.Input(Assignment.NONE, pool, Set.of(THREE, five),
                Set.of(), Set.of(), Set.of(), Map.of(), members), AssignmentPlanner.Rules.DEFAULTS, 5, 1);
        Assignment low = AssignmentPlanner.plan(new AssignmentPlanner.Input(first, pool, Set.of(THREE, five), Set.of(),
                Set.of(), Set.of(), Map.of(THREE, 0L, five, 0L), members), AssignmentPlanner.Rules.DEFAULTS, 5, 2);
        assertEquals(first.blocks(), low.blocks(), "running low, the first two leave the others a block each");
        Assignment all = AssignmentPlanner.plan(new AssignmentPlanner.Input(low, pool, members, Set.of(), Set.of(),
                Set.of(), Map.of(), members), AssignmentPlanner.Rules.DEFAULTS, 5, 3);

        assertEquals(1, first.blocksOf(THREE).size());
        assertEquals(1, first.blocksOf(five).size());
        for (NodeId node : members) {
            assertEquals(1, all.blocksOf(node).size(), node + " in " + all.blocks());
        }
    }

    @Test
    @DisplayName("in a large pool each node starts with at most the initial blocks, and a crossing node is dealt several at once")
    void aLargePoolIsDealtAheadOfNeedWithTheDefaults() {
        AssignmentPlanner.Rules rules = AssignmentPlanner.Rules.DEFAULTS;
        List<Ipv4Address> pool = pool(256);

        Assignment first = AssignmentPlanner.plan(new AssignmentPlanner.Input(Assignment.NONE, pool,
                Set.of(ONE, TWO, THREE), Set.of(), Set.of(), Set.of(), Map.of()), rules, 5, 1);
        Assignment refilled = AssignmentPlanner.plan(new AssignmentPlanner.Input(first, pool, Set.of(ONE, TWO, THREE),
                Set.of(), Set.of(), Set.of(), Map.of(ONE, rules.lowWater() - 1, TWO, 2048L, THREE, 2048L)), rules, 5, 2);

        assertEquals(8, first.blocksOf(ONE).size());
        assertEquals(8, first.blocksOf(TWO).size());
        assertEquals(8, first.blocksOf(THREE).size());
        long free = rules.lowWater() - 1 + (refilled.blocksOf(ONE).size() - 8L) * AssignmentPlanner.BLOCK_ADDRESSES;
        assertTrue(free >= rules.refillTarget() && free < rules.refillTarget() + AssignmentPlanner.BLOCK_ADDRESSES,
                "refilled to twice the low water in one plan, not a block at a time: " + free);
    }

    @Test
    @DisplayName("plan after plan of nodes running low, no live node loses a block and the reserve is never dealt as headroom")
    void repeatedRefillsNeverTakeFromALiveNode() {
        AssignmentPlanner.Rules rules = new AssignmentPlanner.Rules(3, 2, 700);
        List<Ipv4Address> pool = pool(40);
        Assignment current = Assignment.NONE;
        for (int round = 1; round <= 20; round++) {
            Map<NodeId, Long> reports = Map.of(ONE, (long) (round * 37 % 900), TWO, (long) (round * 91 % 900),
                    THREE, (long) (round * 53 % 900));
            Assignment next = AssignmentPlanner.plan(new AssignmentPlanner.Input(current, pool, Set.of(ONE, TWO, THREE),
                    Set.of(), Set.of(), Set.of(), reports), rules, 5, round);
            for (NodeId node : List.of(ONE, TWO, THREE)) {
                assertTrue(next.blocksOf(node).containsAll(current.blocksOf(node)), "round " + round + ": " + node);
            }
            long dry = reports.values().stream().filter(free -> free < rules.dryWater()).count();
            int freeBefore = pool.size() - current.blocks().size();
            int freeAfter = pool.size() - next.blocks().size();
            assertTrue(freeAfter >= Math.min(freeBefore, rules.reserveBlocks()) - dry,
                    "round " + round + ": the reserve gives at most one block to each nearly dry node");
            assertTrue(pool.containsAll(next.blocks().keySet()), "only the pool's blocks are dealt");
            current = next;
        }
        assertTrue(current.blocks().size() > 6, "the low nodes were dealt more than their first blocks");
    }

    @Test
    @DisplayName("the planner counts a whole block as the pool's block size")
    void theBlockSizeIsThePools() {
        assertEquals(dev.dhcpcluster.core.pool.AddressPool.BLOCK_SIZE, AssignmentPlanner.BLOCK_ADDRESSES);
    }

    private static List<Ipv4Address> pool(int blocks) {
        return IntStream.range(0, blocks).mapToObj(i -> Ipv4Address.parse("198.18." + i + ".0")).toList();
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
