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
 * A node may hold a million leases, so the table keeps no object per lease but one small slot:
 * the lease's fields are kept in it as numbers (its expiry in epoch milliseconds, its version's
 * parts, the client key packed into a {@code long} when it has at most seven octets, and the
 * hardware address only when the key does not already carry it), and a {@link Lease} is built
 * when someone asks for one. The indexes by address and by client are open-addressing tables
 * without boxed keys, and the expiry queue is a heap of two arrays.
 *
 * <p>Not thread-safe: the server's single thread owns it.
 */
public final class LeaseTable {

    /** The epoch this table writes its changes in: a node alone has none. */
    private static final long EPOCH = LeaseVersion.NO_EPOCH;

    /** The node that writes this table's changes: the writer of every version it makes. */
    private final NodeId node;
    private final long offerHoldMillis;
    private final Duration declineProbation;
    /** How long an ended lease still keeps its address from other clients (see {@link #LeaseTable(ServerConfig, Duration)}). */
    private final Duration expiryGrace;
    private final long expiryGraceMillis;
    private final List<ServedSubnet> subnets;
    /** The subnet of each configured interface name; of two subnets naming one interface, the first. */
    private final Map<String, ServedSubnet> byInterface;
    /**
     * Every slot by its address, and the addresses in order for operators' queries ({@link #query}).
     * A slot is added once, the first time its address is used.
     */
    private final SlotIndex<Slot> byAddress = new SlotIndex<>(slot -> slot.address);
    /** Each client's newest lease (live or remembered); stale when the address has gone to another client. */
    private final ClientIndex<Slot> byClient = new ClientIndex<>();
    private final Map<ClientKey, Slot> offersByClient = new HashMap<>();
    /** The newest lease of each address that no served subnet contains: kept, not served. */
    private final Map<Ipv4Address, Lease> unserved = new HashMap<>();
    /**
     * When slots must be settled. A slot is queued once, for its earliest end; an end that moves
     * later (a repeated DISCOVER, a renewal) is found when that entry comes due, so a client that
     * repeats itself as fast as it can does not grow the queue.
     */
    private final DueQueue<Slot> due = new DueQueue<>();
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
        for (ServedSubnet subnet : subnets) {
            if (subnet.config().contains(address)) {
                return subnet;
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
        if (loaded || !byAddress.isEmpty()) {
            throw new IllegalStateException("the lease table is loaded once, before it is used");
        }
        loaded = true;
        return lease -> loadOne(lease, nowMillis);
    }

    private void loadOne(Lease lease, long nowMillis) {
        ServedSubnet subnet = subnetContaining(lease.address());
        if (subnet == null) {
            unserved.merge(lease.address(), lease,
                    (kept, other) -> other.version().isAfter(kept.version()) ? other : kept);
            return;
        }
        Slot slot = slotFor(subnet, lease.address());
        if (slot.hasLease() && !slot.isBefore(lease.version())) {
            return;
        }
        setLease(slot, lease, nowMillis);
        if (lease.state() != LeaseState.DECLINED) {
            Slot known = byClient.get(lease.clientKey());
            if (known == null || !known.hasLease() || prefer(lease, known, nowMillis)) {
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
        Slot slot = slotFor(subnet, lease.address());
        if (slot.hasLease() && !slot.isBefore(lease.version())) {
            return false;
        }
        ClientKey previous = slot.hasLease() ? slot.clientKey() : null;
        setLease(slot, lease, nowMillis);
        if (previous != null && !previous.equals(lease.clientKey()) && byClient.get(previous) == slot) {
            byClient.remove(previous);
        }
        if (lease.state() != LeaseState.DECLINED) {
            Slot known = byClient.get(lease.clientKey());
            if (known == null || known == slot || !known.hasLease() || prefer(lease, known, nowMillis)) {
                byClient.put(lease.clientKey(), slot);
            }
        }
        if (slot.leaseHolds && slot.offeredTo != null && !slot.offeredTo.equals(lease.clientKey())) {
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
        for (Map.Entry<ClientKey, Slot> entry : offersByClient.entrySet()) {
            Slot slot = entry.getValue();
            if (entry.getKey().equals(slot.offeredTo) && slot.offerExpiry > nowMillis) {
                next.keepOffer(Ipv4Address.of(slot.address), slot.offeredTo, slot.offerExpiry, nowMillis);
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
                || !subnet.isPoolAddress(address) || offersByClient.containsKey(key)) {
            return;
        }
        Slot slot = byAddress.get(address.value());
        if (slot != null && (slot.offeredTo != null
                || slot.leaseHolds && slot.expiry > nowMillis && !slot.isClient(key))) {
            return;
        }
        offer(subnet, address, key, nowMillis);
        // The offer keeps its own end, not a new hold: the earlier end is queued, the later one is then skipped.
        slot = byAddress.get(address.value());
        slot.offerExpiry = expiryMillis;
        schedule(slot, expiryMillis);
    }

    /**
     * The newest lease of every address the table knows, in any state, those outside the served
     * subnets included. Offers are not leases and are not in it.
     */
    public List<Lease> leases() {
        List<Lease> all = new ArrayList<>(byAddress.size() + unserved.size());
        forEachLease(all::add);
        return all;
    }

    /**
     * Hands every lease {@link #leases()} lists to {@code action}, one at a time, each built as it
     * is handed: a table of a million leases is walked without a list of them all.
     */
    public void forEachLease(Consumer<? super Lease> action) {
        byAddress.forEach(slot -> {
            if (slot.hasLease()) {
                action.accept(slot.lease());
            }
        });
        unserved.values().forEach(action);
    }

    /** Of two leases of one client, the live one, else the one that ends later. */
    private static boolean prefer(Lease candidate, Slot current, long nowMillis) {
        boolean candidateLive = candidate.state() == LeaseState.BOUND && millis(candidate.expiry()) > nowMillis;
        boolean currentLive = current.state() == LeaseState.BOUND && current.expiry > nowMillis;
        if (candidateLive != currentLive) {
            return candidateLive;
        }
        return candidate.expiry().isAfter(current.expiryInstant());
    }

    /** Ends every hold due at or before {@code nowMillis}: offers lapse, leases expire, quarantines end. */
    public void expire(long nowMillis) {
        while (!due.isEmpty() && due.firstTime() <= nowMillis) {
            long at = due.firstTime();
            Slot slot = due.poll();
            if (at != slot.queuedAt) {
                continue; // superseded by an earlier entry of the same slot, which has been handled
            }
            slot.queuedAt = Slot.NOT_QUEUED;
            settle(slot, nowMillis);
            schedule(slot, slot.nextEnd());
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
        Slot slot = byClient.get(key);
        if (slot == null || !slot.hasLease() || !slot.isClient(key)) {
            return Optional.empty();
        }
        return Optional.of(slot.lease());
    }

    /** The newest lease of this address in any state, if the table has one; leases outside the served subnets are not looked up. */
    public Optional<Lease> leaseAt(Ipv4Address address) {
        Slot slot = byAddress.get(address.value());
        return slot == null || !slot.hasLease() ? Optional.empty() : Optional.of(slot.lease());
    }

    /** The address offered to this client and still held for it, if any. */
    public Optional<Ipv4Address> offeredTo(ClientKey key, long nowMillis) {
        Slot slot = offersByClient.get(key);
        if (slot == null || slot.offerExpiry <= nowMillis) {
            return Optional.empty();
        }
        return Optional.of(Ipv4Address.of(slot.address));
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
        Slot slot = byAddress.get(address.value());
        if (slot == null) {
            return true;
        }
        if (slot.offeredTo != null && slot.offerExpiry > nowMillis && !slot.offeredTo.equals(key)) {
            return false;
        }
        if (slot.hasLease() && slot.state().holdsAddress() && slot.expiry + expiryGraceMillis > nowMillis) {
            return slot.state() == LeaseState.BOUND && slot.isClient(key);
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
        Slot slot = slotFor(subnet, address);
        Slot previous = offersByClient.put(key, slot);
        if (previous != null && previous != slot) {
            clearOffer(previous);
        }
        if (slot.offeredTo == null) {
            slot.subnet.countOffer(slot.pool(), 1);
        }
        slot.offeredTo = key;
        slot.offerExpiry = nowMillis + offerHoldMillis;
        syncPool(slot);
        schedule(slot, slot.offerExpiry);
    }

    /** Frees the address offered to this client, if any: the client chose another server. */
    public void withdrawOffer(ClientKey key) {
        Slot slot = offersByClient.remove(key);
        if (slot != null && key.equals(slot.offeredTo)) {
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
        Slot slot = slotFor(subnet, address);
        Instant now = Instant.ofEpochMilli(nowMillis);
        List<Lease> writes = new ArrayList<>(2);
        Lease bound = new Lease(address, key, hardwareAddress, hostname, LeaseState.BOUND, now.plus(leaseTime),
                nextVersion(slot), hostnameSent);
        setLease(slot, bound, nowMillis);
        writes.add(bound);
        Slot previous = byClient.put(key, slot);
        if (previous != null && previous != slot && previous.hasLease() && previous.isClient(key)
                && previous.leaseHolds && previous.state() == LeaseState.BOUND) {
            Lease ended = previous.lease().withState(LeaseState.EXPIRED, now, epochOf(previous), node);
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
        Slot slot = byAddress.get(address.value());
        if (slot == null || !slot.isLiveBindingOf(key, nowMillis)) {
            return Optional.empty();
        }
        Lease released = slot.lease().withState(LeaseState.RELEASED, Instant.ofEpochMilli(nowMillis), epochOf(slot),
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
        Slot slot = byAddress.get(address.value());
        if (slot == null) {
            return Optional.empty();
        }
        boolean offered = key.equals(slot.offeredTo) && slot.offerExpiry > nowMillis;
        if (!offered && !slot.isLiveBindingOf(key, nowMillis)) {
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
        SlotIndex.OrderedAddresses ordered = byAddress.ordered();
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
            Slot slot = byAddress.get(address);
            if (!slot.hasLease()) {
                continue;
            }
            Lease lease = slot.lease();
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
        Slot slot = byAddress.get(address.value());
        if (slot == null || !slot.leaseHolds || slot.expiry <= nowMillis) {
            return Optional.empty();
        }
        Lease ended = slot.lease().withState(LeaseState.EXPIRED, Instant.ofEpochMilli(nowMillis), epochOf(slot),
                node);
        setLease(slot, ended, nowMillis);
        if (ended.clientKey().equals(slot.offeredTo)) {
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
        Slot slot = byAddress.get(refused.address().value());
        if (slot == null || !slot.hasLease() || !refused.equals(slot.lease())) {
            return false;
        }
        count(slot, -1);
        slot.leaseHolds = false;
        slot.graceUntil = 0;
        slot.clearLease();
        if (byClient.get(refused.clientKey()) == slot) {
            byClient.remove(refused.clientKey());
        }
        if (agreed.isPresent()) {
            merge(agreed.get(), nowMillis);
        }
        if (expiryGraceMillis > 0) {
            if (!slot.leaseHolds) {
                slot.graceUntil = Math.max(slot.graceUntil, nowMillis + expiryGraceMillis);
                schedule(slot, slot.graceUntil);
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

    /** How many addresses of the blocks whose ids are in {@code blockIds} are free now. */
    public long freeIn(Set<Ipv4Address> blockIds) {
        long free = 0;
        for (ServedSubnet subnet : subnets) {
            for (AddressBlock block : subnet.blocks()) {
                if (blockIds.contains(block.first())) {
                    free += subnet.freeCount(block);
                }
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
    private LeaseVersion nextVersion(Slot slot) {
        return !slot.hasLease()
                ? LeaseVersion.first(EPOCH, node)
                : slot.version().next(epochOf(slot), node);
    }

    /**
     * The epoch of a change of {@code lease}: {@link #EPOCH}, unless the lease was loaded with a
     * version of a later epoch (its store was once a cluster member's); then that epoch, so that
     * the change still supersedes it.
     */
    private static long epochOf(Slot slot) {
        return Math.max(EPOCH, slot.epoch());
    }

    private Slot slotFor(ServedSubnet subnet, Ipv4Address address) {
        Slot slot = byAddress.get(address.value());
        if (slot == null) {
            slot = new Slot(address.value(), subnet);
            byAddress.add(slot);
        }
        return slot;
    }

    /** Puts a new lease into a slot, keeping counters, pool bit and expiry queue in step. */
    private void setLease(Slot slot, Lease lease, long nowMillis) {
        count(slot, -1);
        slot.store(lease);
        slot.leaseHolds = lease.state().holdsAddress() && slot.expiry > nowMillis;
        long graceEnd = slot.expiry + expiryGraceMillis;
        slot.graceUntil = !slot.leaseHolds && lease.state().holdsAddress() && graceEnd > nowMillis ? graceEnd : 0;
        if (slot.graceUntil != 0) {
            schedule(slot, slot.graceUntil);
        }
        count(slot, 1);
        syncPool(slot);
        if (slot.leaseHolds) {
            schedule(slot, slot.expiry);
        }
    }

    private void count(Slot slot, int delta) {
        if (slot.leaseHolds) {
            if (slot.state() == LeaseState.BOUND) {
                slot.subnet.countBound(slot.pool(), delta);
            } else {
                slot.subnet.countDeclined(slot.pool(), delta);
            }
        }
    }

    private void clearOffer(Slot slot) {
        if (slot.offeredTo == null) {
            return;
        }
        if (offersByClient.get(slot.offeredTo) == slot) {
            offersByClient.remove(slot.offeredTo);
        }
        slot.offeredTo = null;
        slot.subnet.countOffer(slot.pool(), -1);
        syncPool(slot);
    }

    /**
     * Queues the slot to be settled at {@code atMillis}, unless it is queued for that time or
     * earlier already. {@link Slot#NOT_QUEUED} queues nothing.
     */
    private void schedule(Slot slot, long atMillis) {
        if (atMillis < slot.queuedAt) {
            slot.queuedAt = atMillis;
            due.add(atMillis, slot);
        }
    }

    /** Ends whatever holds of this slot are past their end; a slot whose end moved later finds nothing to do yet. */
    private void settle(Slot slot, long nowMillis) {
        if (slot.offeredTo != null && slot.offerExpiry <= nowMillis) {
            clearOffer(slot);
        }
        if (slot.leaseHolds && slot.expiry <= nowMillis) {
            count(slot, -1);
            slot.leaseHolds = false;
            slot.graceUntil = slot.expiry + expiryGraceMillis;
            if (slot.graceUntil > nowMillis) {
                schedule(slot, slot.graceUntil);
            }
            syncPool(slot);
        }
        if (slot.graceUntil != 0 && slot.graceUntil <= nowMillis) {
            slot.graceUntil = 0;
            syncPool(slot);
        }
    }

    /** The pool bit of a dynamic address is set exactly while something holds the address, or its grace lasts. */
    private static void syncPool(Slot slot) {
        if (slot.offeredTo != null || slot.leaseHolds || slot.graceUntil != 0) {
            slot.subnet.claim(Ipv4Address.of(slot.address));
        } else {
            slot.subnet.release(Ipv4Address.of(slot.address));
        }
    }

    private static long millis(Instant instant) {
        return instant.toEpochMilli();
    }

    /**
     * What the table knows of one address: its newest lease, kept as numbers rather than as a
     * {@link Lease} (see "Memory" in the class comment), and the holds on the address.
     */
    private static final class Slot {
        /** {@link #queuedAt} of a slot with no entry in the expiry queue; also "no end" for {@link #nextEnd}. */
        static final long NOT_QUEUED = Long.MAX_VALUE;

        private static final LeaseState[] STATES = LeaseState.values();
        /** {@link #stateCode} of a slot whose address has only ever been offered. */
        private static final byte NO_LEASE = -1;
        /** {@link #epoch} of a lease whose epoch does not fit in an int: {@link Extra#epoch} holds it. */
        private static final int LONG_EPOCH = -1;

        /** The address, network order. */
        final int address;
        final ServedSubnet subnet;
        /** The ordinal of the state of the newest lease of the address, or {@link #NO_LEASE}. */
        byte stateCode = NO_LEASE;
        /** The lease's client key packed ({@link PackedClientKey}), or {@link PackedClientKey#NONE} if {@link #extra} holds it. */
        long client;
        /** The lease's expiry in epoch milliseconds (floored, as {@link Instant#toEpochMilli}). */
        long expiry;
        /** The version's epoch, or {@link #LONG_EPOCH} (elections would need billions of terms to get there). */
        int epoch;
        long counter;
        int writer;
        /** What the lease has beyond the common case, or null (see {@link Extra}). */
        Extra extra;
        /** True while the lease is bound or declined and not yet past its expiry (as last settled). */
        boolean leaseHolds;
        /** When the grace of the lease, ended by time, ends; 0 if no grace keeps the address. */
        long graceUntil;
        /** The client the address is offered to, or null. */
        ClientKey offeredTo;
        long offerExpiry;
        /** The time of this slot's live entry in the expiry queue, or {@link #NOT_QUEUED}. */
        long queuedAt = NOT_QUEUED;

        Slot(int address, ServedSubnet subnet) {
            this.address = address;
            this.subnet = subnet;
        }

        boolean hasLease() {
            return stateCode != NO_LEASE;
        }

        /** The state of the newest lease, or null if the address has only ever been offered. */
        LeaseState state() {
            return stateCode == NO_LEASE ? null : STATES[stateCode];
        }

        long epoch() {
            return epoch != LONG_EPOCH ? epoch : extra.epoch();
        }

        /**
         * The pool of the subnet that hands out {@link #address}, or -1 ({@link ServedSubnet#poolOf}):
         * looked up when counted rather than kept, a binary search over the subnet's few pools.
         */
        int pool() {
            return subnet.poolOf(Ipv4Address.of(address));
        }

        /** Keeps {@code lease} as the address's newest lease. */
        void store(Lease lease) {
            long packed = PackedClientKey.pack(lease.clientKey());
            HardwareAddress hardware = lease.hardwareAddress();
            boolean keyCarriesHardware = packed != PackedClientKey.NONE
                    && PackedClientKey.carriesHardware(packed, hardware);
            long expiryMillis = millis(lease.expiry());
            boolean exactMillis = lease.expiry().getNano() % 1_000_000 == 0;
            long leaseEpoch = lease.version().epoch();
            boolean intEpoch = leaseEpoch < Integer.MAX_VALUE;
            stateCode = (byte) lease.state().ordinal();
            client = packed;
            expiry = expiryMillis;
            epoch = intEpoch ? (int) leaseEpoch : LONG_EPOCH;
            counter = lease.version().counter();
            writer = lease.version().writer().value();
            if (packed != PackedClientKey.NONE && keyCarriesHardware && exactMillis && intEpoch
                    && lease.hostname().isEmpty() && lease.hostnameSent().isEmpty()) {
                extra = null;
            } else {
                extra = new Extra(packed == PackedClientKey.NONE ? lease.clientKey() : null,
                        keyCarriesHardware ? null : hardware, lease.hostname().orElse(null),
                        lease.hostnameSent().orElse(null), exactMillis ? null : lease.expiry(), leaseEpoch);
            }
        }

        void clearLease() {
            stateCode = NO_LEASE;
            client = PackedClientKey.NONE;
            extra = null;
            expiry = 0;
            epoch = 0;
            counter = 0;
            writer = 0;
        }

        ClientKey clientKey() {
            return client != PackedClientKey.NONE ? PackedClientKey.unpack(client) : extra.key();
        }

        /** True if the lease is bound to (or was declined by) {@code key}. */
        boolean isClient(ClientKey key) {
            long packed = PackedClientKey.pack(key);
            return packed != PackedClientKey.NONE ? packed == client
                    : client == PackedClientKey.NONE && extra != null && key.equals(extra.key());
        }

        LeaseVersion version() {
            return new LeaseVersion(epoch(), counter, new NodeId(writer));
        }

        /** True if the lease's version is below {@code other}: {@code other.isAfter(version())}. */
        boolean isBefore(LeaseVersion other) {
            long own = epoch();
            if (other.epoch() != own) {
                return other.epoch() > own;
            }
            if (other.counter() != counter) {
                return other.counter() > counter;
            }
            return other.writer().value() > writer;
        }

        Instant expiryInstant() {
            return extra != null && extra.exactExpiry() != null ? extra.exactExpiry() : Instant.ofEpochMilli(expiry);
        }

        /** The newest lease of the address, built from what the slot keeps; only if {@link #hasLease}. */
        Lease lease() {
            Extra more = extra;
            HardwareAddress hardware = more != null && more.hardware() != null ? more.hardware()
                    : PackedClientKey.hardwareOf(client);
            return new Lease(Ipv4Address.of(address), clientKey(), hardware,
                    Optional.ofNullable(more == null ? null : more.hostname()), state(), expiryInstant(), version(),
                    Optional.ofNullable(more == null ? null : more.hostnameSent()));
        }

        /** The earliest end of a hold of this slot (offer or lease), or {@link #NOT_QUEUED} if nothing holds it. */
        long nextEnd() {
            long end = offeredTo != null ? offerExpiry : NOT_QUEUED;
            if (graceUntil != 0) {
                end = Math.min(end, graceUntil);
            }
            return leaseHolds ? Math.min(end, expiry) : end;
        }

        boolean isLiveBindingOf(ClientKey key, long nowMillis) {
            return leaseHolds && stateCode == LeaseState.BOUND.ordinal() && isClient(key) && expiry > nowMillis;
        }
    }

    /**
     * The rarer parts of a lease, kept only when a lease has one: a client key too long to pack,
     * a hardware address its client key does not carry, host names, an expiry finer than a
     * millisecond. Each field is null when the lease does not need it; {@code epoch} is the
     * version's, read only when it does not fit the slot's int.
     */
    private record Extra(ClientKey key, HardwareAddress hardware, String hostname, HostNameSent hostnameSent,
            Instant exactExpiry, long epoch) {
    }
}
