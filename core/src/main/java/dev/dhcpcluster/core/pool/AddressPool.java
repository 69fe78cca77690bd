package dev.dhcpcluster.core.pool;

import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The free/used state of the dynamic addresses of one subnet's pool: its ranges laid end to end in
 * a bitmap, one bit per address, set when the address is in use, and cut into blocks that a node
 * may own.
 *
 * <h2>Blocks and ownership</h2>
 * Each range is cut into blocks of {@link #BLOCK_SIZE} addresses from its first address (the last
 * block of a range may be smaller; see {@link AddressBlock}). Every range starts a new block in
 * the bitmap, so a block is four whole words and never straddles two ranges. In a cluster the
 * leader grants blocks to nodes ({@link #grant}, {@link #withdraw}): {@link #allocate()} hands out
 * only addresses of the blocks this pool's node owns, so that two nodes never give one free
 * address to two new clients. Marking an address used or free ({@link #claim}, {@link #release})
 * works in every block, owned or not, because every node knows every lease, whoever wrote it. A
 * new pool owns all its blocks: a node alone serves the whole pool.
 *
 * <h2>Allocation</h2>
 * Allocation is the hot path: a cursor points just past the last address handed out, and a scan
 * looks for the next owned block with a free address (a count per block lets it skip full and
 * foreign blocks without reading their words), then for the first word of it that is not full,
 * using {@link Long#numberOfTrailingZeros} on the inverted word. Because the cursor only moves
 * forward, addresses released behind it are reused only after it has gone round the whole pool,
 * so a client that comes back after its lease ended usually still finds its old address free.
 * Nothing is allocated per call: addresses go in and out as {@code int}s (network order), with
 * {@link #NONE} for "no address".
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

    /**
     * Addresses in a block: a power of two and a multiple of 64, so that a block is whole words
     * of the bitmap. 256 keeps a /16 pool at 256 blocks, few enough to hand round a cluster, and
     * a small pool (a /24) still one block.
     */
    public static final int BLOCK_SIZE = 256;

    private static final int BLOCK_SHIFT = Integer.numberOfTrailingZeros(BLOCK_SIZE);
    private static final int WORDS_PER_BLOCK = BLOCK_SIZE / Long.SIZE;
    private static final long FULL = -1L;

    /** First address of each merged range, as unsigned numbers, ascending. */
    private final long[] rangeFirst;
    /** Last address of each merged range, as unsigned numbers. */
    private final long[] rangeLast;
    /** Bit index of each range's first address: a multiple of {@link #BLOCK_SIZE}. */
    private final int[] rangeOffset;
    private final long[] used;
    private final long[] excluded;
    /** Free addresses in each block. */
    private final int[] blockFree;
    /** Whether this pool's node owns each block. */
    private final boolean[] owned;
    private final int blockCount;
    private int size;
    private int free;
    /** Free addresses in owned blocks: what {@link #allocate()} can give. */
    private int ownedFree;
    private int ownedBlocks;
    /** The bit index the next scan starts at. */
    private int cursor;

    /**
     * A pool of every address in {@code ranges}, all free, every block owned. Overlapping or
     * adjacent ranges are merged, so each address counts once. {@code 0.0.0.0} is excluded from
     * the start.
     *
     * @throws IllegalArgumentException if the ranges, each rounded up to whole blocks, hold more
     *     than 2^31 - 256 addresses
     */
    public AddressPool(List<AddressRange> ranges) {
        List<long[]> merged = merge(ranges);
        rangeFirst = new long[merged.size()];
        rangeLast = new long[merged.size()];
        rangeOffset = new int[merged.size()];
        long total = 0;
        long addresses = 0;
        for (int i = 0; i < merged.size(); i++) {
            rangeFirst[i] = merged.get(i)[0];
            rangeLast[i] = merged.get(i)[1];
            rangeOffset[i] = (int) total;
            long length = rangeLast[i] - rangeFirst[i] + 1;
            addresses += length;
            // Each range fills whole blocks; the bits past its end are padding, used and excluded.
            total += (length + BLOCK_SIZE - 1) & -BLOCK_SIZE;
            if (total > Integer.MAX_VALUE - BLOCK_SIZE) {
                throw new IllegalArgumentException("a pool holds at most " + (Integer.MAX_VALUE - BLOCK_SIZE)
                        + " addresses, not " + addresses + (addresses == total ? "" : " (" + total + " in whole blocks)"));
            }
        }
        int words = (int) (total / Long.SIZE);
        used = new long[words];
        excluded = new long[words];
        blockCount = (int) (total >>> BLOCK_SHIFT);
        blockFree = new int[blockCount];
        owned = new boolean[blockCount];
        for (int i = 0; i < rangeOffset.length; i++) {
            int length = (int) (rangeLast[i] - rangeFirst[i] + 1);
            int end = rangeOffset[i] + length;
            int padded = (end + BLOCK_SIZE - 1) & -BLOCK_SIZE;
            for (int index = end; index < padded; index++) {
                used[index >>> 6] |= 1L << index;
                excluded[index >>> 6] |= 1L << index;
            }
            for (int block = rangeOffset[i] >>> BLOCK_SHIFT; block < padded >>> BLOCK_SHIFT; block++) {
                blockFree[block] = Math.min(BLOCK_SIZE, end - (block << BLOCK_SHIFT));
            }
        }
        size = (int) addresses;
        free = size;
        ownedFree = size;
        ownedBlocks = blockCount;
        Arrays.fill(owned, true);
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
     * Takes a free address of an owned block: the first one at or after the cursor, wrapping round.
     *
     * @return the address (network order), or {@link #NONE} if every address of every owned block
     *     is in use, even if blocks this pool does not own have free addresses
     */
    public int allocate() {
        if (ownedFree == 0) {
            return NONE;
        }
        int block = cursor >>> BLOCK_SHIFT;
        int word = cursor >>> 6;
        long candidates = 0;
        if (owned[block] && blockFree[block] != 0) {
            // Only the bits at or after the cursor; the ones before it in this block come last,
            // when the scan has gone all the way round.
            candidates = ~used[word] & (FULL << cursor);
            int blockEnd = (block + 1) * WORDS_PER_BLOCK;
            while (candidates == 0 && ++word < blockEnd) {
                candidates = ~used[word];
            }
        }
        // ownedFree > 0 guarantees an owned block with a free address within one lap, and a
        // block's free count guarantees a free bit in its words.
        while (candidates == 0) {
            block = block + 1 == blockCount ? 0 : block + 1;
            if (!owned[block] || blockFree[block] == 0) {
                continue;
            }
            word = block * WORDS_PER_BLOCK;
            candidates = ~used[word];
            while (candidates == 0) {
                candidates = ~used[++word];
            }
        }
        int bit = Long.numberOfTrailingZeros(candidates);
        used[word] |= 1L << bit;
        free--;
        ownedFree--;
        blockFree[block]--;
        int index = word * Long.SIZE + bit;
        cursor = index + 1 == blockCount * BLOCK_SIZE ? 0 : index + 1;
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
        taken(index);
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
        int block = index >>> BLOCK_SHIFT;
        free++;
        blockFree[block]++;
        if (owned[block]) {
            ownedFree++;
        }
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
            taken(index);
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

    /** How many of them are free now, in owned blocks or not. */
    public int freeCount() {
        return free;
    }

    /** Counts the address at {@code index}, free until now, as used. */
    private void taken(int index) {
        int block = index >>> BLOCK_SHIFT;
        free--;
        blockFree[block]--;
        if (owned[block]) {
            ownedFree--;
        }
    }

    /** The blocks of the pool, in address order. */
    public List<AddressBlock> blocks() {
        List<AddressBlock> all = new ArrayList<>(blockCount);
        for (int block = 0; block < blockCount; block++) {
            all.add(block(block));
        }
        return all;
    }

    /** The blocks this pool owns, in address order. */
    public List<AddressBlock> ownedBlocks() {
        List<AddressBlock> list = new ArrayList<>(ownedBlocks);
        for (int block = 0; block < blockCount; block++) {
            if (owned[block]) {
                list.add(block(block));
            }
        }
        return list;
    }

    /** How many blocks the pool has. */
    public int blockCount() {
        return blockCount;
    }

    /** How many of them this pool owns. */
    public int ownedBlockCount() {
        return ownedBlocks;
    }

    /** The block that holds {@code address} (excluded or not), or empty if the address lies in no range of the pool. */
    public Optional<AddressBlock> blockOf(Ipv4Address address) {
        int index = rawIndexOf(address.value());
        return index < 0 ? Optional.empty() : Optional.of(block(index >>> BLOCK_SHIFT));
    }

    /**
     * Makes {@code block} this pool's own: its free addresses may be given to new clients. Granting
     * a block already owned changes nothing.
     *
     * @return true if the block was not owned and now is
     * @throws IllegalArgumentException if {@code block} is not one of this pool's {@link #blocks()}
     */
    public boolean grant(AddressBlock block) {
        int index = blockIndex(block);
        if (owned[index]) {
            return false;
        }
        owned[index] = true;
        ownedBlocks++;
        ownedFree += blockFree[index];
        return true;
    }

    /**
     * Takes {@code block} from this pool's node: its free addresses are no longer given to new
     * clients. The addresses in use in it stay in use, and are still claimed and released as their
     * leases change.
     *
     * @return true if the block was owned and no longer is
     * @throws IllegalArgumentException if {@code block} is not one of this pool's {@link #blocks()}
     */
    public boolean withdraw(AddressBlock block) {
        int index = blockIndex(block);
        if (!owned[index]) {
            return false;
        }
        owned[index] = false;
        ownedBlocks--;
        ownedFree -= blockFree[index];
        return true;
    }

    /**
     * True if this pool owns {@code block}.
     *
     * @throws IllegalArgumentException if {@code block} is not one of this pool's {@link #blocks()}
     */
    public boolean owns(AddressBlock block) {
        return owned[blockIndex(block)];
    }

    /**
     * How many addresses of {@code block} are free now, owned or not.
     *
     * @throws IllegalArgumentException if {@code block} is not one of this pool's {@link #blocks()}
     */
    public int freeCount(AddressBlock block) {
        return blockFree[blockIndex(block)];
    }

    /** How many addresses of the owned blocks are free now: how many new clients {@link #allocate()} can serve. */
    public int ownedFreeCount() {
        return ownedFree;
    }

    /** The index of one of this pool's blocks. */
    private int blockIndex(AddressBlock block) {
        int index = rawIndexOf(block.first().value());
        if (index < 0 || (index & (BLOCK_SIZE - 1)) != 0 || !block(index >>> BLOCK_SHIFT).equals(block)) {
            throw new IllegalArgumentException("block " + block + " is not a block of this pool");
        }
        return index >>> BLOCK_SHIFT;
    }

    /** The block at {@code index}: from its first bit to the last bit of it inside its range. */
    private AddressBlock block(int index) {
        int firstBit = index << BLOCK_SHIFT;
        int range = rangeOf(firstBit);
        long first = rangeFirst[range] + (firstBit - rangeOffset[range]);
        long last = Math.min(rangeLast[range], first + BLOCK_SIZE - 1);
        return new AddressBlock(Ipv4Address.of((int) first), Ipv4Address.of((int) last));
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
        int range = rangeOf(index);
        return (int) (rangeFirst[range] + (index - rangeOffset[range]));
    }

    /** The range whose bits (padding included) hold bit {@code index}. */
    private int rangeOf(int index) {
        int range = Arrays.binarySearch(rangeOffset, index);
        return range < 0 ? -range - 2 : range;
    }
}
