package dev.dhcpcluster.port.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link AssignmentStore}: every store runs these tests through a subclass that
 * says how to open one, and how to open a second over the same medium, as a node that restarts does.
 */
public abstract class AbstractAssignmentStoreTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    private static final NodeId THREE = new NodeId(3);

    /** A new store over an empty medium. */
    protected abstract AssignmentStore newStore() throws Exception;

    /** A new store over the same medium as {@code earlier}, as after a restart. */
    protected abstract AssignmentStore reopen(AssignmentStore earlier) throws Exception;

    /** Blocks at both ends of the address space, and every one of the 256 buckets held. */
    protected static AssignmentRecord everythingHeld(long epoch, long sequence) {
        SortedMap<Ipv4Address, NodeId> blocks = new TreeMap<>();
        blocks.put(Ipv4Address.parse("0.0.0.0"), ONE);
        blocks.put(Ipv4Address.parse("198.18.0.0"), TWO);
        blocks.put(Ipv4Address.parse("198.18.1.0"), THREE);
        // The last block of the address space: its id is above every signed int.
        blocks.put(Ipv4Address.parse("255.255.255.0"), new NodeId(Integer.MAX_VALUE));
        SortedMap<Integer, NodeId> buckets = new TreeMap<>();
        for (int bucket = 0; bucket < 256; bucket++) {
            buckets.put(bucket, bucket % 3 == 0 ? ONE : bucket % 3 == 1 ? TWO : THREE);
        }
        return new AssignmentRecord(epoch, sequence, blocks, buckets);
    }

    /** Some blocks and buckets held, others with no holder. */
    protected static AssignmentRecord partlyHeld(long epoch, long sequence) {
        SortedMap<Ipv4Address, NodeId> blocks = new TreeMap<>();
        blocks.put(Ipv4Address.parse("198.18.0.0"), THREE);
        SortedMap<Integer, NodeId> buckets = new TreeMap<>();
        buckets.put(0, THREE);
        buckets.put(255, TWO);
        return new AssignmentRecord(epoch, sequence, blocks, buckets);
    }

    @Test
    @DisplayName("a store that never saved an assignment loads none")
    void emptyStoreLoadsNothing() throws Exception {
        assertEquals(Optional.empty(), newStore().load());
    }

    @Test
    @DisplayName("a saved assignment is loaded back: version, every block and every bucket")
    void savedAssignmentLoads() throws Exception {
        AssignmentStore store = newStore();
        AssignmentRecord saved = everythingHeld(7, 3);
        store.save(saved);
        Optional<AssignmentRecord> loaded = store.load();
        assertEquals(Optional.of(saved), loaded);
        assertEquals(256, loaded.orElseThrow().buckets().size());
        assertEquals(new NodeId(Integer.MAX_VALUE), loaded.orElseThrow().blocks().get(Ipv4Address.parse("255.255.255.0")));
    }

    @Test
    @DisplayName("the assignment before any was made is saved as such, not as nothing")
    void noneIsSaved() throws Exception {
        AssignmentStore store = newStore();
        store.save(AssignmentRecord.NONE);
        assertEquals(Optional.of(AssignmentRecord.NONE), store.load());
        assertEquals(Optional.of(AssignmentRecord.NONE), reopen(store).load());
    }

    @Test
    @DisplayName("an assignment that holds no block and no bucket is loaded back empty")
    void nothingHeldLoads() throws Exception {
        AssignmentStore store = newStore();
        AssignmentRecord saved = new AssignmentRecord(2, 1, new TreeMap<>(), new TreeMap<>());
        store.save(saved);
        assertEquals(Optional.of(saved), store.load());
    }

    @Test
    @DisplayName("a later save replaces the earlier assignment, holders that left included")
    void laterSaveReplaces() throws Exception {
        AssignmentStore store = newStore();
        store.save(everythingHeld(7, 3));
        store.save(partlyHeld(8, 1));
        assertEquals(Optional.of(partlyHeld(8, 1)), store.load());
    }

    @Test
    @DisplayName("a restarted node finds the last assignment it saved")
    void assignmentOutlivesTheStore() throws Exception {
        AssignmentStore store = newStore();
        store.save(partlyHeld(1, 1));
        store.save(everythingHeld(Long.MAX_VALUE, Long.MAX_VALUE));
        assertEquals(Optional.of(everythingHeld(Long.MAX_VALUE, Long.MAX_VALUE)), reopen(store).load());
    }

    @Test
    @DisplayName("a restarted node that never saved an assignment finds none")
    void noAssignmentOutlivesTheStore() throws Exception {
        AssignmentStore store = newStore();
        assertEquals(Optional.empty(), reopen(store).load());
    }
}
