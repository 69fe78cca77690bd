package dev.dhcpcluster.core.cluster;

import dev.dhcpcluster.port.model.NodeId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which node answers the clients of each of the {@value LoadBalancing#BUCKETS} hash buckets of
 * RFC 3074: every bucket has exactly one owner. Immutable; equal when every bucket has the same
 * owner.
 *
 * <p>{@link #spreadEvenly} is the assignment a leader starts from: deterministic, so that two nodes
 * given the same members compute the same assignment. {@link #allTo} is a node alone.
 */
public final class BucketAssignment {

    /** The owner of each bucket, by bucket. */
    private final NodeId[] owners;

    private BucketAssignment(NodeId[] owners) {
        this.owners = owners;
    }

    /** Every bucket to {@code node}: a node alone. */
    public static BucketAssignment allTo(NodeId node) {
        Objects.requireNonNull(node, "node");
        NodeId[] owners = new NodeId[LoadBalancing.BUCKETS];
        Arrays.fill(owners, node);
        return new BucketAssignment(owners);
    }

    /**
     * The buckets dealt out in turn to {@code nodes} in the order of their ids: bucket {@code b}
     * goes to the {@code (b mod n)}-th smallest id. Each node gets 256/n buckets, rounded up for the
     * smallest ids and down for the others, so no two nodes differ by more than one bucket; the
     * result depends only on the set of ids, not on the order they are given in.
     *
     * @throws IllegalArgumentException if {@code nodes} is empty or has more than 256 nodes (a node
     *     would own no bucket)
     */
    public static BucketAssignment spreadEvenly(Collection<NodeId> nodes) {
        Objects.requireNonNull(nodes, "nodes");
        List<NodeId> sorted = new ArrayList<>(new TreeSet<>(nodes));
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("buckets are spread over at least one node");
        }
        if (sorted.size() > LoadBalancing.BUCKETS) {
            throw new IllegalArgumentException(sorted.size() + " nodes cannot each own one of "
                    + LoadBalancing.BUCKETS + " buckets");
        }
        NodeId[] owners = new NodeId[LoadBalancing.BUCKETS];
        for (int bucket = 0; bucket < owners.length; bucket++) {
            owners[bucket] = sorted.get(bucket % sorted.size());
        }
        return new BucketAssignment(owners);
    }

    /**
     * This assignment with {@code bucket} moved to {@code owner}.
     *
     * @throws IllegalArgumentException if {@code bucket} is not 0 to 255
     */
    public BucketAssignment with(int bucket, NodeId owner) {
        checkBucket(bucket);
        Objects.requireNonNull(owner, "owner");
        NodeId[] next = owners.clone();
        next[bucket] = owner;
        return new BucketAssignment(next);
    }

    /**
     * The node that answers the clients of {@code bucket}.
     *
     * @throws IllegalArgumentException if {@code bucket} is not 0 to 255
     */
    public NodeId owner(int bucket) {
        checkBucket(bucket);
        return owners[bucket];
    }

    /** The buckets {@code node} owns, ascending; empty if it owns none. */
    public List<Integer> bucketsOf(NodeId node) {
        Objects.requireNonNull(node, "node");
        List<Integer> buckets = new ArrayList<>();
        for (int bucket = 0; bucket < owners.length; bucket++) {
            if (owners[bucket].equals(node)) {
                buckets.add(bucket);
            }
        }
        return List.copyOf(buckets);
    }

    /** The nodes that own at least one bucket, by id. */
    public SortedSet<NodeId> owners() {
        return new TreeSet<>(Arrays.asList(owners));
    }

    /**
     * What {@code node} answers for under this assignment: a snapshot, unchanged by later
     * assignments, that answers {@link Responsibility#servesBucket} from a table without
     * allocating.
     */
    public Responsibility responsibilityOf(NodeId node) {
        Objects.requireNonNull(node, "node");
        boolean[] served = new boolean[LoadBalancing.BUCKETS];
        int count = 0;
        for (int bucket = 0; bucket < owners.length; bucket++) {
            served[bucket] = owners[bucket].equals(node);
            count += served[bucket] ? 1 : 0;
        }
        if (count == LoadBalancing.BUCKETS) {
            return Responsibility.everyBucket();
        }
        int owned = count;
        return new Responsibility() {
            @Override
            public boolean servesBucket(int bucket) {
                return served[bucket];
            }

            @Override
            public String toString() {
                return owned + " of " + LoadBalancing.BUCKETS + " buckets, as " + node;
            }
        };
    }

    private static void checkBucket(int bucket) {
        if (bucket < 0 || bucket >= LoadBalancing.BUCKETS) {
            throw new IllegalArgumentException("a bucket is 0 to " + (LoadBalancing.BUCKETS - 1) + ", not " + bucket);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BucketAssignment that && Arrays.equals(owners, that.owners);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(owners);
    }

    /** The number of buckets of each owner, as {@code {node-1=128, node-2=128}}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        for (NodeId node : owners()) {
            if (text.length() > 1) {
                text.append(", ");
            }
            int count = 0;
            for (NodeId owner : owners) {
                count += owner.equals(node) ? 1 : 0;
            }
            text.append(node).append('=').append(count);
        }
        return text.append('}').toString();
    }
}
