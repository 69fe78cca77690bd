package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The planner's rules about blocks, applied to each subnet on its own: a client is given an address
 * of its own subnet only, so a member that holds blocks of one subnet alone leaves the clients of
 * the others in its buckets unanswered.
 */
class AssignmentPlannerSubnetsTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    private static final NodeId THREE = new NodeId(3);
    private static final Set<NodeId> ALL = Set.of(ONE, TWO, THREE);

    /** {@code count} blocks from 198.18.{third}.0 on: one subnet's pools. */
    private static List<Ipv4Address> subnet(int third, int count) {
        return IntStream.range(third, third + count).mapToObj(i -> Ipv4Address.parse("198.18." + i + ".0")).toList();
    }

    private static Assignment first(PoolBlocks pool, AssignmentPlanner.Rules rules) {
        return AssignmentPlanner.plan(new AssignmentPlanner.Input(Assignment.NONE, pool, ALL, Set.of(), Set.of(),
                Set.of(), Map.of(), ALL), rules, 5, 1);
    }

    /** The blocks {@code node} holds in {@code subnet}. */
    private static SortedSet<Ipv4Address> heldIn(Assignment assignment, NodeId node, List<Ipv4Address> subnet) {
        SortedSet<Ipv4Address> held = new TreeSet<>(assignment.blocksOf(node));
        held.retainAll(subnet);
        return held;
    }

    private static long freeIn(Assignment assignment, List<Ipv4Address> subnet) {
        return subnet.stream().filter(id -> assignment.blockHolder(id).isEmpty()).count();
    }

    @Test
    @DisplayName("two subnets of 4 blocks, three members, the default rules: every member gets a block of each "
            + "subnet, so every client is answered by whichever member holds its bucket")
    void theFirstDealGivesEveryMemberABlockOfEachOfTwoSubnets() {
        List<Ipv4Address> a = subnet(0, 4);
        List<Ipv4Address> b = subnet(64, 4);

        Assignment first = first(PoolBlocks.bySubnet(List.of(a, b)), AssignmentPlanner.Rules.DEFAULTS);

        for (NodeId node : ALL) {
            assertEquals(1, heldIn(first, node, a).size(), node + " in subnet A: " + first.blocks());
            assertEquals(1, heldIn(first, node, b).size(), node + " in subnet B: " + first.blocks());
        }
        assertEquals(1, freeIn(first, a), "what the reserve leaves of subnet A after one block each");
        assertEquals(1, freeIn(first, b), "and of subnet B");
    }

    @Test
    @DisplayName("three subnets of 20 blocks: each member gets its initial blocks in every subnet, and each subnet "
            + "keeps its own reserve")
    void theFirstDealIsPerSubnetWithTheInitialCapAndTheReserve() {
        List<List<Ipv4Address>> subnets = List.of(subnet(0, 20), subnet(64, 20), subnet(128, 20));

        Assignment first = first(PoolBlocks.bySubnet(subnets), new AssignmentPlanner.Rules(2, 4, 100));

        for (List<Ipv4Address> subnet : subnets) {
            for (NodeId node : ALL) {
                assertEquals(4, heldIn(first, node, subnet).size(), node + " in " + subnet.get(0));
            }
            assertEquals(8, freeIn(first, subnet), "20 blocks less 3 x 4 initial ones, more than the reserve of 2");
        }
    }

    @Test
    @DisplayName("a member low in one subnet and rich in another is refilled in the low one only")
    void aMemberLowInOneSubnetIsRefilledThere() {
        List<Ipv4Address> a = subnet(0, 20);
        List<Ipv4Address> b = subnet(64, 20);
        List<Ipv4Address> c = subnet(128, 20);
        PoolBlocks pool = PoolBlocks.bySubnet(List.of(a, b, c));
        AssignmentPlanner.Rules rules = new AssignmentPlanner.Rules(2, 2, 600);
        Assignment first = first(pool, rules);
        // Node 2 has plenty in A and C, 3,000 in all, but only 100 addresses left for the clients of B.
        Map<NodeId, Map<Ipv4Address, Long>> free = Map.of(
                ONE, Map.of(a.get(0), 700L, b.get(0), 700L, c.get(0), 700L),
                TWO, Map.of(a.get(0), 1900L, b.get(0), 100L, c.get(0), 1000L),
                THREE, Map.of(a.get(0), 700L, b.get(0), 700L, c.get(0), 700L));

        Assignment next = AssignmentPlanner.plan(new AssignmentPlanner.Input(first, pool, ALL, Set.of(), Set.of(),
                Set.of(), free, ALL), rules, 5, 2);

        // 100 free + 2 blocks = 612 is back above 600; + 3 more = 1,380 is above twice the low water.
        assertEquals(2 + 5, heldIn(next, TWO, b).size(), next.blocks().toString());
        assertEquals(heldIn(first, TWO, a), heldIn(next, TWO, a), "nothing more in A, where it has plenty");
        assertEquals(heldIn(first, TWO, c), heldIn(next, TWO, c), "nor in C");
        assertEquals(first.blocksOf(ONE), next.blocksOf(ONE));
        assertEquals(first.blocksOf(THREE), next.blocksOf(THREE));
    }

    @Test
    @DisplayName("a refill keeps each subnet's reserve: a member low in two subnets is dealt blocks of the one with "
            + "more than the reserve free, and the other's reserve stays free")
    void theReserveIsKeptPerSubnet() {
        List<Ipv4Address> a = subnet(0, 4);
        List<Ipv4Address> b = subnet(64, 6);
        PoolBlocks pool = PoolBlocks.bySubnet(List.of(a, b));
        TreeMap<Ipv4Address, NodeId> held = new TreeMap<>(Map.of(a.get(0), ONE, a.get(1), TWO, b.get(0), ONE,
                b.get(1), TWO));
        Assignment current = Assignment.of(5, 1, held, allBuckets());
        Map<NodeId, Map<Ipv4Address, Long>> free = Map.of(ONE, Map.of(a.get(0), 300L, b.get(0), 200L),
                TWO, Map.of(a.get(0), 5000L, b.get(0), 5000L));

        Assignment next = AssignmentPlanner.plan(new AssignmentPlanner.Input(current, pool, Set.of(ONE, TWO), Set.of(),
                Set.of(), Set.of(), free, Set.of(ONE, TWO)), new AssignmentPlanner.Rules(2, 8, 600), 5, 2);

        assertEquals(2, freeIn(next, a), "subnet A had only its reserve free, and keeps it: " + next.blocks());
        assertEquals(Set.of(b.get(0), b.get(2), b.get(3)), heldIn(next, ONE, b),
                "200 + 2 blocks in B reaches the low water; the headroom stops at B's reserve");
        assertEquals(2, freeIn(next, b));
    }

    @Test
    @DisplayName("the dry-water rule is per subnet: a member nearly dry in one subnet takes a block of that "
            + "subnet's reserve, however much it has free in another")
    void aMemberDryInOneSubnetTakesAReserveBlockThere() {
        List<Ipv4Address> a = subnet(0, 4);
        List<Ipv4Address> b = subnet(64, 8);
        PoolBlocks pool = PoolBlocks.bySubnet(List.of(a, b));
        TreeMap<Ipv4Address, NodeId> held = new TreeMap<>(Map.of(a.get(0), ONE, a.get(1), TWO, b.get(0), ONE,
                b.get(1), ONE, b.get(2), ONE, b.get(3), TWO));
        Assignment current = Assignment.of(5, 1, held, allBuckets());
        Map<NodeId, Map<Ipv4Address, Long>> free = Map.of(ONE, Map.of(a.get(0), 10L, b.get(0), 700L),
                TWO, Map.of(a.get(0), 5000L, b.get(0), 5000L));

        Assignment next = AssignmentPlanner.plan(new AssignmentPlanner.Input(current, pool, Set.of(ONE, TWO), Set.of(),
                Set.of(), Set.of(), free, Set.of(ONE, TWO)), new AssignmentPlanner.Rules(2, 8, 600), 5, 2);

        assertEquals(Set.of(a.get(0), a.get(2)), heldIn(next, ONE, a), "10 free of A, below its share of A's 4 blocks: "
                + next.blocks());
        assertEquals(heldIn(current, ONE, b), heldIn(next, ONE, b), "700 free in B: above the low water there");
    }

    @Test
    @DisplayName("a subnet with fewer blocks than members gives one block to as many as it can, and the planner "
            + "names it and the members left without one; a subnet with enough blocks gives one to everyone")
    void aSubnetSmallerThanTheMembersIsNamed() {
        List<Ipv4Address> small = subnet(0, 2);
        List<Ipv4Address> enough = subnet(64, 3);
        PoolBlocks pool = PoolBlocks.bySubnet(List.of(small, enough));

        Assignment first = first(pool, AssignmentPlanner.Rules.DEFAULTS);

        assertEquals(0, freeIn(first, small), "every block of the small subnet goes out, reserve or not");
        for (NodeId node : ALL) {
            assertEquals(1, heldIn(first, node, enough).size(), node + ": " + first.blocks());
        }
        assertEquals(Map.of(small.get(0), new TreeSet<>(Set.of(THREE))),
                AssignmentPlanner.subnetsShort(first, pool, ALL));
        assertTrue(AssignmentPlanner.subnetsShort(first, PoolBlocks.bySubnet(List.of(enough)), ALL).isEmpty());
    }

    @Test
    @DisplayName("a subnet whose free blocks are frozen for a while is not short: they go out once they may")
    void aSubnetWithFrozenBlocksIsNotShort() {
        List<Ipv4Address> a = subnet(0, 4);
        PoolBlocks pool = PoolBlocks.oneSubnet(a);

        Assignment frozen = AssignmentPlanner.plan(new AssignmentPlanner.Input(Assignment.NONE, pool, ALL, Set.of(),
                Set.of(), Set.copyOf(a), Map.of(), ALL), AssignmentPlanner.Rules.DEFAULTS, 5, 1);

        assertTrue(frozen.blocks().isEmpty());
        assertTrue(AssignmentPlanner.subnetsShort(frozen, pool, ALL).isEmpty());
        assertFalse(AssignmentPlanner.subnetsShort(first(PoolBlocks.oneSubnet(subnet(0, 2)),
                AssignmentPlanner.Rules.DEFAULTS), PoolBlocks.oneSubnet(subnet(0, 2)), ALL).isEmpty());
    }

    @Test
    @DisplayName("a member that returns holding none is dealt blocks of every subnet, not of the first alone")
    void aReturningMemberIsDealtEverySubnet() {
        List<Ipv4Address> a = subnet(0, 8);
        List<Ipv4Address> b = subnet(64, 8);
        PoolBlocks pool = PoolBlocks.bySubnet(List.of(a, b));
        AssignmentPlanner.Rules rules = new AssignmentPlanner.Rules(2, 2, 100);
        Assignment two = AssignmentPlanner.plan(new AssignmentPlanner.Input(Assignment.NONE, pool, Set.of(ONE, TWO),
                Set.of(), Set.of(), Set.of(), Map.of(), ALL), rules, 5, 1);
        assertTrue(two.blocksOf(THREE).isEmpty());

        Assignment three = AssignmentPlanner.plan(new AssignmentPlanner.Input(two, pool, ALL, Set.of(), Set.of(),
                Set.of(), Map.of(), ALL), rules, 5, 2);

        assertEquals(2, heldIn(three, THREE, a).size(), three.blocks().toString());
        assertEquals(2, heldIn(three, THREE, b).size(), three.blocks().toString());
    }

    private static NodeId[] allBuckets() {
        NodeId[] buckets = new NodeId[LoadBalancing.BUCKETS];
        for (int bucket = 0; bucket < buckets.length; bucket++) {
            buckets[bucket] = bucket % 2 == 0 ? ONE : TWO;
        }
        return buckets;
    }
}
