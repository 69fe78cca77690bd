package dev.dhcpcluster.core.lease;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;

/**
 * The lease table's slots by address: an open-addressing hash table of the slots themselves,
 * each found by the address it holds, so that the index costs one reference per slot and no
 * boxed key. It also keeps the addresses in order, for operators' queries. Slots are added,
 * never removed (a slot stays once its address has been used). Not thread-safe.
 *
 * @param <S> the slot type
 */
final class SlotIndex<S> {

    private static final int MIN_CAPACITY = 16;

    private final ToIntFunction<S> addressOf;
    private Object[] table = new Object[MIN_CAPACITY];
    private int size;
    /** Every address, in unsigned order, stored with its sign bit flipped so that a signed sort orders them. */
    private int[] sorted = new int[0];
    /** Addresses added since {@link #sorted} was last brought up to date, flipped the same way. */
    private int[] added = new int[MIN_CAPACITY];
    private int addedCount;

    SlotIndex(ToIntFunction<S> addressOf) {
        this.addressOf = addressOf;
    }

    /** The slot of {@code address}, or null. */
    @SuppressWarnings("unchecked")
    S get(int address) {
        Object[] slots = table;
        int mask = slots.length - 1;
        for (int i = mix(address) & mask; ; i = (i + 1) & mask) {
            Object slot = slots[i];
            if (slot == null || addressOf.applyAsInt((S) slot) == address) {
                return (S) slot;
            }
        }
    }

    /** Adds a slot whose address has none yet. */
    void add(S slot) {
        if (size + 1 > table.length * 3L / 4) {
            grow();
        }
        insert(table, slot);
        size++;
        if (addedCount == added.length) {
            added = Arrays.copyOf(added, added.length * 2);
        }
        added[addedCount++] = addressOf.applyAsInt(slot) ^ Integer.MIN_VALUE;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Every slot, in no particular order. */
    @SuppressWarnings("unchecked")
    void forEach(Consumer<S> action) {
        for (Object slot : table) {
            if (slot != null) {
                action.accept((S) slot);
            }
        }
    }

    /**
     * The addresses in unsigned order, sorted now if slots were added since the last call: a
     * query after a burst of new addresses pays one merge, the hot path nothing.
     */
    OrderedAddresses ordered() {
        if (addedCount > 0) {
            int[] fresh = Arrays.copyOf(added, addedCount);
            Arrays.sort(fresh);
            int[] merged = new int[sorted.length + fresh.length];
            int i = 0;
            int j = 0;
            int k = 0;
            while (i < sorted.length && j < fresh.length) {
                merged[k++] = sorted[i] <= fresh[j] ? sorted[i++] : fresh[j++];
            }
            while (i < sorted.length) {
                merged[k++] = sorted[i++];
            }
            while (j < fresh.length) {
                merged[k++] = fresh[j++];
            }
            sorted = merged;
            addedCount = 0;
            if (added.length > MIN_CAPACITY * 64) {
                added = new int[MIN_CAPACITY];
            }
        }
        return new OrderedAddresses(sorted);
    }

    /** A view of the addresses in order, valid until the next {@link #add}. */
    record OrderedAddresses(int[] flipped) {

        /** The position of the first address not below {@code address} (unsigned). */
        int firstAtOrAfter(int address) {
            int key = address ^ Integer.MIN_VALUE;
            int low = 0;
            int high = flipped.length;
            while (low < high) {
                int middle = (low + high) >>> 1;
                if (flipped[middle] < key) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            return low;
        }

        int size() {
            return flipped.length;
        }

        /** The address at {@code position}. */
        int at(int position) {
            return flipped[position] ^ Integer.MIN_VALUE;
        }
    }

    @SuppressWarnings("unchecked")
    private void grow() {
        Object[] bigger = new Object[table.length * 2];
        for (Object slot : table) {
            if (slot != null) {
                insert(bigger, (S) slot);
            }
        }
        table = bigger;
    }

    private void insert(Object[] slots, S slot) {
        int mask = slots.length - 1;
        int i = mix(addressOf.applyAsInt(slot)) & mask;
        while (slots[i] != null) {
            i = (i + 1) & mask;
        }
        slots[i] = slot;
    }

    /** Spreads consecutive addresses over the table (a murmur3 finaliser). */
    static int mix(int value) {
        int h = value * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
