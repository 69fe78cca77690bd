package dev.dhcpcluster.port.peer;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The leader's assignment of address blocks and client hash buckets as it travels between nodes
 * and rests on a member's disk: a version and who holds what.
 *
 * <p>The version is {@code (epoch, sequence)}, ordered by epoch then sequence: the leader of epoch
 * {@code e} numbers its assignments {@code (e, 1)}, {@code (e, 2)}... Version {@code (0, 0)} with
 * nothing held is the assignment before any was made ({@link #NONE}). A block or bucket that is not
 * in its map is held by nobody: a block in the leader's reserve, or a bucket between two holders.
 *
 * @param epoch the leader epoch the assignment was made in (0 only for {@link #NONE})
 * @param sequence its number within that epoch (0 only for {@link #NONE})
 * @param blocks the holder of each held address block, by the block's first address
 * @param buckets the holder of each held bucket, by bucket number 0 to 255
 */
public record AssignmentRecord(long epoch, long sequence, SortedMap<Ipv4Address, NodeId> blocks,
        SortedMap<Integer, NodeId> buckets) {

    /** The assignment before any was made: version (0, 0), nothing held. */
    public static final AssignmentRecord NONE = new AssignmentRecord(0, 0, new TreeMap<>(), new TreeMap<>());

    public AssignmentRecord {
        if (epoch < 0 || sequence < 0 || (epoch == 0) != (sequence == 0)) {
            throw new IllegalArgumentException("an assignment version is (0, 0) or two positive numbers, not ("
                    + epoch + ", " + sequence + ")");
        }
        blocks = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(blocks, "blocks")));
        buckets = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(buckets, "buckets")));
        for (Map.Entry<Integer, NodeId> entry : buckets.entrySet()) {
            if (entry.getKey() < 0 || entry.getKey() > 255) {
                throw new IllegalArgumentException("a bucket is 0 to 255, not " + entry.getKey());
            }
            Objects.requireNonNull(entry.getValue(), "holder");
        }
        for (NodeId holder : blocks.values()) {
            Objects.requireNonNull(holder, "holder");
        }
        if (epoch == 0 && (!blocks.isEmpty() || !buckets.isEmpty())) {
            throw new IllegalArgumentException("the assignment of version (0, 0) holds nothing");
        }
    }

    /** True if this version is later than {@code other}'s: a higher epoch, or the same epoch and a higher sequence. */
    public boolean isAfter(long otherEpoch, long otherSequence) {
        return epoch != otherEpoch ? epoch > otherEpoch : sequence > otherSequence;
    }
}
