package dev.dhcpcluster.core.cluster;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerTransport;
import dev.dhcpcluster.port.time.Cancellable;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * How a node whose lease store was lost catches up before it serves again, and how every node
 * serves the snapshot it needs: pages of its leases in address order. A state machine on the
 * node's {@link Scheduler}, beside the node's {@link LeaseReplication}: no threads, no clock but
 * the scheduler's timers; every method, and every callback, runs on the scheduler's thread.
 *
 * <h2>The protocol</h2>
 * <ol>
 * <li>A node whose store was lost starts its {@link LeaseReplication} recovering: it accepts no
 *     change, its own nor a peer's, and installs committed leases ({@link PeerMessage.LeaseCommit})
 *     as any replica does.
 * <li>It reads a snapshot from every connected peer at once: a
 *     {@link PeerMessage.SnapshotRequest SnapshotRequest} for the first {@value #PAGE_SIZE} leases,
 *     then for the next page after the last address of each page that came, again every
 *     retransmission interval while a page does not come. A peer that disconnects is left where it
 *     was, and read on from there when it connects again; the others go on meanwhile.
 * <li>A peer answers from its own store, in address order, unless it is recovering itself (its
 *     store is not complete: it answers nothing). On the first request of a node, and on every
 *     one after, it forgets the acknowledgements that node gave its changes in flight (see
 *     below).
 * <li>The node checks every page (see <em>Bad pages</em>), installs each lease of it the way a
 *     committed lease is installed (only over a lower version), and keeps, for each address, the
 *     lease the pages named and which peers named it.
 * <li>Once the snapshots of {@link #peersNeeded(int) enough peers} are complete, the recovery
 *     ends: {@link LeaseReplication} accepts changes again, except of the addresses whose pages
 *     did not agree (below), and the node hears "caught up".
 * </ol>
 *
 * <h2>How many peers: ceil(n/2)</h2>
 * Let n be the number of configured members and m = floor(n/2) + 1 a majority. A committed lease
 * was durable on m members when it was committed, and each of them holds it, or a later version of
 * the address, for as long as its store lasts (a replica's version of an address only goes up). The
 * recovering node may have been one of them, and its copy is gone: at least m - 1 of its n - 1 peers
 * hold the lease or a later version. A set of k peers misses all of them only if k fits among the
 * other (n - 1) - (m - 1) = n - m peers, so k = n - m + 1 = ceil(n/2) complete snapshots always
 * include one of them, and fewer may not: with k = n - m, the m - 1 holders can be exactly the peers
 * not read. For 3 members that is 2 peers (both), for 5 members 3, for 4 members 2. A node alone
 * (n = 1) has no peer to read and its only copy is gone: its recovery ends at once. Since the node
 * installs the highest version any page names, after the recovery it holds every committed lease
 * or a later version of its address.
 *
 * <h2>Why the node may vote again: what it must not forget</h2>
 * The replication's safety rests on each replica never accepting two changes that replace one
 * lease (see {@link LeaseReplication}). A node that lost its store forgot what it accepted; it
 * may vote again only once what it then holds is at least as strict as what it forgot:
 * <ul>
 * <li><em>Committed changes.</em> Every change committed before a snapshot page of its address
 *     was read is held by one of the peers read (above), so the node holds it or a later version.
 * <li><em>Acknowledgements still in flight.</em> A writer may still count an acknowledgement the
 *     node gave before it lost its store, and commit with it after the node read the page of that
 *     address. So a peer forgets the node's acknowledgements of its changes in flight as soon as
 *     the node asks it for a page, and counts the node again only when it acknowledges anew; and
 *     every peer is asked, not only as many as are needed.
 * <li><em>Pages that do not agree.</em> A page may name a version that was never committed, and
 *     may be the sibling of a committed one (two changes that replaced one lease, the committed
 *     one accepted by this node before it lost its store): holding it, the node would accept the
 *     uncommitted branch and commit it beside the other. A version that every complete snapshot
 *     names is held by a peer of every majority that committed anything of the address since, so
 *     it is the latest committed one or later on its chain, and the node holds it as any replica
 *     does. An address whose pages did not all name one lease is <em>unsettled</em>: the node
 *     keeps the highest version, takes no change of the address, and settles it when it installs
 *     a committed lease of it at or above that version ({@link LeaseReplication#unsettled}).
 * <li><em>Changes refused while recovering.</em> The node refused every change meanwhile, and its
 *     writer counts the refusal and sends the change to the node no more. Such a change either
 *     commits without the node, and then its writer announces the commit to the node until it
 *     answers (a peer that did not acknowledge hears it), so the node installs it during or after
 *     its recovery; or it never commits, and then nothing is lost. A writer that crashes before its
 *     announcement reaches the node leaves the committed lease on a majority without the node,
 *     which no conflicting change can then reach; the node holds the lease it replaced, or a
 *     later one, and takes the next change of the address that builds on it. Should a copy of the
 *     change still reach the caught-up node (the network duplicates), the node answers it as any
 *     replica would: it accepts it only from the lease it names, and acknowledges it again only
 *     if it holds exactly that lease, which every complete snapshot then named (above).
 * </ul>
 *
 * <h2>Bad pages</h2>
 * A page that does not parse closes its connection in the transport. A page that parses but names
 * a lease outside this node's pools, or a version of an epoch above every epoch this node has seen,
 * is refused whole: nothing of it is installed, the node stops reading from that peer, and reports
 * it ({@code misbehaved}) so that the runtime logs it and disconnects; the node reads on from the
 * same place when the peer connects again. A page longer than asked for is refused the same way. A
 * page that answers another request than the one outstanding (a duplicate, a late one) is ignored.
 *
 * <h2>A crash before every address is settled</h2>
 * The unsettled marks live in memory. So the runtime keeps its durable record that the store was
 * lost until it hears {@code settled}, not only {@code caughtUp}: a node that crashes in between
 * starts recovering again, refuses every change, and reads fresh snapshots, which is safe with its
 * store intact too (it only raises versions, and its peers forget its acknowledgements again). An
 * address that no change touches again stays unsettled, and the record with it: the only cost is
 * another catch-up after the next restart.
 *
 * <h2>What this version does not do</h2>
 * A writer that never hears the node's requests (cut off from it throughout the recovery, while it
 * reaches a majority) can still count an acknowledgement the node gave before it lost its store.
 * That needs a writer to stay out of the node's reach at an unlucky moment; closing it needs
 * writers that give up on a change after a bounded time, and a node that waits that long before
 * it reads.
 */
public final class LeaseCatchUp {

    /**
     * The most leases one page holds. A lease's CBOR map is at most about 950 bytes (its client
     * identifier, host name and the name the client sent are DHCP options of at most 255 octets
     * each, its hardware address 16 octets, and the rest is numbers and field names), so a page of
     * 256 is at most about 240 KiB: a quarter of the transport's default 1 MiB frame, and as few
     * pages as that allows for a table of tens of thousands of leases.
     */
    public static final int PAGE_SIZE = 256;

    /** Where the snapshot this node serves comes from: its own leases. */
    @FunctionalInterface
    public interface Snapshot {

        /**
         * At most {@code limit} of this node's leases (the newest of each address, in any state), in
         * ascending address order, each address above {@code after} (from the lowest if empty).
         */
        List<Lease> leasesAfter(Optional<Ipv4Address> after, int limit);
    }

    /**
     * How many complete snapshots end a recovery. Production always uses {@link #CEILING_OF_HALF}.
     * The seam exists only so that the simulation can prove its checker catches a recovery that ends
     * too early. Package-private on purpose.
     */
    @FunctionalInterface
    interface PeersNeeded {
        PeersNeeded CEILING_OF_HALF = LeaseCatchUp::peersNeeded;

        int required(int members);
    }

    /** One peer's snapshot being read: where it stands, and the retransmission timer. */
    private static final class Read {
        Optional<Ipv4Address> cursor = Optional.empty();
        boolean reading;
        boolean complete;
        Cancellable timer;
    }

    private final NodeId self;
    /** In id order, so that one run of a simulation seed sends in one order in every JVM. */
    private final List<NodeId> peers;
    private final Scheduler scheduler;
    private final PeerTransport transport;
    private final LeaseReplication replication;
    private final Snapshot snapshot;
    private final Predicate<Ipv4Address> inPools;
    private final LongSupplier highestEpoch;
    private final LongSupplier epoch;
    private final Duration retransmit;
    private final Runnable caughtUp;
    private final Runnable settled;
    private final BiConsumer<NodeId, String> misbehaved;
    private final int required;
    private final Map<NodeId, Read> reads = new HashMap<>();
    /**
     * What the pages named of each address: the first lease read of it ({@link #firstNamed}) and,
     * as bits, the peers that named exactly that lease (bit {@code i} for {@code peers.get(i)})
     * and whether any named another ({@link #differsBit}). Packed, since a node that recovers
     * reads every lease of the cluster.
     */
    private NewestLeases firstNamed = new NewestLeases();
    private AddressBits named;
    private final int differsBit;
    private boolean started;

    /**
     * @param self this node
     * @param members every configured member, this node included
     * @param replication this node's replication: recovering if its store was lost
     * @param snapshot this node's leases in address order, for the pages it serves
     * @param inPools true for an address inside one of this node's pools: a page naming another is refused
     * @param highestEpoch the highest epoch this node has seen: a page naming a version of a later one is refused
     * @param epoch the epoch this node speaks in now
     * @param retransmit how long to wait for a page before asking again
     * @param caughtUp run once, when the recovery ends (at once from {@link #start} if there is none):
     *     the node may serve from then on
     * @param settled run once, after {@code caughtUp}, when no address is unsettled any more (at once if
     *     none was): the runtime keeps its durable record that the store was lost until then, so that a
     *     node that crashes before starts recovering again (see the class comment)
     * @param misbehaved told of a peer that sent a page that parsed but cannot be right, and why
     */
    public LeaseCatchUp(NodeId self, Set<NodeId> members, Scheduler scheduler, PeerTransport transport,
            LeaseReplication replication, Snapshot snapshot, Predicate<Ipv4Address> inPools, LongSupplier highestEpoch,
            LongSupplier epoch, Duration retransmit, Runnable caughtUp, Runnable settled,
            BiConsumer<NodeId, String> misbehaved) {
        this(self, members, scheduler, transport, replication, snapshot, inPools, highestEpoch, epoch, retransmit,
                caughtUp, settled, misbehaved, PeersNeeded.CEILING_OF_HALF);
    }

    LeaseCatchUp(NodeId self, Set<NodeId> members, Scheduler scheduler, PeerTransport transport,
            LeaseReplication replication, Snapshot snapshot, Predicate<Ipv4Address> inPools, LongSupplier highestEpoch,
            LongSupplier epoch, Duration retransmit, Runnable caughtUp, Runnable settled,
            BiConsumer<NodeId, String> misbehaved, PeersNeeded needed) {
        this.self = Objects.requireNonNull(self, "self");
        if (!members.contains(self)) {
            throw new IllegalArgumentException(self + " is not one of the members " + members);
        }
        Set<NodeId> others = new TreeSet<>(members);
        others.remove(self);
        this.peers = List.copyOf(others);
        this.differsBit = peers.size();
        this.named = new AddressBits(differsBit + 1);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.replication = Objects.requireNonNull(replication, "replication");
        this.snapshot = Objects.requireNonNull(snapshot, "snapshot");
        this.inPools = Objects.requireNonNull(inPools, "inPools");
        this.highestEpoch = Objects.requireNonNull(highestEpoch, "highestEpoch");
        this.epoch = Objects.requireNonNull(epoch, "epoch");
        if (retransmit.isNegative() || retransmit.isZero()) {
            throw new IllegalArgumentException("the retransmission interval must be positive, not " + retransmit);
        }
        this.retransmit = retransmit;
        this.caughtUp = Objects.requireNonNull(caughtUp, "caughtUp");
        this.settled = Objects.requireNonNull(settled, "settled");
        this.misbehaved = Objects.requireNonNull(misbehaved, "misbehaved");
        this.required = Math.min(needed.required(members.size()), peers.size());
        for (NodeId peer : peers) {
            reads.put(peer, new Read());
        }
    }

    /**
     * How many peers' complete snapshots a node of a cluster of {@code members} needs to end its
     * recovery: ceil(members / 2), see the class comment (none for a node alone).
     */
    public static int peersNeeded(int members) {
        if (members < 1) {
            throw new IllegalArgumentException("a cluster has at least one member, not " + members);
        }
        return Math.min(members - (members / 2 + 1) + 1, members - 1);
    }

    /**
     * Begins: a recovering node starts reading from the peers connected now (others as they
     * connect), or ends at once if it needs none. Call once, after the node is attached to the
     * transport.
     */
    public void start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        if (!replication.recovering()) {
            return;
        }
        if (required == 0) {
            finish();
            return;
        }
        for (NodeId peer : peers) {
            if (transport.connected().contains(peer)) {
                read(peer);
            }
        }
    }

    /** True once the node serves: it was not recovering, or its recovery ended. */
    public boolean caughtUp() {
        return !replication.recovering();
    }

    /** {@code peer} connected: a recovering node reads its snapshot, on from where it stopped. */
    public void connected(NodeId peer) {
        if (started && replication.recovering() && reads.containsKey(peer)) {
            read(peer);
        }
    }

    /** {@code peer} disconnected: its snapshot waits where it is until it connects again. */
    public void disconnected(NodeId peer) {
        Read read = reads.get(peer);
        if (read != null) {
            stop(read);
        }
    }

    /** Hands a snapshot message from a peer; other kinds, and messages from a node that is not a peer, are ignored. */
    public void received(PeerMessage message) {
        if (!reads.containsKey(message.from())) {
            return;
        }
        if (message instanceof PeerMessage.SnapshotRequest request) {
            serve(request);
        } else if (message instanceof PeerMessage.SnapshotPage page) {
            pageReceived(page);
        }
    }

    private void serve(PeerMessage.SnapshotRequest request) {
        if (replication.recovering()) {
            // This node's own snapshot is not complete: counting it would end the other's recovery too early.
            return;
        }
        replication.forgetAcknowledgements(request.from());
        int size = Math.min(request.pageSize(), PAGE_SIZE);
        List<Lease> leases = snapshot.leasesAfter(request.after(), size + 1);
        boolean last = leases.size() <= size;
        transport.send(request.from(), new PeerMessage.SnapshotPage(self, epoch.getAsLong(), request.after(),
                last ? leases : leases.subList(0, size), last));
    }

    private void read(NodeId peer) {
        Read read = reads.get(peer);
        if (read.complete || read.reading) {
            return;
        }
        read.reading = true;
        ask(peer, read);
    }

    private void ask(NodeId peer, Read read) {
        transport.send(peer, new PeerMessage.SnapshotRequest(self, epoch.getAsLong(), read.cursor, PAGE_SIZE));
        read.timer = scheduler.schedule(retransmit, () -> {
            if (read.reading) {
                ask(peer, read);
            }
        });
    }

    private void stop(Read read) {
        read.reading = false;
        if (read.timer != null) {
            read.timer.cancel();
            read.timer = null;
        }
    }

    private void pageReceived(PeerMessage.SnapshotPage page) {
        Read read = reads.get(page.from());
        if (!replication.recovering() || !read.reading || !page.after().equals(read.cursor)) {
            return;
        }
        Optional<String> wrong = wrong(page);
        if (wrong.isPresent()) {
            stop(read);
            misbehaved.accept(page.from(), wrong.get());
            return;
        }
        int peerBit = peers.indexOf(page.from());
        for (Lease lease : page.leases()) {
            Optional<Lease> first = firstNamed.get(lease.address());
            if (first.isEmpty()) {
                firstNamed.put(lease);
            }
            named.set(lease.address().value(), first.isEmpty() || first.get().equals(lease) ? peerBit : differsBit);
            replication.install(lease);
        }
        stop(read);
        if (!page.leases().isEmpty()) {
            read.cursor = Optional.of(page.leases().get(page.leases().size() - 1).address());
        }
        if (!page.last()) {
            read.reading = true;
            ask(page.from(), read);
            return;
        }
        read.complete = true;
        long complete = reads.values().stream().filter(r -> r.complete).count();
        if (complete >= required) {
            finish();
        }
    }

    /** Why {@code page} cannot be right, if it cannot. */
    private Optional<String> wrong(PeerMessage.SnapshotPage page) {
        if (page.leases().size() > PAGE_SIZE) {
            return Optional.of("a snapshot page of " + page.leases().size() + " leases, " + PAGE_SIZE + " were asked for");
        }
        long highest = highestEpoch.getAsLong();
        for (Lease lease : page.leases()) {
            if (!inPools.test(lease.address())) {
                return Optional.of("a snapshot page names " + lease.address() + ", outside every pool of this node");
            }
            if (lease.version().epoch() > highest) {
                return Optional.of("a snapshot page names version " + lease.version() + " of " + lease.address()
                        + ", of an epoch above " + highest + ", the highest this node has seen");
            }
        }
        return Optional.empty();
    }

    private void finish() {
        Set<NodeId> complete = new HashSet<>();
        reads.forEach((peer, read) -> {
            stop(read);
            if (read.complete) {
                complete.add(peer);
            }
        });
        Set<Ipv4Address> unsettled = new HashSet<>();
        named.forEach(address -> {
            boolean agreed = !named.get(address, differsBit);
            for (int peer = 0; agreed && peer < peers.size(); peer++) {
                agreed = !complete.contains(peers.get(peer)) || named.get(address, peer);
            }
            if (!agreed) {
                unsettled.add(Ipv4Address.of(address));
            }
        });
        firstNamed = new NewestLeases();
        named = new AddressBits(differsBit + 1);
        replication.recovered(unsettled);
        caughtUp.run();
        replication.whenSettled(settled);
    }
}
