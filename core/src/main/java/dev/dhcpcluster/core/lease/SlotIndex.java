package dev.dhcpcluster.core.lease;

import java.util.Arrays;

/**
 * The lease table's slots by address, and each slot's address: slots are numbered from 0 in the
 * order their addresses are first used, {@link #addressOf} is the address column, and an
 * open-addressing hash table of slot numbers finds a slot by its address. No object and no boxed
 * key per slot: about 12 bytes a slot with the addresses in order (below). It also keeps the
 * addresses in order, for operators' queries. Slots are added, never removed (a slot stays once
 * its address has been used). Not thread-safe.
 */
final class SlotIndex {

    /** What {@link #get} returns for an address that has no slot. */
    static final int NONE = -1;

    private static final int MIN_CAPACITY = 16;

    /** Slot numbers plus one, by mixed address; 0 marks an empty entry. A power of two in size. */
    private int[] table = new int[MIN_CAPACITY];
    /** The address of each slot, network order. */
    private int[] addresses = new int[MIN_CAPACITY];
    private int size;
    /** Every address, in unsigned order, stored with its sign bit flipped so that a signed sort orders them. */
    private int[] sorted = new int[0];
    /** How many of the newest slots' addresses {@link #sorted} does not hold yet (slots {@code size - unsorted} on). */
    private int unsorted;

    /** The slot of {@code address}, or {@link #NONE}. */
    int get(int address) {
        int[] entries = table;
        int[] known = addresses;
        int mask = entries.length - 1;
        for (int i = mix(address) & mask; ; i = (i + 1) & mask) {
            int entry = entries[i];
            if (entry == 0) {
                return NONE;
            }
            if (known[entry - 1] == address) {
                return entry - 1;
            }
        }
    }

    /** Adds a slot for an address that has none yet; returns its number, the previous {@link #size()}. */
    int add(int address) {
        if (size + 1 > table.length * 3L / 4) {
            rehash(table.length * 2);
        }
        if (size == addresses.length) {
            addresses = Arrays.copyOf(addresses, addresses.length * 2);
        }
        int slot = size++;
        addresses[slot] = address;
        insert(table, address, slot);
        unsorted++;
        return slot;
    }

    /**
     * Makes room for {@code slots} slots in all, so that adding up to that many copies no array:
     * a load that knows how many leases come sizes the index once.
     */
    void ensureCapacity(int slots) {
        if (addresses.length < slots) {
            addresses = Arrays.copyOf(addresses, slots);
        }
        int capacity = table.length;
        while (slots > capacity * 3L / 4) {
            capacity *= 2;
        }
        if (capacity != table.length) {
            rehash(capacity);
        }
    }

    /** The address of slot {@code slot}. */
    int addressOf(int slot) {
        return addresses[slot];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /**
     * The addresses in unsigned order, sorted now if slots were added since the last call: a
     * query after a burst of new addresses pays one merge, the hot path nothing.
     */
    OrderedAddresses ordered() {
        if (unsorted > 0) {
            int[] fresh = new int[unsorted];
            for (int i = 0; i < unsorted; i++) {
                fresh[i] = addresses[size - unsorted + i] ^ Integer.MIN_VALUE;
            }
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
            unsorted = 0;
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

    private void rehash(int capacity) {
        int[] bigger = new int[capacity];
        for (int slot = 0; slot < size; slot++) {
            insert(bigger, addresses[slot], slot);
        }
        table = bigger;
    }

    private static void insert(int[] entries, int address, int slot) {
        int mask = entries.length - 1;
        int i = mix(address) & mask;
        while (entries[i] != 0) {
            i = (i + 1) & mask;
        }
        entries[i] = slot + 1;
    }

    /** Spreads consecutive addresses over the table (a murmur3 finaliser). */
    static int mix(int value) {
        int h = value * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
