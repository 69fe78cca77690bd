package dev.dhcpcluster.core.cluster;

import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.HostNameSent;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.model.PackedClientKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One lease per address, the last one put, kept as packed primitives so that a million of them
 * cost no object each: a cluster member's replica of every lease it wrote, which its replication
 * reads by address and its snapshot pages read in address order. {@link Lease} values are built
 * when asked for, and are equal to the leases put.
 *
 * <p>Each address has a row, added at its first lease and never removed: its address, its client
 * key packed in a {@code long} ({@link PackedClientKey}), its expiry in epoch milliseconds, and its
 * state and version packed in one {@code long} (counter below 2<sup>32</sup>, epoch below
 * 2<sup>22</sup>, writer id below 256: any real cluster's). Whatever a lease has beyond that (a
 * client key too long to pack, a hardware address the key does not carry, host names, an expiry
 * finer than a millisecond, a version too large) goes into a small side record for that lease
 * alone; the host names are the very objects of the lease put, so a table that holds the same
 * lease shares them, and a lease whose only extra is its host names keeps a smaller record.
 * The rows live in chunks of {@value #CHUNK} so that growing copies no column; an open-addressing
 * table of row numbers finds a row by address; and the order for {@link #after} is a sorted
 * {@code int[]} of the addresses, made at its first use and brought up to date by a merge when
 * addresses were added since. About 40 bytes an address (44 once pages were read), 24 more for one
 * with a host name.
 *
 * <p>Not thread-safe.
 */
final class NewestLeases {

    private static final int CHUNK_BITS = 12;
    static final int CHUNK = 1 << CHUNK_BITS;
    private static final int MIN_INDEX = 16;
    /** Leases built lately, by a hash of their address: the replication reads a lease just written again and again. */
    private static final int RECENT = 1024;

    /** What a key of more than seven octets packs to: a packed key is never 0. */
    private static final long NO_KEY = PackedClientKey.NONE;
    private static final LeaseState[] STATES = LeaseState.values();
    private static final long COUNTER_LIMIT = 1L << 32;
    private static final long EPOCH_LIMIT = 1L << 22;
    private static final int WRITER_LIMIT = 1 << 8;
    /**
     * {@link Chunk#version} of a row whose version {@link Extra#version} holds, its state aside:
     * writer 0, which no node id is.
     */
    private static final long VERSION_APART = 0;
    private static final long STATE_BITS = 3L << 62;

    private Chunk[] chunks = new Chunk[4];
    private int rows;
    /** Row + 1 of each address, by {@link #mix} of the address; 0 is empty. */
    private int[] index = new int[MIN_INDEX];
    /**
     * The address of every row below {@link #orderedRows}, in unsigned order, sign bit flipped (so
     * that a signed sort orders them); null until {@link #after} is first used.
     */
    private int[] ordered;
    private int orderedRows;
    private final Lease[] recent = new Lease[RECENT];

    /** The rows of {@link #CHUNK} addresses: one column per field. */
    private static final class Chunk {
        final int[] address = new int[CHUNK];
        /** The client key packed, or {@link #NO_KEY} if {@link #extra} holds it. */
        final long[] client = new long[CHUNK];
        /** Epoch milliseconds, floored. */
        final long[] expiry = new long[CHUNK];
        /** State (bits 62-63), writer (54-61), epoch (32-53), counter (0-31); see {@link #VERSION_APART}. */
        final long[] version = new long[CHUNK];
        /** Null, {@link Names} or {@link Extra}: what the row's lease has beyond its columns. */
        final Object[] extra = new Object[CHUNK];
    }

    /**
     * The host names of a lease that has nothing else beyond its columns: most clients name
     * themselves, so this is the common extra, kept in 24 bytes rather than {@link Extra}'s 40.
     * A field is null when the lease has no such name.
     */
    private record Names(String hostname, HostNameSent hostnameSent) {
    }

    /**
     * What a lease has beyond the packed common case: each field null when the row's columns hold
     * it (the host names when the lease has none).
     */
    private record Extra(ClientKey key, HardwareAddress hardware, String hostname, HostNameSent hostnameSent,
            Instant exactExpiry, LeaseVersion version) {
    }

    /** How many addresses have a lease. */
    int size() {
        return rows;
    }

    /** The last lease put of {@code address}, if any. */
    Optional<Lease> get(Ipv4Address address) {
        int value = address.value();
        int slot = recentSlot(value);
        Lease known = recent[slot];
        if (known != null && known.address().value() == value) {
            return Optional.of(known);
        }
        int row = rowOf(value);
        if (row < 0) {
            return Optional.empty();
        }
        Lease lease = lease(row);
        recent[slot] = lease;
        return Optional.of(lease);
    }

    /** The version of the last lease put of {@code address}, if any, without building the lease. */
    Optional<LeaseVersion> version(Ipv4Address address) {
        int value = address.value();
        Lease known = recent[recentSlot(value)];
        if (known != null && known.address().value() == value) {
            return Optional.of(known.version());
        }
        int row = rowOf(value);
        return row < 0 ? Optional.empty() : Optional.of(version(row));
    }

    /** Keeps {@code lease} as its address's lease, whatever the one before. */
    void put(Lease lease) {
        Objects.requireNonNull(lease, "lease");
        int value = lease.address().value();
        int row = rowOf(value);
        if (row < 0) {
            row = add(value);
        }
        store(row, lease);
        recent[recentSlot(value)] = lease;
    }

    /**
     * Keeps {@code lease} unless its address has a lease of a higher version already: what a store
     * holding two leases of one address would keep.
     */
    void putIfNewer(Lease lease) {
        int row = rowOf(lease.address().value());
        if (row < 0 || lease.version().isAfter(version(row))) {
            put(lease);
        }
    }

    /**
     * At most {@code limit} leases, in unsigned address order, of the addresses above {@code after}
     * (all of them if empty).
     */
    List<Lease> after(Optional<Ipv4Address> after, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("a page holds at least no lease, not " + limit);
        }
        int[] order = ordered();
        int from = after.isPresent() ? firstAbove(order, after.get().value() ^ Integer.MIN_VALUE) : 0;
        int to = (int) Math.min(order.length, (long) from + limit);
        List<Lease> page = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            page.add(lease(rowOf(order[i] ^ Integer.MIN_VALUE)));
        }
        return page;
    }

    private static int firstAbove(int[] order, int flipped) {
        int low = 0;
        int high = order.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (order[middle] <= flipped) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** Every address in order, merged now with the addresses added since the last call. */
    private int[] ordered() {
        if (ordered != null && orderedRows == rows) {
            return ordered;
        }
        int[] known = ordered == null ? new int[0] : ordered;
        int[] added = new int[rows - orderedRows];
        for (int row = orderedRows; row < rows; row++) {
            added[row - orderedRows] = address(row) ^ Integer.MIN_VALUE;
        }
        Arrays.sort(added);
        int[] merged = new int[known.length + added.length];
        int k = 0;
        int a = 0;
        for (int m = 0; m < merged.length; m++) {
            merged[m] = a == added.length || (k < known.length && known[k] < added[a]) ? known[k++] : added[a++];
        }
        ordered = merged;
        orderedRows = rows;
        return merged;
    }

    private int add(int address) {
        if (rows + 1 > index.length * 3L / 4) {
            growIndex();
        }
        int row = rows;
        int chunk = row >>> CHUNK_BITS;
        if (chunk == chunks.length) {
            chunks = Arrays.copyOf(chunks, chunks.length * 2);
        }
        if (chunks[chunk] == null) {
            chunks[chunk] = new Chunk();
        }
        chunks[chunk].address[row & (CHUNK - 1)] = address;
        rows++;
        insert(index, address, row);
        return row;
    }

    private void growIndex() {
        int[] bigger = new int[index.length * 2];
        for (int entry : index) {
            if (entry != 0) {
                insert(bigger, address(entry - 1), entry - 1);
            }
        }
        index = bigger;
    }

    private static void insert(int[] table, int address, int row) {
        int mask = table.length - 1;
        int i = mix(address) & mask;
        while (table[i] != 0) {
            i = (i + 1) & mask;
        }
        table[i] = row + 1;
    }

    /** The row of {@code address}, or -1. */
    private int rowOf(int address) {
        int[] table = index;
        int mask = table.length - 1;
        for (int i = mix(address) & mask; ; i = (i + 1) & mask) {
            int entry = table[i];
            if (entry == 0) {
                return -1;
            }
            if (address(entry - 1) == address) {
                return entry - 1;
            }
        }
    }

    /** Consecutive addresses, the common case, spread over the table. */
    private static int mix(int address) {
        int h = address * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    private static int recentSlot(int address) {
        return mix(address) & (RECENT - 1);
    }

    private int address(int row) {
        return chunks[row >>> CHUNK_BITS].address[row & (CHUNK - 1)];
    }

    private void store(int row, Lease lease) {
        Chunk chunk = chunks[row >>> CHUNK_BITS];
        int at = row & (CHUNK - 1);
        long packed = PackedClientKey.pack(lease.clientKey());
        HardwareAddress hardware = lease.hardwareAddress();
        boolean keyCarriesHardware = packed != NO_KEY && PackedClientKey.carriesHardware(packed, hardware);
        Instant expiry = lease.expiry();
        long expiryMillis = millis(expiry);
        boolean exactMillis = expiry.getNano() % 1_000_000 == 0 && expiryMillis != Long.MIN_VALUE
                && expiryMillis != Long.MAX_VALUE;
        LeaseVersion version = lease.version();
        boolean versionPacks = version.counter() < COUNTER_LIMIT && version.epoch() < EPOCH_LIMIT
                && version.writer().value() < WRITER_LIMIT;
        long state = (long) lease.state().ordinal() << 62;
        chunk.client[at] = packed;
        chunk.expiry[at] = expiryMillis;
        chunk.version[at] = state | (versionPacks ? (long) version.writer().value() << 54 | version.epoch() << 32
                | version.counter() : VERSION_APART);
        boolean named = lease.hostname().isPresent() || lease.hostnameSent().isPresent();
        if (packed != NO_KEY && keyCarriesHardware && exactMillis && versionPacks) {
            chunk.extra[at] = named
                    ? new Names(lease.hostname().orElse(null), lease.hostnameSent().orElse(null)) : null;
        } else {
            chunk.extra[at] = new Extra(packed == NO_KEY ? lease.clientKey() : null,
                    keyCarriesHardware ? null : hardware, lease.hostname().orElse(null),
                    lease.hostnameSent().orElse(null), exactMillis ? null : expiry, versionPacks ? null : version);
        }
    }

    private static long millis(Instant instant) {
        try {
            return instant.toEpochMilli();
        } catch (ArithmeticException e) {
            // Out of a long's milliseconds: the caller keeps the exact instant apart.
            return instant.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private LeaseVersion version(int row) {
        Chunk chunk = chunks[row >>> CHUNK_BITS];
        int at = row & (CHUNK - 1);
        long packed = chunk.version[at] & ~STATE_BITS;
        if (packed == VERSION_APART) {
            return ((Extra) chunk.extra[at]).version();
        }
        return new LeaseVersion(packed >>> 32 & (EPOCH_LIMIT - 1), packed & (COUNTER_LIMIT - 1),
                new NodeId((int) (packed >>> 54)));
    }

    private Lease lease(int row) {
        Chunk chunk = chunks[row >>> CHUNK_BITS];
        int at = row & (CHUNK - 1);
        Object extra = chunk.extra[at];
        long client = chunk.client[at];
        LeaseState state = STATES[(int) (chunk.version[at] >>> 62)];
        if (!(extra instanceof Extra more)) {
            Names names = (Names) extra;
            return new Lease(Ipv4Address.of(chunk.address[at]), PackedClientKey.unpack(client),
                    PackedClientKey.hardwareOf(client), Optional.ofNullable(names == null ? null : names.hostname()),
                    state, Instant.ofEpochMilli(chunk.expiry[at]), version(row),
                    Optional.ofNullable(names == null ? null : names.hostnameSent()));
        }
        ClientKey key = client != NO_KEY ? PackedClientKey.unpack(client) : more.key();
        HardwareAddress hardware = more.hardware() != null ? more.hardware() : PackedClientKey.hardwareOf(client);
        Instant expiry = more.exactExpiry() != null ? more.exactExpiry() : Instant.ofEpochMilli(chunk.expiry[at]);
        return new Lease(Ipv4Address.of(chunk.address[at]), key, hardware, Optional.ofNullable(more.hostname()), state,
                expiry, version(row), Optional.ofNullable(more.hostnameSent()));
    }

    @Override
    public String toString() {
        return "NewestLeases[" + rows + " addresses]";
    }
}
