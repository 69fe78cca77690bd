package dev.dhcpcluster.core.pool;

import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The free/used state of the dynamic addresses of one subnet: its ranges laid end to end in a
 * bitmap, one bit per address, set when the address is in use.
 *
 * <p>Allocation is the hot path: a cursor points just past the last address handed out, and a
 * scan looks for the next word that is not full, using {@link Long#numberOfTrailingZeros} on the
 * inverted word. Because the cursor only moves forward, addresses released behind it are reused
 * only after it has gone round the whole pool, so a client that comes back after its lease ended
 * usually still finds its old address free. Nothing is allocated per call: addresses go in and out
 * as {@code int}s (network order), with {@link #NONE} for "no address".
 *
 * <p>Some addresses inside the ranges are never handed out: those given to {@link #exclude} (the
 * network and broadcast address, the routers, the server's own address, reserved addresses). They
 * count neither in {@link #size()} nor in {@link #freeCount()}, and {@link #claim} and
 * {@link #release} leave them alone.
 *
 * <p>Not thread-safe: the server's single thread owns it.
 */
public final class AddressPool {

    /** Returned by {@link #allocate()} when the pool has no free address; {@code 0.0.0.0} is never in a pool. */
    public static final int NONE = 0;

    private static final long FULL = -1L;

    /** First address of each merged range, as unsigned numbers, ascending. */
    private final long[] rangeFirst;
    /** Last address of each merged range, as unsigned numbers. */
    private final long[] rangeLast;
    /** Bit index of each range's first address. */
    private final int[] rangeOffset;
    private final int bits;
    private final long[] used;
    private final long[] excluded;
    private int size;
    private int free;
    /** The bit index the next scan starts at. */
    private int cursor;

    /**
     * A pool of every address in {@code ranges}, all free. Overlapping or adjacent ranges are
     * merged, so each address counts once. {@code 0.0.0.0} is excluded from the start.
     *
     * @throws IllegalArgumentException if the ranges hold more than 2^31 - 64 addresses
     */
    public AddressPool(List<AddressRange> ranges) {
        List<long[]> merged = merge(ranges);
        rangeFirst = new long[merged.size()];
        rangeLast = new long[merged.size()];
        rangeOffset = new int[merged.size()];
        long total = 0;
        for (int i = 0; i < merged.size(); i++) {
            rangeFirst[i] = merged.get(i)[0];
            rangeLast[i] = merged.get(i)[1];
            rangeOffset[i] = (int) total;
            total += rangeLast[i] - rangeFirst[i] + 1;
            if (total > Integer.MAX_VALUE - Long.SIZE) {
                throw new IllegalArgumentException("a pool holds at most " + (Integer.MAX_VALUE - Long.SIZE)
                        + " addresses, not " + total);
            }
        }
        bits = (int) total;
        int words = (bits + Long.SIZE - 1) / Long.SIZE;
        used = new long[words];
        excluded = new long[words];
        size = bits;
        free = bits;
        // The unused tail of the last word is marked used and excluded, so scans never return it.
        int tail = bits % Long.SIZE;
        if (tail != 0) {
            long pastEnd = FULL << tail;
            used[words - 1] |= pastEnd;
            excluded[words - 1] |= pastEnd;
        }
        exclude(NONE);
    }

    private static List<long[]> merge(List<AddressRange> ranges) {
        List<AddressRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparing(AddressRange::first));
        List<long[]> merged = new ArrayList<>();
        for (AddressRange range : sorted) {
            long first = range.first().toUnsignedLong();
            long last = range.last().toUnsignedLong();
            if (!merged.isEmpty() && first <= merged.get(merged.size() - 1)[1] + 1) {
                long[] previous = merged.get(merged.size() - 1);
                previous[1] = Math.max(previous[1], last);
            } else {
                merged.add(new long[] {first, last});
            }
        }
        return merged;
    }

    /**
     * Takes a free address: the first free one at or after the cursor, wrapping round.
     *
     * @return the address (network order), or {@link #NONE} if every address is in use
     */
    public int allocate() {
        if (free == 0) {
            return NONE;
        }
        int words = used.length;
        int word = cursor >>> 6;
        // Only the bits at or after the cursor in its own word; the ones before it come last,
        // when the scan has gone all the way round. free > 0 guarantees the loop ends within one lap.
        long candidates = ~used[word] & (FULL << cursor);
        while (candidates == 0) {
            word = word + 1 == words ? 0 : word + 1;
            candidates = ~used[word];
        }
        int bit = Long.numberOfTrailingZeros(candidates);
        used[word] |= 1L << bit;
        free--;
        int index = word * Long.SIZE + bit;
        cursor = index + 1 == words * Long.SIZE ? 0 : index + 1;
        return addressAt(index);
    }

    /**
     * Marks one particular address used, if it is a free address of this pool.
     *
     * @return true if the address was free and is now used; false if it is in use, excluded, or
     *     not in the pool
     */
    public boolean claim(int address) {
        int index = indexOf(address);
        if (index < 0) {
            return false;
        }
        long mask = 1L << index;
        int word = index >>> 6;
        if ((used[word] & mask) != 0) {
            return false;
        }
        used[word] |= mask;
        free--;
        return true;
    }

    /** {@link #claim(int)} for an {@link Ipv4Address}. */
    public boolean claim(Ipv4Address address) {
        return claim(address.value());
    }

    /**
     * Makes an address free again.
     *
     * @return true if it was in use and is now free; false if it was free, excluded, or not in the pool
     */
    public boolean release(int address) {
        int index = indexOf(address);
        if (index < 0) {
            return false;
        }
        long mask = 1L << index;
        int word = index >>> 6;
        if ((used[word] & mask) == 0 || (excluded[word] & mask) != 0) {
            return false;
        }
        used[word] &= ~mask;
        free++;
        return true;
    }

    /** {@link #release(int)} for an {@link Ipv4Address}. */
    public boolean release(Ipv4Address address) {
        return release(address.value());
    }

    /** True if the address belongs to this pool and is free. */
    public boolean isFree(int address) {
        int index = indexOf(address);
        return index >= 0 && (used[index >>> 6] & (1L << index)) == 0;
    }

    /** {@link #isFree(int)} for an {@link Ipv4Address}. */
    public boolean isFree(Ipv4Address address) {
        return isFree(address.value());
    }

    /** True if the pool hands out this address: it lies in a range and is not excluded. */
    public boolean contains(int address) {
        int index = indexOf(address);
        return index >= 0 && (excluded[index >>> 6] & (1L << index)) == 0;
    }

    /** {@link #contains(int)} for an {@link Ipv4Address}. */
    public boolean contains(Ipv4Address address) {
        return contains(address.value());
    }

    /**
     * Takes an address out of the pool for good: it is never allocated, claimed or released
     * again. An address outside the ranges, or already excluded, is ignored.
     *
     * @return true if the address was in the pool and is now excluded
     */
    public boolean exclude(int address) {
        int index = rawIndexOf(address);
        if (index < 0) {
            return false;
        }
        long mask = 1L << index;
        int word = index >>> 6;
        if ((excluded[word] & mask) != 0) {
            return false;
        }
        excluded[word] |= mask;
        if ((used[word] & mask) == 0) {
            used[word] |= mask;
            free--;
        }
        size--;
        return true;
    }

    /** {@link #exclude(int)} for an {@link Ipv4Address}. */
    public boolean exclude(Ipv4Address address) {
        return exclude(address.value());
    }

    /** How many addresses the pool hands out (its ranges less the excluded addresses). */
    public int size() {
        return size;
    }

    /** How many of them are free now. */
    public int freeCount() {
        return free;
    }

    /** Bit index of an address in the ranges (excluded or not), -1 outside them. */
    private int rawIndexOf(int address) {
        long value = Integer.toUnsignedLong(address);
        int range = Arrays.binarySearch(rangeFirst, value);
        if (range < 0) {
            // Not a range's first address: it can only be in the range that starts before it.
            range = -range - 2;
            if (range < 0 || value > rangeLast[range]) {
                return -1;
            }
        }
        return rangeOffset[range] + (int) (value - rangeFirst[range]);
    }

    /** Bit index of an address the pool may hand out, -1 for an excluded one or one outside the ranges. */
    private int indexOf(int address) {
        int index = rawIndexOf(address);
        if (index < 0 || (excluded[index >>> 6] & (1L << index)) != 0) {
            return -1;
        }
        return index;
    }

    private int addressAt(int index) {
        int range = Arrays.binarySearch(rangeOffset, index);
        if (range < 0) {
            range = -range - 2;
        }
        return (int) (rangeFirst[range] + (index - rangeOffset[range]));
    }
}
