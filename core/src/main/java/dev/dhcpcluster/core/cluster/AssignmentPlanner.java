package dev.dhcpcluster.core.cluster;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The leader's planner: the next holdings from the standing assignment and what the leader knows
 * of the members. A pure function; the safety of a change (who may lose what, and when) is decided
 * by the caller, {@link OwnershipGrants}, through {@code released} and the frozen sets.
 *
 * <h2>Rules, in order</h2>
 * <ol>
 *   <li>Every holding of a live node, and of a node that is not live but not {@code released}, is
 *       kept: a leader change, or a plan where nothing changed, moves nothing.</li>
 *   <li>The holdings of a {@code released} node that is not live (its grant must have lapsed) go
 *       back to nobody, and so become free for the rules below.</li>
 *   <li>Every free bucket that is not frozen goes to the live node with the fewest buckets (the
 *       lowest id on a tie). Then, while a live node holds fewer than {@code floor(256/n)}, a node
 *       above {@code ceil(256/n)} (failing that, above {@code floor(256/n)}) gives up its highest
 *       bucket to nobody: handing it on is the next plan's job, once the giver acknowledged that it lost it.</li>
 *   <li>Blocks are dealt per subnet ({@link PoolBlocks}): every rule below is about one subnet's
 *       blocks on their own, "holds no block" means none in that subnet, "free addresses" the
 *       node's report for that subnet, and "the reserve" that subnet's. A client is given an
 *       address of its own subnet only, so a node must hold a block in every subnet to answer all
 *       the clients of its buckets; {@link #subnetsShort} names the subnets where one holds none.</li>
 *   <li>Blocks are never taken from a live node. A live node that holds no block gets its fair
 *       share of the free blocks the reserve leaves ({@link Rules#reserveBlocks}), shared with every
 *       other configured member that holds none (live or not yet), at most
 *       {@link Rules#initialBlocks}, and always at least one if any is free.</li>
 *   <li>A live node that reports fewer free addresses than {@link Rules#lowWater} is dealt ahead of
 *       need, one block at a time in turn with the other low nodes: first up to enough blocks to
 *       bring it back to the low water, then up to enough for twice the low water (the headroom
 *       that lets it bind for a while before it asks again). The headroom never comes out of the
 *       reserve; the reserve gives a low node one block, and only when nothing else is free, the
 *       node is nearly dry ({@link Rules#dryWater()}) and it holds fewer blocks than its share of
 *       the subnet (the subnet's blocks over the configured members, at least one): it is kept for a
 *       node that comes with none, or comes back. Neither a refill nor the reserve takes the last
 *       block for each configured member that is not live and holds none. The planner counts a whole block as {@link #BLOCK_ADDRESSES} free addresses;
 *       a block with leases in it shows in the node's next report. Free blocks go out in address
 *       order.</li>
 * </ol>
 */
public final class AssignmentPlanner {

    /**
     * The addresses in a whole block: the pool's block size, which the cluster's state machines,
     * seeing no pool, repeat here (a test holds the two equal).
     */
    public static final int BLOCK_ADDRESSES = 256;

    /**
     * How blocks are handed out.
     *
     * @param reserveBlocks free blocks kept back for a node that comes with none: the first deal and
     *     the headroom of a refill leave them free
     * @param initialBlocks at most this many blocks go to a node that holds none
     * @param lowWater a node reporting fewer free addresses than this is dealt blocks until it has
     *     twice as many
     */
    public record Rules(int reserveBlocks, int initialBlocks, long lowWater) {

        /**
         * What a node runs with: up to 8 blocks (2,048 addresses) for a node that holds none, 2 blocks
         * in reserve, and a low water of 4 blocks (1,024 addresses). A node refilled back to 2,048
         * free addresses when it reports fewer than 1,024 binds 1,000 new clients before it asks
         * again, and a refill takes a few round trips: at 2,000 new clients a second it never runs
         * dry unless a refill takes half a second.
         */
        public static final Rules DEFAULTS = new Rules(2, 8, 4L * BLOCK_ADDRESSES);

        public Rules {
            if (reserveBlocks < 0 || initialBlocks < 1 || lowWater < 0) {
                throw new IllegalArgumentException("a reserve of 0 or more, at least 1 initial block, a low water of 0 "
                        + "or more; not " + reserveBlocks + ", " + initialBlocks + ", " + lowWater);
            }
        }

        /**
         * Below this many free addresses a low node may take a block from the reserve: a quarter of
         * a block, or the low water if that is lower.
         */
        public long dryWater() {
            return Math.min(lowWater, BLOCK_ADDRESSES / 4);
        }

        /** The free addresses a refill aims at: twice the low water. */
        public long refillTarget() {
            return lowWater > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * lowWater;
        }
    }

    /**
     * What the leader knows when it plans.
     *
     * @param current the standing assignment
     * @param pool the blocks of the pools, by subnet
     * @param live the members that asked for a grant lately (the leader included)
     * @param released the members whose grant must have lapsed: their holdings may move
     * @param frozenBuckets free buckets that may not be handed out yet
     * @param frozenBlocks free blocks that may not be handed out yet
     * @param freeBySubnet each member's latest reported count of free addresses in its blocks of each
     *     subnet (under the subnet's name, {@link PoolBlocks}); a subnet it did not report counts as
     *     plenty
     * @param members every configured member, live or not
     */
    public record Input(Assignment current, PoolBlocks pool, Set<NodeId> live, Set<NodeId> released,
            Set<Integer> frozenBuckets, Set<Ipv4Address> frozenBlocks, Map<NodeId, Map<Ipv4Address, Long>> freeBySubnet,
            Set<NodeId> members) {

        /**
         * An input for pools of one subnet, {@code poolBlocks} in address order, and each member's
         * free addresses in it.
         */
        public Input(Assignment current, List<Ipv4Address> poolBlocks, Set<NodeId> live, Set<NodeId> released,
                Set<Integer> frozenBuckets, Set<Ipv4Address> frozenBlocks, Map<NodeId, Long> freeAddresses,
                Set<NodeId> members) {
            this(current, PoolBlocks.oneSubnet(poolBlocks), live, released, frozenBuckets, frozenBlocks,
                    inOneSubnet(poolBlocks, freeAddresses), members);
        }

        /** An input for pools of one subnet whose configured members are the live ones and the current holders. */
        public Input(Assignment current, List<Ipv4Address> poolBlocks, Set<NodeId> live, Set<NodeId> released,
                Set<Integer> frozenBuckets, Set<Ipv4Address> frozenBlocks, Map<NodeId, Long> freeAddresses) {
            this(current, poolBlocks, live, released, frozenBuckets, frozenBlocks, freeAddresses,
                    knownMembers(current, live));
        }

        public Input {
            Objects.requireNonNull(current, "current");
            Objects.requireNonNull(pool, "pool");
            members = Set.copyOf(members);
            live = Set.copyOf(live);
            released = Set.copyOf(released);
            frozenBuckets = Set.copyOf(frozenBuckets);
            frozenBlocks = Set.copyOf(frozenBlocks);
            Map<NodeId, Map<Ipv4Address, Long>> copy = new java.util.HashMap<>();
            freeBySubnet.forEach((node, counts) -> copy.put(node, Map.copyOf(counts)));
            freeBySubnet = Map.copyOf(copy);
        }

        private static Map<NodeId, Map<Ipv4Address, Long>> inOneSubnet(List<Ipv4Address> poolBlocks,
                Map<NodeId, Long> freeAddresses) {
            if (poolBlocks.isEmpty()) {
                return Map.of();
            }
            Ipv4Address subnet = poolBlocks.stream().min(Ipv4Address::compareTo).orElseThrow();
            Map<NodeId, Map<Ipv4Address, Long>> bySubnet = new java.util.HashMap<>();
            freeAddresses.forEach((node, count) -> bySubnet.put(node, Map.of(subnet, count)));
            return bySubnet;
        }
    }

    private AssignmentPlanner() {
    }

    private static Set<NodeId> knownMembers(Assignment current, Set<NodeId> live) {
        Set<NodeId> known = new TreeSet<>(live);
        known.addAll(current.blocks().values());
        return known;
    }

    /** The next holdings, as the assignment of version {@code (epoch, sequence)}. */
    public static Assignment plan(Input input, Rules rules, long epoch, long sequence) {
        Assignment current = input.current();
        NodeId[] buckets = current.bucketHolders();
        TreeMap<Ipv4Address, NodeId> blocks = new TreeMap<>();
        current.blocks().forEach((id, holder) -> {
            if (!releasable(holder, input)) {
                blocks.put(id, holder);
            }
        });
        for (int bucket = 0; bucket < buckets.length; bucket++) {
            if (buckets[bucket] != null && releasable(buckets[bucket], input)) {
                buckets[bucket] = null;
            }
        }
        SortedSet<NodeId> live = new TreeSet<>(input.live());
        if (!live.isEmpty()) {
            planBuckets(buckets, live, input.frozenBuckets());
            planBlocks(blocks, live, input, rules);
        }
        return Assignment.of(epoch, sequence, blocks, buckets);
    }

    private static boolean releasable(NodeId holder, Input input) {
        return input.released().contains(holder) && !input.live().contains(holder);
    }

    private static void planBuckets(NodeId[] buckets, SortedSet<NodeId> live, Set<Integer> frozen) {
        Map<NodeId, Integer> counts = new TreeMap<>();
        for (NodeId node : live) {
            counts.put(node, 0);
        }
        for (NodeId holder : buckets) {
            if (holder != null && counts.containsKey(holder)) {
                counts.merge(holder, 1, Integer::sum);
            }
        }
        for (int bucket = 0; bucket < buckets.length; bucket++) {
            if (buckets[bucket] == null && !frozen.contains(bucket)) {
                NodeId least = fewest(counts);
                buckets[bucket] = least;
                counts.merge(least, 1, Integer::sum);
            }
        }
        int n = live.size();
        int ceiling = (LoadBalancing.BUCKETS + n - 1) / n;
        int floor = LoadBalancing.BUCKETS / n;
        int below = 0;
        for (int count : counts.values()) {
            below += Math.max(0, floor - count);
        }
        for (NodeId holder : buckets) {
            if (holder == null) {
                below--; // a bucket given up already (frozen until its last holder let go) goes to a short node later
            }
        }
        // First from the nodes above the ceiling, then, if some node is still short, from those above the floor.
        for (int limit : new int[] {ceiling, floor}) {
            for (int bucket = buckets.length - 1; bucket >= 0 && below > 0; bucket--) {
                NodeId holder = buckets[bucket];
                if (holder != null && counts.containsKey(holder) && counts.get(holder) > limit) {
                    buckets[bucket] = null;
                    counts.merge(holder, -1, Integer::sum);
                    below--;
                }
            }
        }
    }

    private static NodeId fewest(Map<NodeId, Integer> counts) {
        NodeId least = null;
        for (Map.Entry<NodeId, Integer> entry : counts.entrySet()) {
            if (least == null || entry.getValue() < counts.get(least)) {
                least = entry.getKey();
            }
        }
        return least;
    }

    private static void planBlocks(TreeMap<Ipv4Address, NodeId> blocks, SortedSet<NodeId> live, Input input,
            Rules rules) {
        // Each subnet on its own: a client is given an address of its own subnet only, so a member with
        // plenty free in one subnet is still out of addresses for the clients of another.
        input.pool().subnets().forEach((subnet, subnetBlocks) ->
                planSubnet(blocks, live, input, rules, subnet, subnetBlocks));
    }

    private static void planSubnet(TreeMap<Ipv4Address, NodeId> blocks, SortedSet<NodeId> live, Input input,
            Rules rules, Ipv4Address subnet, List<Ipv4Address> subnetBlocks) {
        Map<NodeId, Integer> held = new TreeMap<>();
        List<Ipv4Address> free = new java.util.ArrayList<>();
        for (Ipv4Address id : subnetBlocks) {
            NodeId holder = blocks.get(id);
            if (holder != null) {
                held.merge(holder, 1, Integer::sum);
            } else if (!input.frozenBlocks().contains(id)) {
                free.add(id);
            }
        }
        // First the live nodes that hold no block, each its fair share of what the reserve leaves (at
        // most the initial count, at least one while any is free): a node that starts, or comes back,
        // is not left without addresses because the others were dealt first.
        // The share counts every configured member that holds none, live or not yet: members that start a
        // moment apart do not leave the last one a single block after the first ones took their cap.
        List<NodeId> holdingNone = live.stream().filter(node -> !held.containsKey(node)).toList();
        long away = input.members().stream().filter(node -> !live.contains(node) && !held.containsKey(node)).count();
        Set<NodeId> dealt = new java.util.HashSet<>();
        for (int i = 0; i < holdingNone.size() && !free.isEmpty(); i++) {
            NodeId node = holdingNone.get(i);
            int waiting = (int) (holdingNone.size() - i + away);
            int give = Math.max(1, Math.min(rules.initialBlocks(), (free.size() - rules.reserveBlocks()) / waiting));
            for (int j = 0; j < give && !free.isEmpty(); j++) {
                blocks.put(free.remove(0), node);
                held.merge(node, 1, Integer::sum);
            }
            dealt.add(node);
        }
        // Then the nodes that run low, in turn, one block at a time: first what brings each back to
        // the low water, then its headroom up to twice the low water, while more than the reserve is free.
        Map<NodeId, Long> low = new TreeMap<>();
        for (NodeId node : live) {
            long reported = input.freeBySubnet().getOrDefault(node, Map.of()).getOrDefault(subnet, Long.MAX_VALUE);
            if (!dealt.contains(node) && reported < rules.lowWater()) {
                low.put(node, reported);
            }
        }
        // A configured member not heard yet that holds none is kept a block beyond the reserve: it is
        // dealt first when it comes, and the others' refills must not leave it nothing to come to.
        int keep = (int) Math.min(Integer.MAX_VALUE, rules.reserveBlocks() + away);
        Map<NodeId, Long> after = new TreeMap<>(low);
        dealInTurn(blocks, free, after, rules.lowWater(), keep);
        dealInTurn(blocks, free, after, rules.refillTarget(), keep);
        // The reserve: one block to a low node that got nothing above, is nearly dry, and holds fewer
        // than its share of the subnet: a member that is away (cut off, restarting) finds it on return.
        int share = Math.max(1, subnetBlocks.size() / Math.max(1, input.members().size()));
        held.clear();
        for (Ipv4Address id : subnetBlocks) {
            NodeId holder = blocks.get(id);
            if (holder != null) {
                held.merge(holder, 1, Integer::sum);
            }
        }
        for (Map.Entry<NodeId, Long> entry : low.entrySet()) {
            if (free.size() <= away) {
                return;
            }
            if (entry.getValue() < rules.dryWater() && after.get(entry.getKey()).equals(entry.getValue())
                    && held.getOrDefault(entry.getKey(), 0) < share) {
                blocks.put(free.remove(0), entry.getKey());
            }
        }
    }

    /**
     * The subnets of {@code pool} where a node of {@code live} holds no block in {@code assignment}
     * while every block of the subnet is held: no plan can give it one, and the clients of that
     * subnet whose bucket the node answers for get no address. It happens when a subnet has fewer
     * blocks than live members, and the operator must hear of it. (A subnet with a free block,
     * frozen for a while, is not short: the block goes out once it may.)
     *
     * @return each such subnet's name (its first block) and the live nodes without a block in it
     */
    public static SortedMap<Ipv4Address, SortedSet<NodeId>> subnetsShort(Assignment assignment, PoolBlocks pool,
            Set<NodeId> live) {
        SortedMap<Ipv4Address, SortedSet<NodeId>> lacking = new TreeMap<>();
        pool.subnets().forEach((subnet, subnetBlocks) -> {
            SortedSet<NodeId> without = new TreeSet<>(live);
            boolean allHeld = true;
            for (Ipv4Address id : subnetBlocks) {
                java.util.Optional<NodeId> holder = assignment.blockHolder(id);
                holder.ifPresent(without::remove);
                allHeld &= holder.isPresent();
            }
            if (allHeld && !without.isEmpty()) {
                lacking.put(subnet, without);
            }
        });
        return lacking;
    }

    /**
     * Deals free blocks in turn to the nodes of {@code expected} (their free addresses, counting a
     * dealt block as a full one) that expect fewer than {@code target}, while more than
     * {@code keep} blocks are free.
     */
    private static void dealInTurn(TreeMap<Ipv4Address, NodeId> blocks, List<Ipv4Address> free,
            Map<NodeId, Long> expected, long target, int keep) {
        boolean dealing = true;
        while (dealing) {
            dealing = false;
            for (Map.Entry<NodeId, Long> entry : expected.entrySet()) {
                if (free.size() <= keep) {
                    return;
                }
                if (entry.getValue() < target) {
                    blocks.put(free.remove(0), entry.getKey());
                    entry.setValue(entry.getValue() + BLOCK_ADDRESSES);
                    dealing = true;
                }
            }
        }
    }
}
