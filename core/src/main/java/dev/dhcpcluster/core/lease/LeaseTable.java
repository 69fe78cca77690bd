package dev.dhcpcluster.core.lease;

import dev.dhcpcluster.core.config.ClientIdentity;
import dev.dhcpcluster.core.config.Reservation;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.pool.AddressBlock;
import dev.dhcpcluster.core.pool.AddressPool;
import dev.dhcpcluster.core.pool.PoolUsage;
import dev.dhcpcluster.core.pool.SubnetUsage;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.HostNameSent;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Every address the server knows something about, by address and by client: offers held for a
 * short time, bindings until their expiry, bindings that ended (remembered, so a returning client
 * gets the same address while it is still free), and declined addresses in quarantine.
 *
 * <h2>What holds an address</h2>
 * An address is held while it is offered (for {@link ServerConfig#offerHold()}), bound (until
 * the lease's expiry) or declined (for {@link ServerConfig#declineProbation()}). Held pool
 * addresses are marked used in their pool's {@code AddressPool}; when the last hold ends the
 * address is free again, but the lease that ended stays in the table, so that the client that had
 * it can get it back ({@link #leaseOf}) and the next lease of the address gets a higher version.
 *
 * <h2>Time</h2>
 * The table never reads a clock: callers pass {@code nowMillis}. Holds end in
 * {@link #expire(long)}, which the server calls before it handles anything and when
 * {@link #nextExpiry()} comes; reads compare with {@code now} as well, so an unswept hold past its
 * end never keeps an address from a client.
 *
 * <h2>Writes</h2>
 * Every change of a lease produces a {@link Lease} one version on ({@link LeaseVersion#next}),
 * written by this node, which the caller writes to the store. The table runs on a node alone, so
 * it writes in {@link LeaseVersion#NO_EPOCH}, except that a change of a lease loaded with a version
 * of a later epoch keeps that epoch, so that it still supersedes it. Offers are never written:
 * they live in memory only.
 *
 * <h2>Leases outside the served subnets</h2>
 * A lease whose address lies in no served subnet (its subnet was removed from the configuration)
 * is kept as it is, served to nobody: only {@link #leases()} lists it (no look-up of the server
 * finds it), and it comes back into service if a later configuration serves its subnet again
 * ({@link #reconfigured}).
 *
 * <h2>Memory</h2>
 * A node may hold a million leases, so the table keeps no object per lease: each address it has
 * used is a slot, an {@code int}, and the slot's fields are elements of primitive arrays
 * ({@code SlotColumns}, a struct of arrays): the lease's state, its expiry in epoch milliseconds,
 * its version's parts, its client key packed into a {@code long} when it has at most seven octets
 * (the hardware address only when the key does not already carry it), and the holds on the
 * address. A {@link Lease} is built when someone asks for one. The indexes by address and by
 * client are open-addressing tables of slot numbers without boxed keys, and the expiry queue is a
 * heap of a {@code long[]} and an {@code int[]}: nothing a collector must trace or copy per lease.
 * A load told how many leases come ({@link #loader(long, long)}) sizes all of them once.
 *
 * <p>Not thread-safe: the server's single thread owns it.
 */
public final class LeaseTable {

    /** The epoch this table writes its changes in: a node alone has none. */
    private static final long EPOCH = LeaseVersion.NO_EPOCH;
    /** The most leases a load's count may size the table for ahead: beyond it, the table grows as it goes. */
    private static final int MAX_PRESIZE = 1 << 26;

    /** The node that writes this table's changes: the writer of every version it makes. */
    private final NodeId node;
    private final long offerHoldMillis;
    private final Duration declineProbation;
    /** How long an ended lease still keeps its address from other clients (see {@link #LeaseTable(ServerConfig, Duration)}). */
    private final Duration expiryGrace;
    private final long expiryGraceMillis;
    private final List<ServedSubnet> subnets;
    /** {@link #subnets} as an array, for the look-ups of every lease. */
    private final ServedSubnet[] subnetArray;
    /** The subnet {@link #subnetContaining} found last, and its index, or null. */
    private ServedSubnet lastContaining;
    private int lastContainingIndex;
    /** The subnet of each configured interface name; of two subnets naming one interface, the first. */
    private final Map<String, ServedSubnet> byInterface;
    /**
     * Every slot by its address, and the addresses in order for operators' queries ({@link #query}).
     * A slot is added once, the first time its address is used.
     */
    private final SlotColumns slots;
    /** Each client's newest lease (live or remembered); stale when the address has gone to another client. */
    private final ClientIndex byClient = new ClientIndex();
    /** The slot offered to each client; stale when the offer has since gone to another client. */
    private final ClientIndex offersByClient = new ClientIndex();
    /** The newest lease of each address that no served subnet contains: kept, not served. */
    private final Map<Ipv4Address, Lease> unserved = new HashMap<>();
    /**
     * When slots must be settled. A slot is queued once, for its earliest end; an end that moves
     * later (a repeated DISCOVER, a renewal) is found when that entry comes due, so a client that
     * repeats itself as fast as it can does not grow the queue.
     */
    private final DueQueue due = new DueQueue();
    private boolean loaded;

    /** An empty table for the subnets of {@code config}; every address is free. */
    public LeaseTable(ServerConfig config) {
        this(config, Duration.ZERO);
    }

    /**
     * An empty table for the subnets of {@code config} whose bindings keep their address from
     * other clients for {@code expiryGrace} after they end by time. A cluster member needs it: the
     * lease's end is a wall-clock instant, and the client that holds it, or the peer that renewed
     * it last, may count to it on a clock a little behind this node's; a node alone needs none.
     * The client the lease was bound to may still have the address back during the grace.
     */
    public LeaseTable(ServerConfig config, Duration expiryGrace) {
        if (expiryGrace.isNegative()) {
            throw new IllegalArgumentException("the expiry grace must not be negative, not " + expiryGrace);
        }
        this.expiryGrace = expiryGrace;
        this.expiryGraceMillis = expiryGrace.toMillis();
        this.node = config.node();
        this.offerHoldMillis = config.offerHold().toMillis();
        this.declineProbation = config.declineProbation();
        List<ServedSubnet> built = new ArrayList<>();
        Map<String, ServedSubnet> interfaces = new HashMap<>();
        for (SubnetConfig subnet : config.subnets()) {
            ServedSubnet served = new ServedSubnet(subnet, config);
            built.add(served);
            subnet.interfaceName().ifPresent(name -> interfaces.putIfAbsent(name, served));
        }
        this.subnets = Collections.unmodifiableList(built);
        this.byInterface = Map.copyOf(interfaces);
        this.subnetArray = built.toArray(new ServedSubnet[0]);
        this.slots = new SlotColumns(subnetArray);
    }

    /** The served subnets, in configuration order. */
    public List<ServedSubnet> subnets() {
        return subnets;
    }

    /** The subnet that serves requests relayed through {@code giaddr}, or null. */
    public ServedSubnet subnetForRelay(Ipv4Address giaddr) {
        for (ServedSubnet subnet : subnets) {
            if (subnet.config().servesRelay(giaddr)) {
                return subnet;
            }
        }
        return null;
    }

    /**
     * The subnet whose directly attached clients are on interface {@code name}
     * ({@link SubnetConfig#interfaceName()}; the first in configuration order if several name it),
     * or null.
     */
    public ServedSubnet subnetForInterface(String name) {
        return byInterface.get(name);
    }

    /** The subnet containing {@code address}, or null. */
    public ServedSubnet subnetContaining(Ipv4Address address) {
        // Subnets do not overlap, so the subnet found last is the answer whenever it contains the
        // address: a load of a million leases, mostly of one subnet, rarely walks the list.
        ServedSubnet last = lastContaining;
        if (last != null && last.config().contains(address)) {
            return last;
        }
        ServedSubnet[] all = subnetArray;
        for (int i = 0; i < all.length; i++) {
            if (all[i].config().contains(address)) {
                lastContaining = all[i];
                lastContainingIndex = i;
                return all[i];
            }
        }
        return null;
    }

    /**
     * Keeps one of the server's own addresses (learnt from the interface a request arrived on)
     * from ever being handed out.
     */
    public void excludeServerAddress(Ipv4Address address) {
        ServedSubnet subnet = subnetContaining(address);
        if (subnet != null) {
            subnet.addServerAddress(address);
        }
    }

    /**
     * Rebuilds the table from the leases in the store. Leases outside every served subnet are
     * kept aside, unserved (see the class comment). Of two leases for one address the one of the
     * higher {@link LeaseVersion} wins, whatever their order in {@code stored}.
     *
     * @throws IllegalStateException if the table has been loaded or changed already
     */
    public void load(List<Lease> stored, long nowMillis) {
        stored.forEach(loader(nowMillis));
    }

    /**
     * Rebuilds the table, as {@link #load} does, from the leases handed to the returned consumer
     * one at a time, so that a store can stream its leases in without a list of them all
     * ({@link dev.dhcpcluster.port.store.LeaseStore#loadEach}). Hand every stored lease before the
     * table is used otherwise.
     *
     * @throws IllegalStateException if the table has been loaded or changed already
     */
    public Consumer<Lease> loader(long nowMillis) {
        if (loaded || slots.size() > 0) {
            throw new IllegalStateException("the lease table is loaded once, before it is used");
        }
        loaded = true;
        return lease -> loadOne(lease, nowMillis);
    }

    /**
     * A {@link #loader(long)} that is told how many leases come ({@link
     * dev.dhcpcluster.port.store.LeaseStore#storedCount}): the table sizes its columns and indexes
     * for that many at once, so that a load of a million leases copies no large array while it
     * grows. The count is a hint: more or fewer leases may be handed; a negative or absurd one is
     * ignored or capped.
     *
     * @throws IllegalStateException if the table has been loaded or changed already
     */
    public Consumer<Lease> loader(long nowMillis, long expectedLeases) {
        Consumer<Lease> loader = loader(nowMillis);
        if (expectedLeases > 0) {
            int rows = (int) Math.min(expectedLeases, MAX_PRESIZE);
            slots.ensureCapacity(rows);
            byClient.ensureCapacity(rows);
            due.ensureCapacity(rows);
        }
        return loader;
    }

    private void loadOne(Lease lease, long nowMillis) {
        ServedSubnet subnet = subnetContaining(lease.address());
        if (subnet == null) {
            unserved.merge(lease.address(), lease,
                    (kept, other) -> other.version().isAfter(kept.version()) ? other : kept);
            return;
        }
        int slot = slotFor(subnet, lease.address());
        if (slots.hasLease(slot) && !slots.isBefore(slot, lease.version())) {
            return;
        }
        setLease(slot, lease, nowMillis);
        if (lease.state() != LeaseState.DECLINED) {
            int known = byClient.putIfAbsent(lease.clientKey(), slot);
            if (known != ClientIndex.NONE && known != slot
                    && (!slots.hasLease(known) || prefer(lease, known, nowMillis))) {
                byClient.put(lease.clientKey(), slot);
            }
        }
    }

    /**
     * Takes in a lease a peer wrote (replicated to this node, or installed because it is
     * committed), if it is newer than what the table holds: of two leases of one address the one
     * of the higher {@link LeaseVersion} stays, whatever order they come in. The address's pool bit
     * follows the lease (used while a binding or a declined address's probation lasts), its
     * client finds it as {@link #load} would, and an offer of the address to another client is
     * withdrawn if the lease holds it. Leases outside every served subnet are kept aside, as
     * {@link #load} keeps them.
     *
     * @return true if the table took the lease, false if it held that version or a later one
     */
    public boolean merge(Lease lease, long nowMillis) {
        ServedSubnet subnet = subnetContaining(lease.address());
        if (subnet == null) {
            Lease kept = unserved.get(lease.address());
            if (kept != null && !lease.version().isAfter(kept.version())) {
                return false;
            }
            unserved.put(lease.address(), lease);
            return true;
        }
        int slot = slotFor(subnet, lease.address());
        if (slots.hasLease(slot) && !slots.isBefore(slot, lease.version())) {
            return false;
        }
        ClientKey previous = slots.hasLease(slot) ? slots.clientKey(slot) : null;
        setLease(slot, lease, nowMillis);
        if (previous != null && !previous.equals(lease.clientKey()) && byClient.get(previous) == slot) {
            byClient.remove(previous);
        }
        if (lease.state() != LeaseState.DECLINED) {
            int known = byClient.get(lease.clientKey());
            if (known == ClientIndex.NONE || known == slot || !slots.hasLease(known)
                    || prefer(lease, known, nowMillis)) {
                byClient.put(lease.clientKey(), slot);
            }
        }
        ClientKey offered = slots.offeredTo(slot);
        if (slots.holds(slot) && offered != null && !offered.equals(lease.clientKey())) {
            clearOffer(slot);
        }
        return true;
    }

    /**
     * A table for {@code config} that holds everything this one holds: every lease (bound,
     * released, expired, declined, and those outside the served subnets), rebuilt as
     * {@link #load} rebuilds a restarted server's, and every offer still pending whose address is
     * still a free dynamic address of the new configuration (not reserved, not infrastructure,
     * held by no one else), until the offer's own end. Other offers are dropped: the client's
     * REQUEST is then judged by the new configuration alone. The address blocks this node does not
     * own stay withdrawn wherever the new configuration cuts them alike. This table is left unchanged.
     *
     * <p>A lease whose address the new configuration no longer hands out (a pool shrunk or
     * removed, an address now reserved or a router) still holds its address until it ends; what
     * the server answers its client is the policy's business.
     *
     * @throws IllegalArgumentException if {@code config} cannot be served (as {@link #LeaseTable})
     */
    public LeaseTable reconfigured(ServerConfig config, long nowMillis) {
        LeaseTable next = new LeaseTable(config, expiryGrace);
        Consumer<Lease> loader = next.loader(nowMillis);
        forEachLease(loader);
        keepForeignBlocks(next);
        for (int slot = 0; slot < slots.size(); slot++) {
            ClientKey offered = slots.offeredTo(slot);
            if (offered != null && offersByClient.get(offered) == slot && slots.offerExpiry(slot) > nowMillis) {
                next.keepOffer(Ipv4Address.of(slots.address(slot)), offered, slots.offerExpiry(slot), nowMillis);
            }
        }
        return next;
    }

    /**
     * Withdraws from {@code next} the blocks this table does not own, where the new configuration
     * cuts the same block: a new configuration does not hand this node a peer's addresses. A block
     * the new configuration cuts differently, or adds, is owned, as every block of a new table is.
     */
    private void keepForeignBlocks(LeaseTable next) {
        for (ServedSubnet subnet : subnets) {
            for (AddressBlock block : subnet.blocks()) {
                if (subnet.owns(block)) {
                    continue;
                }
                ServedSubnet same = next.subnetContaining(block.first());
                if (same != null && same.blockOf(block.first()).filter(block::equals).isPresent()) {
                    same.withdraw(block);
                }
            }
        }
    }

    /** Holds an offer carried over from the previous table, if the address may still be offered (see {@link #reconfigured}). */
    private void keepOffer(Ipv4Address address, ClientKey key, long expiryMillis, long nowMillis) {
        ServedSubnet subnet = subnetContaining(address);
        if (subnet == null || subnet.isInfrastructure(address) || subnet.reservationAt(address).isPresent()
                || !subnet.isPoolAddress(address) || offersByClient.get(key) != ClientIndex.NONE) {
            return;
        }
        int slot = slots.find(address.value());
        if (slot != SlotIndex.NONE && (slots.offeredTo(slot) != null
                || slots.holds(slot) && slots.expiry[slot] > nowMillis && !slots.isClient(slot, key))) {
            return;
        }
        offer(subnet, address, key, nowMillis);
        // The offer keeps its own end, not a new hold: the earlier end is queued, the later one is then skipped.
        slot = slots.find(address.value());
        slots.setOfferExpiry(slot, expiryMillis);
        schedule(slot, expiryMillis);
    }

    /**
     * The newest lease of every address the table knows, in any state, those outside the served
     * subnets included. Offers are not leases and are not in it.
     */
    public List<Lease> leases() {
        List<Lease> all = new ArrayList<>(slots.size() + unserved.size());
        forEachLease(all::add);
        return all;
    }

    /**
     * Hands every lease {@link #leases()} lists to {@code action}, one at a time, each built as it
     * is handed: a table of a million leases is walked without a list of them all.
     */
    public void forEachLease(Consumer<? super Lease> action) {
        for (int slot = 0; slot < slots.size(); slot++) {
            if (slots.hasLease(slot)) {
                action.accept(slots.lease(slot));
            }
        }
        unserved.values().forEach(action);
    }

    /** Of two leases of one client, the live one, else the one that ends later. */
    private boolean prefer(Lease candidate, int current, long nowMillis) {
        boolean candidateLive = candidate.state() == LeaseState.BOUND && millis(candidate.expiry()) > nowMillis;
        boolean currentLive = slots.isBound(current) && slots.expiry[current] > nowMillis;
        if (candidateLive != currentLive) {
            return candidateLive;
        }
        return candidate.expiry().isAfter(slots.expiryInstant(current));
    }

    /** Ends every hold due at or before {@code nowMillis}: offers lapse, leases expire, quarantines end. */
    public void expire(long nowMillis) {
        while (!due.isEmpty() && due.firstTime() <= nowMillis) {
            long at = due.firstTime();
            int slot = due.poll();
            if (at != slots.queuedAt[slot]) {
                continue; // superseded by an earlier entry of the same slot, which has been handled
            }
            slots.queuedAt[slot] = SlotColumns.NOT_QUEUED;
            settle(slot, nowMillis);
            schedule(slot, slots.nextEnd(slot));
        }
    }

    /** How many entries wait in the expiry queue: about one per held address, however often holds are renewed. */
    int pendingExpiries() {
        return due.size();
    }

    /** When the next hold may end, in epoch milliseconds; {@link Long#MAX_VALUE} if none is pending. */
    public long nextExpiry() {
        return due.isEmpty() ? Long.MAX_VALUE : due.firstTime();
    }

    /**
     * The client's newest lease in any state (a live binding, or one that has ended), or empty if
     * the client has none or its old address has since gone to someone else.
     */
    public Optional<Lease> leaseOf(ClientKey key) {
        int slot = byClient.get(key);
        if (slot == ClientIndex.NONE || !slots.hasLease(slot) || !slots.isClient(slot, key)) {
            return Optional.empty();
        }
        return Optional.of(slots.lease(slot));
    }

    /** The newest lease of this address in any state, if the table has one; leases outside the served subnets are not looked up. */
    public Optional<Lease> leaseAt(Ipv4Address address) {
        int slot = slots.find(address.value());
        return slot == SlotIndex.NONE || !slots.hasLease(slot) ? Optional.empty() : Optional.of(slots.lease(slot));
    }

    /** The address offered to this client and still held for it, if any. */
    public Optional<Ipv4Address> offeredTo(ClientKey key, long nowMillis) {
        int slot = offersByClient.get(key);
        if (slot == ClientIndex.NONE || slots.offerExpiry(slot) <= nowMillis) {
            return Optional.empty();
        }
        return Optional.of(Ipv4Address.of(slots.address(slot)));
    }

    /**
     * True if {@code address} may be given to this client now: it is a host address of the subnet
     * that is not infrastructure, it is either reserved for this very client or in a dynamic pool
     * the client may use (open, or restricted to one of {@code clientClasses}), and nobody else
     * holds it (no live offer or binding of another client, no quarantine).
     */
    public boolean isAvailable(ServedSubnet subnet, Ipv4Address address, ClientIdentity client,
            Set<String> clientClasses, long nowMillis) {
        if (!subnet.config().contains(address) || subnet.isInfrastructure(address)) {
            return false;
        }
        Optional<Reservation> reservation = subnet.reservationAt(address);
        if (reservation.isPresent()
                ? !reservation.get().matches(client)
                : !subnet.isDynamicFor(address, clientClasses)) {
            return false;
        }
        ClientKey key = client.clientKey();
        int slot = slots.find(address.value());
        if (slot == SlotIndex.NONE) {
            return true;
        }
        ClientKey offered = slots.offeredTo(slot);
        if (offered != null && slots.offerExpiry(slot) > nowMillis && !offered.equals(key)) {
            return false;
        }
        if (slots.hasLease(slot) && slots.state(slot).holdsAddress()
                && slots.expiry[slot] + expiryGraceMillis > nowMillis) {
            return slots.isBound(slot) && slots.isClient(slot, key);
        }
        return true;
    }

    /**
     * Takes a free address from the dynamic pools of the subnet that a client in
     * {@code clientClasses} may use, and holds it as an offer for this client. An address
     * remembered for another client whose lease has ended may be taken: a pool hands out the
     * addresses nobody had for the longest first (see {@code AddressPool}).
     *
     * @return the offered address, or null if none of those pools has a free address
     */
    public Ipv4Address offerFreeAddress(ServedSubnet subnet, ClientKey key, Set<String> clientClasses, long nowMillis) {
        int address = subnet.allocate(clientClasses);
        if (address == AddressPool.NONE) {
            return null;
        }
        Ipv4Address chosen = Ipv4Address.of(address);
        offer(subnet, chosen, key, nowMillis);
        return chosen;
    }

    /**
     * Holds {@code address} for this client for the offer hold time, replacing any other offer to
     * the client. The caller has checked {@link #isAvailable}.
     */
    public void offer(ServedSubnet subnet, Ipv4Address address, ClientKey key, long nowMillis) {
        int slot = slotFor(subnet, address);
        int previous = offersByClient.put(key, slot);
        if (previous != ClientIndex.NONE && previous != slot) {
            clearOffer(previous);
        }
        if (slots.offeredTo(slot) == null) {
            subnet(slot).countOffer(slots.pool(slot), 1);
        }
        slots.setOffer(slot, key, nowMillis + offerHoldMillis);
        syncPool(slot);
        schedule(slot, nowMillis + offerHoldMillis);
    }

    /** Frees the address offered to this client, if any: the client chose another server. */
    public void withdrawOffer(ClientKey key) {
        int slot = offersByClient.remove(key);
        if (slot != ClientIndex.NONE && key.equals(slots.offeredTo(slot))) {
            clearOffer(slot);
        }
    }

    /**
     * Binds {@code address} to the client for {@code leaseTime} from now. The caller has checked
     * {@link #isAvailable}. Any offer to the client ends; if the client was bound to another
     * address, that binding ends now (a client holds one address at a time).
     *
     * @param hostname the binding's host name: a valid one, or none
     * @param hostnameSent the host name exactly as the client sent it in this request, or none if
     *     it sent none (a name from an earlier request is not kept)
     * @return the leases to write, the new binding first
     */
    public List<Lease> bind(ServedSubnet subnet, Ipv4Address address, ClientKey key, HardwareAddress hardwareAddress,
            Optional<String> hostname, Optional<HostNameSent> hostnameSent, Duration leaseTime, long nowMillis) {
        int slot = slotFor(subnet, address);
        Instant now = Instant.ofEpochMilli(nowMillis);
        List<Lease> writes = new ArrayList<>(2);
        Lease bound = new Lease(address, key, hardwareAddress, hostname, LeaseState.BOUND, now.plus(leaseTime),
                nextVersion(slot), hostnameSent);
        setLease(slot, bound, nowMillis);
        writes.add(bound);
        int previous = byClient.put(key, slot);
        if (previous != ClientIndex.NONE && previous != slot && slots.hasLease(previous)
                && slots.isClient(previous, key) && slots.holds(previous) && slots.isBound(previous)) {
            Lease ended = slots.lease(previous).withState(LeaseState.EXPIRED, now, epochOf(previous), node);
            setLease(previous, ended, nowMillis);
            writes.add(ended);
        }
        withdrawOffer(key);
        return writes;
    }

    /**
     * Ends the client's binding of {@code address} at its request (DHCPRELEASE). The address is
     * free; the binding is remembered for the client.
     *
     * @return the lease to write, or empty if the client holds no live binding of the address
     */
    public Optional<Lease> release(Ipv4Address address, ClientKey key, long nowMillis) {
        int slot = slots.find(address.value());
        if (slot == SlotIndex.NONE || !slots.isLiveBindingOf(slot, key, nowMillis)) {
            return Optional.empty();
        }
        Lease released = slots.lease(slot).withState(LeaseState.RELEASED, Instant.ofEpochMilli(nowMillis), epochOf(slot),
                node);
        setLease(slot, released, nowMillis);
        return Optional.of(released);
    }

    /**
     * Quarantines {@code address}, which the client reports in use by someone else (DHCPDECLINE),
     * for the decline probation. The client must hold the address (bound or offered); the client
     * is not given it again.
     *
     * @return the lease to write, or empty if the client holds neither a binding nor an offer of the address
     */
    public Optional<Lease> decline(Ipv4Address address, ClientKey key, HardwareAddress hardwareAddress, long nowMillis) {
        int slot = slots.find(address.value());
        if (slot == SlotIndex.NONE) {
            return Optional.empty();
        }
        boolean offered = key.equals(slots.offeredTo(slot)) && slots.offerExpiry(slot) > nowMillis;
        if (!offered && !slots.isLiveBindingOf(slot, key, nowMillis)) {
            return Optional.empty();
        }
        Instant until = Instant.ofEpochMilli(nowMillis).plus(declineProbation);
        Lease declined = new Lease(address, key, hardwareAddress, Optional.empty(), LeaseState.DECLINED, until,
                nextVersion(slot));
        setLease(slot, declined, nowMillis);
        if (byClient.get(key) == slot) {
            byClient.remove(key);
        }
        withdrawOffer(key);
        return Optional.of(declined);
    }

    /**
     * One page of the leases that match {@code query}, in address order, each the newest lease of
     * its address in any state (as {@link #leaseAt}). Walks the table in place from the cursor:
     * nothing is copied but the page, however many leases the table holds.
     */
    public LeasePage query(LeaseQuery query) {
        Ipv4Address from = query.first();
        Ipv4Address to = query.last();
        if (query.address().isPresent()) {
            Ipv4Address only = query.address().get();
            if (only.compareTo(from) < 0 || only.compareTo(to) > 0) {
                return new LeasePage(List.of(), Optional.empty());
            }
            from = only;
            to = only;
        }
        SlotIndex.OrderedAddresses ordered = slots.index.ordered();
        int start = ordered.firstAtOrAfter(from.value());
        if (query.after().isPresent() && query.after().get().compareTo(from) >= 0) {
            Ipv4Address after = query.after().get();
            start = after.equals(Ipv4Address.BROADCAST) ? ordered.size() : ordered.firstAtOrAfter(after.value() + 1);
        }
        List<Lease> page = new ArrayList<>(Math.min(query.limit(), 256));
        for (int position = start; position < ordered.size(); position++) {
            int address = ordered.at(position);
            if (Integer.compareUnsigned(address, to.value()) > 0) {
                break;
            }
            int slot = slots.find(address);
            if (!slots.hasLease(slot)) {
                continue;
            }
            Lease lease = slots.lease(slot);
            if (!query.matches(lease)) {
                continue;
            }
            if (page.size() == query.limit()) {
                // One more matches: the page is full and another follows it.
                return new LeasePage(page, Optional.of(page.get(page.size() - 1).address()));
            }
            page.add(lease);
        }
        return new LeasePage(page, Optional.empty());
    }

    /**
     * Ends the lease that holds {@code address} now, at an operator's request: a binding or a
     * declined address's quarantine ends as if its expiry had come, so the address is free at once.
     * The ended lease is remembered as an expired one would be.
     *
     * @return the lease to write, or empty if no lease holds the address now
     */
    public Optional<Lease> remove(Ipv4Address address, long nowMillis) {
        int slot = slots.find(address.value());
        if (slot == SlotIndex.NONE || !slots.holds(slot) || slots.expiry[slot] <= nowMillis) {
            return Optional.empty();
        }
        Lease ended = slots.lease(slot).withState(LeaseState.EXPIRED, Instant.ofEpochMilli(nowMillis), epochOf(slot),
                node);
        setLease(slot, ended, nowMillis);
        if (ended.clientKey().equals(slots.offeredTo(slot))) {
            clearOffer(slot);
        }
        return Optional.of(ended);
    }

    /**
     * Undoes this node's change {@code refused}, which the cluster will never commit, if the table
     * still holds it: the address goes back to {@code agreed}, the lease this node holds as the
     * cluster's (or to nobody), as if the change had never been made. A later change of the
     * address is left alone. Unless {@code agreed} holds it, the address then stays out of the
     * pool for the expiry grace: the peers that refused hold a version of it this node does not
     * know (a change of this node's, say, that they committed while this node crashed before
     * learning it), which may bind it to another client; offered again at once, the address would
     * be refused again, and its client, which asks for the address it was offered, never served.
     * For the same reason the refused client is not offered the address again, even under its own
     * {@code agreed} lease (which may be a version the cluster never committed).
     *
     * @return true if the table held {@code refused} and now holds {@code agreed}
     */
    public boolean revert(Lease refused, Optional<Lease> agreed, long nowMillis) {
        int slot = slots.find(refused.address().value());
        if (slot == SlotIndex.NONE || !slots.hasLease(slot) || !refused.equals(slots.lease(slot))) {
            return false;
        }
        count(slot, -1);
        slots.setHolds(slot, false);
        slots.setGraceUntil(slot, 0);
        slots.clearLease(slot);
        if (byClient.get(refused.clientKey()) == slot) {
            byClient.remove(refused.clientKey());
        }
        if (agreed.isPresent()) {
            merge(agreed.get(), nowMillis);
        }
        if (expiryGraceMillis > 0) {
            if (!slots.holds(slot)) {
                slots.setGraceUntil(slot, Math.max(slots.graceUntil(slot), nowMillis + expiryGraceMillis));
                schedule(slot, slots.graceUntil(slot));
            }
            // Nor is it the address to offer the refused client again, even when agreed is that client's own
            // lease: this node's version may be one the cluster never committed, and the client would ask for
            // the address and be refused again until that version's lease ran out.
            if (byClient.get(refused.clientKey()) == slot) {
                byClient.remove(refused.clientKey());
            }
        }
        syncPool(slot);
        return true;
    }

    /** The id (first address) of every address block of the served pools, in configuration order. */
    public List<Ipv4Address> blockIds() {
        List<Ipv4Address> ids = new ArrayList<>();
        for (ServedSubnet subnet : subnets) {
            for (AddressBlock block : subnet.blocks()) {
                ids.add(block.first());
            }
        }
        return ids;
    }

    /** The ids of the address blocks of each served subnet's pools, one list per subnet, in configuration order. */
    public List<List<Ipv4Address>> blockIdsBySubnet() {
        List<List<Ipv4Address>> bySubnet = new ArrayList<>(subnets.size());
        for (ServedSubnet subnet : subnets) {
            List<Ipv4Address> ids = new ArrayList<>();
            for (AddressBlock block : subnet.blocks()) {
                ids.add(block.first());
            }
            bySubnet.add(ids);
        }
        return bySubnet;
    }

    /**
     * Owns exactly the blocks whose ids are in {@code blockIds}: the others are withdrawn, and no
     * new client gets an address of theirs from this node (their leases stay as they are).
     */
    public void ownOnly(Set<Ipv4Address> blockIds) {
        for (ServedSubnet subnet : subnets) {
            for (AddressBlock block : subnet.blocks()) {
                if (blockIds.contains(block.first())) {
                    subnet.grant(block);
                } else {
                    subnet.withdraw(block);
                }
            }
        }
    }

    /**
     * How many addresses of the blocks whose ids are in {@code blockIds} are free now; an id that is
     * no block's is left out. Each id is looked up, not each block of the pools walked: the cluster
     * counts a member's blocks once per subnet, and there may be many subnets.
     */
    public long freeIn(Set<Ipv4Address> blockIds) {
        long free = 0;
        for (Ipv4Address id : blockIds) {
            ServedSubnet subnet = subnetContaining(id);
            if (subnet == null) {
                continue;
            }
            Optional<AddressBlock> block = subnet.blockOf(id);
            if (block.isPresent() && block.get().first().equals(id)) {
                free += subnet.freeCount(block.get());
            }
        }
        return free;
    }

    /** How each subnet's addresses are used now. */
    public PoolUsage usage() {
        List<SubnetUsage> list = new ArrayList<>(subnets.size());
        for (ServedSubnet subnet : subnets) {
            list.add(subnet.usage());
        }
        return new PoolUsage(list);
    }

    /** The version of the next change of a slot's address, written by this node: the first, or one on from its lease's. */
    private LeaseVersion nextVersion(int slot) {
        return !slots.hasLease(slot)
                ? LeaseVersion.first(EPOCH, node)
                : slots.version(slot).next(epochOf(slot), node);
    }

    /**
     * The epoch of a change of a slot's lease: {@link #EPOCH}, unless the lease was loaded with a
     * version of a later epoch (its store was once a cluster member's); then that epoch, so that
     * the change still supersedes it.
     */
    private long epochOf(int slot) {
        return Math.max(EPOCH, slots.epoch(slot));
    }

    private int indexOf(ServedSubnet subnet) {
        for (int i = 0; i < subnetArray.length; i++) {
            if (subnetArray[i] == subnet) {
                return i;
            }
        }
        throw new IllegalArgumentException("not a subnet of this table: " + subnet);
    }

    private ServedSubnet subnet(int slot) {
        return slots.subnet(slot);
    }

    private int slotFor(ServedSubnet subnet, Ipv4Address address) {
        int slot = slots.find(address.value());
        if (slot == SlotIndex.NONE) {
            slot = slots.add(address.value(), subnet == lastContaining ? lastContainingIndex : indexOf(subnet));
        }
        return slot;
    }

    /** Puts a new lease into a slot, keeping counters, pool bit and expiry queue in step. */
    private void setLease(int slot, Lease lease, long nowMillis) {
        count(slot, -1);
        slots.store(slot, lease);
        long expiry = slots.expiry[slot];
        boolean holds = lease.state().holdsAddress() && expiry > nowMillis;
        slots.setHolds(slot, holds);
        long graceEnd = expiry + expiryGraceMillis;
        long graceUntil = !holds && lease.state().holdsAddress() && graceEnd > nowMillis ? graceEnd : 0;
        slots.setGraceUntil(slot, graceUntil);
        if (graceUntil != 0) {
            schedule(slot, graceUntil);
        }
        count(slot, 1);
        syncPool(slot);
        if (holds) {
            schedule(slot, expiry);
        }
    }

    private void count(int slot, int delta) {
        if (slots.holds(slot)) {
            if (slots.isBound(slot)) {
                subnet(slot).countBound(slots.pool(slot), delta);
            } else {
                subnet(slot).countDeclined(slots.pool(slot), delta);
            }
        }
    }

    private void clearOffer(int slot) {
        ClientKey offered = slots.offeredTo(slot);
        if (offered == null) {
            return;
        }
        if (offersByClient.get(offered) == slot) {
            offersByClient.remove(offered);
        }
        slots.clearOffer(slot);
        subnet(slot).countOffer(slots.pool(slot), -1);
        syncPool(slot);
    }

    /**
     * Queues the slot to be settled at {@code atMillis}, unless it is queued for that time or
     * earlier already. {@link SlotColumns#NOT_QUEUED} queues nothing.
     */
    private void schedule(int slot, long atMillis) {
        if (atMillis < slots.queuedAt[slot]) {
            slots.queuedAt[slot] = atMillis;
            due.add(atMillis, slot);
        }
    }

    /** Ends whatever holds of this slot are past their end; a slot whose end moved later finds nothing to do yet. */
    private void settle(int slot, long nowMillis) {
        if (slots.offeredTo(slot) != null && slots.offerExpiry(slot) <= nowMillis) {
            clearOffer(slot);
        }
        if (slots.holds(slot) && slots.expiry[slot] <= nowMillis) {
            count(slot, -1);
            slots.setHolds(slot, false);
            long graceUntil = slots.expiry[slot] + expiryGraceMillis;
            // A grace already over is none: it is not kept only to be dropped below.
            slots.setGraceUntil(slot, graceUntil > nowMillis ? graceUntil : 0);
            if (graceUntil > nowMillis) {
                schedule(slot, graceUntil);
            }
            syncPool(slot);
        }
        if (slots.graceUntil(slot) != 0 && slots.graceUntil(slot) <= nowMillis) {
            slots.setGraceUntil(slot, 0);
            syncPool(slot);
        }
    }

    /** The pool bit of a dynamic address is set exactly while something holds the address, or its grace lasts. */
    private void syncPool(int slot) {
        if (slots.offeredTo(slot) != null || slots.holds(slot) || slots.graceUntil(slot) != 0) {
            slots.claim(slot);
        } else {
            slots.release(slot);
        }
    }

    private static long millis(Instant instant) {
        return instant.toEpochMilli();
    }
}
