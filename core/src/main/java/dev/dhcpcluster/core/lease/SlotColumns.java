package dev.dhcpcluster.core.lease;

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
import java.util.Arrays;
import java.util.Optional;

/**
 * What the lease table knows of each address it has used, as a struct of arrays: a slot is an
 * {@code int}, the number {@link SlotIndex} gave its address, and each of its fields is an element
 * of one primitive array (a column). The newest lease of the address is kept as numbers rather
 * than as a {@link Lease} (its state, its expiry in epoch milliseconds, its version's parts, its
 * client key packed into a {@code long}), with the holds on the address beside it.
 *
 * <p>Why columns and not one object per slot: a node holds up to millions of leases, and objects
 * that live as long as leases do are what a garbage collector pays for, copying each out of the
 * young generation, tracing and card-marking it. Primitive arrays hold no reference to trace, a
 * slot costs only its bytes (about 60, against 88 for the object it replaced plus the indexes'
 * references to it), and a table told how many leases come ({@link #ensureCapacity}) allocates
 * each column once. Only the rare parts of a lease (a long client key, a hardware address its key
 * does not carry, host names, an expiry finer than a millisecond) are objects, in one reference
 * column; what only a few slots have at a time (a pending offer, a grace) is kept apart for those
 * slots ({@link SparseSlots}).
 *
 * <p>The columns grow by doubling; the fields are read and written by the lease table directly
 * ({@code slots.expiry[slot]}), always through this object, since a growth replaces the arrays.
 * Not thread-safe.
 */
final class SlotColumns {

    /** {@link #queuedAt} of a slot with no entry in the expiry queue; also "no end" for {@link #nextEnd}. */
    static final long NOT_QUEUED = Long.MAX_VALUE;
    /** {@link #state} of a slot whose address has only ever been offered. */
    static final byte NO_LEASE = -1;
    /** {@link #epoch} of a lease whose epoch does not fit in an int: {@link Extra#epoch} holds it. */
    private static final int LONG_EPOCH = -1;
    /** {@link #counter} of a lease whose counter does not fit in an int: {@link Extra#counter} holds it. */
    private static final int LONG_COUNTER = -1;
    private static final LeaseState[] STATES = LeaseState.values();
    private static final byte BOUND = (byte) LeaseState.BOUND.ordinal();
    private static final int MIN_CAPACITY = 16;

    /** The slots by address, and each slot's address. */
    final SlotIndex index = new SlotIndex();
    private final ServedSubnet[] subnets;

    /** The index in {@link #subnets} of the subnet that serves the slot's address. */
    int[] subnet = new int[MIN_CAPACITY];
    /**
     * The index of the pool whose range holds the slot's address, or -1 ({@link ServedSubnet#poolRangeOf}):
     * fixed for the life of the subnet, so looked up once, when the slot is added.
     */
    int[] poolRange = new int[MIN_CAPACITY];
    /** The ordinal of the state of the newest lease of the address, or {@link #NO_LEASE}. */
    byte[] state = new byte[MIN_CAPACITY];
    /** 1 while the lease is bound or declined and not yet past its expiry (as last settled), else 0. */
    byte[] leaseHolds = new byte[MIN_CAPACITY];
    /** The lease's client key packed ({@link PackedClientKey}), or {@link PackedClientKey#NONE} if {@link #extra} holds it. */
    long[] client = new long[MIN_CAPACITY];
    /** The lease's expiry in epoch milliseconds (floored, as {@link Instant#toEpochMilli}). */
    long[] expiry = new long[MIN_CAPACITY];
    /** The version's epoch, or {@link #LONG_EPOCH} (elections would need billions of terms to get there). */
    int[] epoch = new int[MIN_CAPACITY];
    /** The version's counter, or {@link #LONG_COUNTER} ({@link Extra#counter} holds it: two billion changes of one address). */
    int[] counter = new int[MIN_CAPACITY];
    int[] writer = new int[MIN_CAPACITY];
    /** The time of the slot's live entry in the expiry queue, or {@link #NOT_QUEUED}. */
    long[] queuedAt = new long[MIN_CAPACITY];
    /** What the lease has beyond the common case, or null (see {@link Extra}). */
    Extra[] extra = new Extra[MIN_CAPACITY];
    /** The pending offers: the client each slot is offered to, and when the offer ends. */
    private final SparseSlots offers = new SparseSlots(true);
    /** When the grace of each slot's lease, ended by time, ends: only for slots that have one. */
    private final SparseSlots graces = new SparseSlots(false);

    SlotColumns(ServedSubnet[] subnets) {
        this.subnets = subnets;
    }

    /** The slot of {@code address}, or {@link SlotIndex#NONE}. */
    int find(int address) {
        return index.get(address);
    }

    /** A new slot, with no lease and no hold, for an address that has none, served by {@code subnets[subnetIndex]}. */
    int add(int address, int subnetIndex) {
        int slot = index.add(address);
        if (slot == state.length) {
            resize(state.length * 2);
        }
        subnet[slot] = subnetIndex;
        poolRange[slot] = subnets[subnetIndex].poolRangeOf(address);
        state[slot] = NO_LEASE;
        queuedAt[slot] = NOT_QUEUED;
        return slot;
    }

    /** Makes room for {@code slots} slots in all, so that adding up to that many copies no column. */
    void ensureCapacity(int slots) {
        index.ensureCapacity(slots);
        if (state.length < slots) {
            resize(slots);
        }
    }

    int size() {
        return index.size();
    }

    private void resize(int capacity) {
        subnet = Arrays.copyOf(subnet, capacity);
        poolRange = Arrays.copyOf(poolRange, capacity);
        state = Arrays.copyOf(state, capacity);
        leaseHolds = Arrays.copyOf(leaseHolds, capacity);
        client = Arrays.copyOf(client, capacity);
        expiry = Arrays.copyOf(expiry, capacity);
        epoch = Arrays.copyOf(epoch, capacity);
        counter = Arrays.copyOf(counter, capacity);
        writer = Arrays.copyOf(writer, capacity);
        queuedAt = Arrays.copyOf(queuedAt, capacity);
        extra = Arrays.copyOf(extra, capacity);
    }

    /** The client the slot's address is offered to, or null. */
    ClientKey offeredTo(int slot) {
        return (ClientKey) offers.object(slot);
    }

    /** When the offer of the slot's address ends; only if {@link #offeredTo} is not null. */
    long offerExpiry(int slot) {
        return offers.time(slot, 0);
    }

    /** Offers the slot's address to {@code client} until {@code expiryMillis}. */
    void setOffer(int slot, ClientKey client, long expiryMillis) {
        offers.put(slot, expiryMillis, client);
    }

    /** Moves the end of the slot's pending offer. */
    void setOfferExpiry(int slot, long expiryMillis) {
        offers.setTime(slot, expiryMillis);
    }

    /** Ends the slot's offer, if any. */
    void clearOffer(int slot) {
        offers.remove(slot);
    }

    /** When the grace of the slot's lease, ended by time, ends; 0 if no grace keeps the address. */
    long graceUntil(int slot) {
        return graces.time(slot, 0);
    }

    /** Sets when the slot's grace ends; 0 for none. */
    void setGraceUntil(int slot, long untilMillis) {
        if (untilMillis == 0) {
            graces.remove(slot);
        } else {
            graces.put(slot, untilMillis, null);
        }
    }

    int address(int slot) {
        return index.addressOf(slot);
    }

    ServedSubnet subnet(int slot) {
        return subnets[subnet[slot]];
    }

    boolean hasLease(int slot) {
        return state[slot] != NO_LEASE;
    }

    boolean holds(int slot) {
        return leaseHolds[slot] != 0;
    }

    void setHolds(int slot, boolean holds) {
        leaseHolds[slot] = holds ? (byte) 1 : 0;
    }

    boolean isBound(int slot) {
        return state[slot] == BOUND;
    }

    /** The state of the newest lease, or null if the address has only ever been offered. */
    LeaseState state(int slot) {
        byte code = state[slot];
        return code == NO_LEASE ? null : STATES[code];
    }

    long counter(int slot) {
        int small = counter[slot];
        return small != LONG_COUNTER ? small : extra[slot].counter();
    }

    long epoch(int slot) {
        int small = epoch[slot];
        return small != LONG_EPOCH ? small : extra[slot].epoch();
    }

    /** The pool of the subnet that hands out the slot's address, or -1 ({@link ServedSubnet#poolOf}). */
    int pool(int slot) {
        return subnet(slot).countedPool(poolRange[slot], address(slot));
    }

    /** Marks the slot's address used in its pool (an address outside the pools is left alone). */
    void claim(int slot) {
        subnet(slot).claim(poolRange[slot], address(slot));
    }

    /** Marks the slot's address free in its pool (an address outside the pools is left alone). */
    void release(int slot) {
        subnet(slot).release(poolRange[slot], address(slot));
    }

    /** Keeps {@code lease} as the newest lease of the slot's address. */
    void store(int slot, Lease lease) {
        long packed = PackedClientKey.pack(lease.clientKey());
        HardwareAddress hardware = lease.hardwareAddress();
        boolean keyCarriesHardware = packed != PackedClientKey.NONE
                && PackedClientKey.carriesHardware(packed, hardware);
        Instant end = lease.expiry();
        long expiryMillis = end.toEpochMilli();
        boolean exactMillis = end.getNano() % 1_000_000 == 0;
        LeaseVersion version = lease.version();
        long leaseEpoch = version.epoch();
        boolean intEpoch = leaseEpoch < Integer.MAX_VALUE;
        state[slot] = (byte) lease.state().ordinal();
        client[slot] = packed;
        expiry[slot] = expiryMillis;
        epoch[slot] = intEpoch ? (int) leaseEpoch : LONG_EPOCH;
        long leaseCounter = version.counter();
        boolean intCounter = leaseCounter < Integer.MAX_VALUE;
        counter[slot] = intCounter ? (int) leaseCounter : LONG_COUNTER;
        writer[slot] = version.writer().value();
        if (packed != PackedClientKey.NONE && keyCarriesHardware && exactMillis && intEpoch && intCounter
                && lease.hostname().isEmpty() && lease.hostnameSent().isEmpty()) {
            extra[slot] = null;
        } else {
            extra[slot] = new Extra(packed == PackedClientKey.NONE ? lease.clientKey() : null,
                    keyCarriesHardware ? null : hardware, lease.hostname().orElse(null),
                    lease.hostnameSent().orElse(null), exactMillis ? null : end, leaseEpoch, leaseCounter);
        }
    }

    void clearLease(int slot) {
        state[slot] = NO_LEASE;
        client[slot] = PackedClientKey.NONE;
        extra[slot] = null;
        expiry[slot] = 0;
        epoch[slot] = 0;
        counter[slot] = 0;
        writer[slot] = 0;
    }

    ClientKey clientKey(int slot) {
        long packed = client[slot];
        return packed != PackedClientKey.NONE ? PackedClientKey.unpack(packed) : extra[slot].key();
    }

    /** True if the lease is bound to (or was declined by) {@code key}. */
    boolean isClient(int slot, ClientKey key) {
        long packed = PackedClientKey.pack(key);
        if (packed != PackedClientKey.NONE) {
            return packed == client[slot];
        }
        Extra more = extra[slot];
        return client[slot] == PackedClientKey.NONE && more != null && key.equals(more.key());
    }

    LeaseVersion version(int slot) {
        return new LeaseVersion(epoch(slot), counter(slot), new NodeId(writer[slot]));
    }

    /** True if the lease's version is below {@code other}: {@code other.isAfter(version(slot))}. */
    boolean isBefore(int slot, LeaseVersion other) {
        long own = epoch(slot);
        if (other.epoch() != own) {
            return other.epoch() > own;
        }
        long ownCounter = counter(slot);
        if (other.counter() != ownCounter) {
            return other.counter() > ownCounter;
        }
        return other.writer().value() > writer[slot];
    }

    Instant expiryInstant(int slot) {
        Extra more = extra[slot];
        return more != null && more.exactExpiry() != null ? more.exactExpiry() : Instant.ofEpochMilli(expiry[slot]);
    }

    /** The newest lease of the slot's address, built from what the columns keep; only if {@link #hasLease}. */
    Lease lease(int slot) {
        Extra more = extra[slot];
        HardwareAddress hardware = more != null && more.hardware() != null ? more.hardware()
                : PackedClientKey.hardwareOf(client[slot]);
        return new Lease(Ipv4Address.of(address(slot)), clientKey(slot), hardware,
                Optional.ofNullable(more == null ? null : more.hostname()), state(slot), expiryInstant(slot),
                version(slot), Optional.ofNullable(more == null ? null : more.hostnameSent()));
    }

    /** The earliest end of a hold of the slot (offer or lease), or {@link #NOT_QUEUED} if nothing holds it. */
    long nextEnd(int slot) {
        long end = offers.time(slot, NOT_QUEUED);
        long grace = graceUntil(slot);
        if (grace != 0) {
            end = Math.min(end, grace);
        }
        return holds(slot) ? Math.min(end, expiry[slot]) : end;
    }

    boolean isLiveBindingOf(int slot, ClientKey key, long nowMillis) {
        return holds(slot) && isBound(slot) && isClient(slot, key) && expiry[slot] > nowMillis;
    }

    /**
     * The rarer parts of a lease, kept only when a lease has one: a client key too long to pack,
     * a hardware address its client key does not carry, host names, an expiry finer than a
     * millisecond. Each field is null when the lease does not need it; {@code epoch} and
     * {@code counter} are the version's, read only when they do not fit the slot's ints.
     */
    record Extra(ClientKey key, HardwareAddress hardware, String hostname, HostNameSent hostnameSent,
            Instant exactExpiry, long epoch, long counter) {
    }
}
