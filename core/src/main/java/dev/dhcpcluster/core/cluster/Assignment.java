package dev.dhcpcluster.core.cluster;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AssignmentRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The leader's assignment: which node holds each address block (by the block's id, its first
 * address) and each of the {@value LoadBalancing#BUCKETS} client hash buckets, with a version
 * {@code (epoch, sequence)}. A block or bucket may be held by nobody: a block in the leader's
 * reserve, or a bucket taken from one node and not yet given to another. Immutable; equal when the
 * version and every holding are.
 *
 * <p>Versions are ordered by epoch, then sequence: the leader of epoch {@code e} numbers its
 * assignments {@code (e, 1)}, {@code (e, 2)}..., so a later leader's assignments come after every
 * earlier leader's. {@link #NONE}, version {@code (0, 0)}, is the assignment before any was made.
 */
public final class Assignment {

    /** The assignment before any was made: version (0, 0), nothing held. */
    public static final Assignment NONE = new Assignment(AssignmentRecord.NONE);

    private final AssignmentRecord record;
    /** The holder of each bucket, by bucket; null when nobody holds it. */
    private final NodeId[] buckets = new NodeId[LoadBalancing.BUCKETS];

    private Assignment(AssignmentRecord record) {
        this.record = record;
        record.buckets().forEach((bucket, holder) -> buckets[bucket] = holder);
    }

    /** The assignment a record describes (as received from a peer or loaded from disk). */
    public static Assignment fromRecord(AssignmentRecord record) {
        return new Assignment(Objects.requireNonNull(record, "record"));
    }

    /**
     * An assignment of version {@code (epoch, sequence)}.
     *
     * @param blocks the holder of each held block, by block id
     * @param buckets every bucket's holder
     */
    public static Assignment of(long epoch, long sequence, Map<Ipv4Address, NodeId> blocks, BucketAssignment buckets) {
        SortedMap<Integer, NodeId> held = new TreeMap<>();
        for (int bucket = 0; bucket < LoadBalancing.BUCKETS; bucket++) {
            held.put(bucket, buckets.owner(bucket));
        }
        return new Assignment(new AssignmentRecord(epoch, sequence, new TreeMap<>(blocks), held));
    }

    /** An assignment of version {@code (epoch, sequence)}; {@code buckets[b]} is null when nobody holds bucket b. */
    static Assignment of(long epoch, long sequence, Map<Ipv4Address, NodeId> blocks, NodeId[] buckets) {
        SortedMap<Integer, NodeId> held = new TreeMap<>();
        for (int bucket = 0; bucket < buckets.length; bucket++) {
            if (buckets[bucket] != null) {
                held.put(bucket, buckets[bucket]);
            }
        }
        return new Assignment(new AssignmentRecord(epoch, sequence, new TreeMap<>(blocks), held));
    }

    /** This assignment as it travels and rests on disk. */
    public AssignmentRecord toRecord() {
        return record;
    }

    public long epoch() {
        return record.epoch();
    }

    public long sequence() {
        return record.sequence();
    }

    /** True if this version is later than {@code other}'s. */
    public boolean isAfter(Assignment other) {
        return record.isAfter(other.epoch(), other.sequence());
    }

    /** True if this is version {@code (epoch, sequence)}. */
    public boolean isVersion(long epoch, long sequence) {
        return epoch() == epoch && sequence() == sequence;
    }

    /** The same holdings under another version. */
    public Assignment withVersion(long epoch, long sequence) {
        return new Assignment(new AssignmentRecord(epoch, sequence, record.blocks(), record.buckets()));
    }

    /** True if both give every block and bucket to the same node (or to nobody), whatever their versions. */
    public boolean sameHoldings(Assignment other) {
        return record.blocks().equals(other.record.blocks()) && Arrays.equals(buckets, other.buckets);
    }

    /** The holder of the block {@code id}, if anyone holds it. */
    public Optional<NodeId> blockHolder(Ipv4Address id) {
        return Optional.ofNullable(record.blocks().get(id));
    }

    /** The holder of {@code bucket}, if anyone holds it. */
    public Optional<NodeId> bucketHolder(int bucket) {
        return Optional.ofNullable(buckets[bucket]);
    }

    /** Every held block, by id, with its holder. */
    public SortedMap<Ipv4Address, NodeId> blocks() {
        return record.blocks();
    }

    /** The ids of the blocks {@code node} holds, in order. */
    public SortedSet<Ipv4Address> blocksOf(NodeId node) {
        SortedSet<Ipv4Address> held = new TreeSet<>();
        record.blocks().forEach((id, holder) -> {
            if (holder.equals(node)) {
                held.add(id);
            }
        });
        return held;
    }

    /** The buckets {@code node} holds, in order. */
    public List<Integer> bucketsOf(NodeId node) {
        List<Integer> held = new ArrayList<>();
        for (int bucket = 0; bucket < buckets.length; bucket++) {
            if (node.equals(buckets[bucket])) {
                held.add(bucket);
            }
        }
        return held;
    }

    /** The buckets as a {@link BucketAssignment}, if every bucket has a holder. */
    public Optional<BucketAssignment> bucketAssignment() {
        if (record.buckets().size() != LoadBalancing.BUCKETS) {
            return Optional.empty();
        }
        BucketAssignment result = BucketAssignment.allTo(buckets[0]);
        for (int bucket = 1; bucket < buckets.length; bucket++) {
            result = result.with(bucket, buckets[bucket]);
        }
        return Optional.of(result);
    }

    /** A copy of the holder of each bucket, by bucket (null for nobody). */
    NodeId[] bucketHolders() {
        return buckets.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Assignment that && record.equals(that.record);
    }

    @Override
    public int hashCode() {
        return record.hashCode();
    }

    @Override
    public String toString() {
        return "Assignment(" + epoch() + "." + sequence() + ", " + record.blocks().size() + " blocks, "
                + record.buckets().size() + " buckets held)";
    }
}
