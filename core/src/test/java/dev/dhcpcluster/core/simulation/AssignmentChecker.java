package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.core.cluster.Assignment;
import dev.dhcpcluster.core.cluster.OwnershipGrants;
import dev.dhcpcluster.core.cluster.PoolBlocks;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AssignmentRecord;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * Judges an assignment simulation after every step, in global virtual time: each node's holdings
 * are what it believes at that instant (its grant current on its own clock).
 */
public final class AssignmentChecker {

    private final List<GrantNode> nodes;
    private final PoolBlocks pool;
    private final List<Ipv4Address> poolBlocks;
    private final int majority;
    private final Set<Invariant> enabled;
    private final ElectionChecker.Violation violation;
    /** For each assignment version saved anywhere, the nodes that saved it. */
    private final Map<List<Long>, Set<NodeId>> saves = new HashMap<>();
    private final Set<List<Long>> committed = new HashSet<>();
    private long versionsCommitted;

    public AssignmentChecker(List<GrantNode> nodes, PoolBlocks pool, int size, Set<Invariant> enabled,
            ElectionChecker.Violation violation) {
        this.nodes = nodes;
        this.pool = pool;
        this.poolBlocks = pool.all();
        this.majority = size / 2 + 1;
        this.enabled = Set.copyOf(enabled);
        this.violation = violation;
    }

    /** A node made {@code assignment} durable. */
    public void saved(NodeId node, AssignmentRecord assignment) {
        List<Long> version = List.of(assignment.epoch(), assignment.sequence());
        Set<NodeId> savers = saves.computeIfAbsent(version, v -> new HashSet<>());
        savers.add(node);
        if (savers.size() >= majority && committed.add(version)) {
            versionsCommitted++;
        }
    }

    /** How many assignment versions a majority saved. */
    public long versionsCommitted() {
        return versionsCommitted;
    }

    /** Checks the node whose event just ran against every other (only its holdings can have grown). */
    public void check(GrantNode node) {
        if (!node.up()) {
            return;
        }
        long[] mine = node.held();
        if (mine.length == 0) {
            return;
        }
        OwnershipGrants.Holdings holdings = node.grants().holdings();
        if (enabled.contains(Invariant.ACTS_ONLY_ON_COMMITTED)
                && !committed.contains(List.of(holdings.epoch(), holdings.sequence()))) {
            violation.report(Invariant.ACTS_ONLY_ON_COMMITTED, node.id() + " holds " + describe(holdings)
                    + " under assignment " + holdings.epoch() + "." + holdings.sequence()
                    + ", which only " + saves.getOrDefault(List.of(holdings.epoch(), holdings.sequence()), Set.of())
                    + " saved; a majority is " + majority);
        }
        if (enabled.contains(Invariant.ONE_HOLDER_AT_A_TIME)) {
            for (GrantNode other : nodes) {
                if (other == node) {
                    continue;
                }
                long[] theirs = other.held();
                for (int i = 0; i < Math.min(mine.length, theirs.length); i++) {
                    long both = mine[i] & theirs[i];
                    if (both != 0) {
                        int bit = i * 64 + Long.numberOfTrailingZeros(both);
                        violation.report(Invariant.ONE_HOLDER_AT_A_TIME, (bit < 256 ? "bucket " + bit
                                : "block " + poolBlocks.get(bit - 256)) + " is held by both " + node.id() + " ("
                                + describe(holdings) + ", grant left " + left(node) + ") and " + other.id() + " ("
                                + describe(other.grants().holdings()) + ", grant left " + left(other) + ")");
                    }
                }
            }
        }
    }

    /** Checks every node, after a step that belongs to none (a fault). */
    public void checkAll() {
        for (GrantNode node : nodes) {
            check(node);
        }
    }

    /**
     * Why the grants are not settled now, or null if they are: every node outside {@code cutOff}
     * holds a current grant, every bucket is held by one of them, every block by one of them or
     * free in the leader's committed assignment, and each of them holds a block in every subnet that
     * has a block for each member (else the clients of that subnet in its buckets get no address).
     */
    public String unsettled(Set<NodeId> cutOff) {
        long[] covered = new long[(256 + poolBlocks.size() + 63) / 64];
        for (GrantNode node : nodes) {
            if (cutOff.contains(node.id())) {
                continue;
            }
            if (!node.up() || !node.grants().grantCurrent()) {
                return node.id() + " holds no current grant: " + node.describe();
            }
            long[] held = node.held();
            for (int i = 0; i < held.length; i++) {
                covered[i] |= held[i];
            }
        }
        for (int bucket = 0; bucket < 256; bucket++) {
            if ((covered[bucket >>> 6] & (1L << bucket)) == 0) {
                Optional<Assignment> leaders = leadersAssignment(cutOff);
                int b = bucket;
                return "bucket " + bucket + " is held by no node of the majority side (the leader's committed "
                        + leaders.map(a -> a + " gives it to " + a.bucketHolder(b)).orElse("assignment: none") + ")";
            }
        }
        for (int i = 0; i < poolBlocks.size(); i++) {
            int bit = 256 + i;
            if ((covered[bit >>> 6] & (1L << bit)) == 0) {
                Ipv4Address block = poolBlocks.get(i);
                Optional<Assignment> leaders = leadersAssignment(cutOff);
                if (leaders.isEmpty() || leaders.get().blockHolder(block).isPresent()) {
                    return "block " + block + " is held by no node of the majority side and not in the leader's reserve";
                }
            }
        }
        for (GrantNode node : nodes) {
            if (cutOff.contains(node.id())) {
                continue;
            }
            SortedMap<Ipv4Address, Set<Ipv4Address>> held = pool.split(node.grants().holdings().blocks());
            for (Map.Entry<Ipv4Address, List<Ipv4Address>> subnet : pool.subnets().entrySet()) {
                if (subnet.getValue().size() >= nodes.size() && held.get(subnet.getKey()).isEmpty()) {
                    return node.id() + " holds no block of the subnet of " + subnet.getKey() + " ("
                            + subnet.getValue().size() + " blocks for " + nodes.size() + " members)";
                }
            }
        }
        return null;
    }

    /** The assignment committed last by a leader on the majority side, if one leads there (read only when needed: it is slow). */
    private Optional<Assignment> leadersAssignment(Set<NodeId> cutOff) {
        for (GrantNode node : nodes) {
            if (!cutOff.contains(node.id()) && node.up() && node.grants().committed().isPresent()) {
                return node.grants().committed();
            }
        }
        return Optional.empty();
    }

    private static String describe(OwnershipGrants.Holdings holdings) {
        return holdings.buckets().size() + " buckets, " + holdings.blocks().size() + " blocks of "
                + holdings.epoch() + "." + holdings.sequence();
    }

    private static String left(GrantNode node) {
        return node.grants().grantCurrent() ? "current" : "none";
    }
}
