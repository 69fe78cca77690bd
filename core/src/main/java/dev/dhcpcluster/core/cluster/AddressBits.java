package dev.dhcpcluster.core.cluster;

import java.util.function.IntConsumer;

/**
 * A few bits per address, for as many addresses as a cluster holds leases of, with no object per
 * address: an open-addressing table of the addresses and a {@code long[]} of their bits, each
 * address's bits in {@code words} consecutive longs. Addresses are added, never removed. Not
 * thread-safe.
 */
final class AddressBits {

    private static final int MIN_CAPACITY = 16;

    private final int bits;
    private final int words;
    private int[] addresses = new int[MIN_CAPACITY];
    /** Per slot, its words; bit 0 of the first word marks a slot in use. */
    private long[] values;
    private int size;

    /** A table of {@code bits} bits per address, numbered from 0. */
    AddressBits(int bits) {
        if (bits < 1) {
            throw new IllegalArgumentException("at least one bit per address, not " + bits);
        }
        this.bits = bits;
        this.words = (bits + 1 + 63) >>> 6;
        this.values = new long[MIN_CAPACITY * words];
    }

    /** How many addresses have a bit set. */
    int size() {
        return size;
    }

    /** Sets bit {@code bit} of {@code address}, adding the address if needed. */
    void set(int address, int bit) {
        checkBit(bit);
        int slot = slotOf(address, true);
        int position = bit + 1;
        values[slot * words + (position >>> 6)] |= 1L << (position & 63);
    }

    /** True if bit {@code bit} of {@code address} is set; false for an address not here. */
    boolean get(int address, int bit) {
        checkBit(bit);
        int slot = slotOf(address, false);
        int position = bit + 1;
        return slot >= 0 && (values[slot * words + (position >>> 6)] & 1L << (position & 63)) != 0;
    }

    /** Every address here, in no particular order. */
    void forEach(IntConsumer action) {
        for (int slot = 0; slot < addresses.length; slot++) {
            if (inUse(slot)) {
                action.accept(addresses[slot]);
            }
        }
    }

    private void checkBit(int bit) {
        if (bit < 0 || bit >= bits) {
            throw new IndexOutOfBoundsException("bit " + bit + " of " + bits);
        }
    }

    private boolean inUse(int slot) {
        return (values[slot * words] & 1L) != 0;
    }

    /** The slot of {@code address}, added there if {@code add}; -1 if it is not here and not added. */
    private int slotOf(int address, boolean add) {
        int mask = addresses.length - 1;
        int slot = mix(address) & mask;
        while (inUse(slot)) {
            if (addresses[slot] == address) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        if (!add) {
            return -1;
        }
        if (size + 1 > addresses.length * 3L / 4) {
            grow();
            return slotOf(address, true);
        }
        addresses[slot] = address;
        values[slot * words] = 1L;
        size++;
        return slot;
    }

    private void grow() {
        int[] oldAddresses = addresses;
        long[] oldValues = values;
        addresses = new int[oldAddresses.length * 2];
        values = new long[addresses.length * words];
        int mask = addresses.length - 1;
        for (int old = 0; old < oldAddresses.length; old++) {
            if ((oldValues[old * words] & 1L) != 0) {
                int slot = mix(oldAddresses[old]) & mask;
                while (inUse(slot)) {
                    slot = (slot + 1) & mask;
                }
                addresses[slot] = oldAddresses[old];
                System.arraycopy(oldValues, old * words, values, slot * words, words);
            }
        }
    }

    /** Consecutive addresses, the common case, spread over the table. */
    private static int mix(int address) {
        int h = address * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
