package dev.dhcpcluster.core.cluster;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerTransport;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Majority replication of one node's lease changes: the node hands every change it makes to
 * {@link #propose}, and learns when the change is durable on a majority of the configured cluster,
 * itself included, which is when a DHCPACK may leave. A state machine on the node's
 * {@link Scheduler}: no threads, no I/O of its own; every method, and every callback, runs on the
 * scheduler's thread.
 *
 * <h2>The protocol</h2>
 * <ol>
 * <li>The writer sends {@link PeerMessage.LeaseChange LeaseChange(lease, replaced)}, which names
 *     in full the lease it replaces (as the writer holds it), to every
 *     peer, again to each peer that has not answered after one to two retransmission intervals,
 *     then every interval (one timer sweeps all the changes in flight). It writes the
 *     lease to its own store once enough peers acknowledged that its own copy completes a
 *     majority (at once in a cluster of one), under the same acceptance rule as any replica: so a
 *     refused change leaves no trace on the writer, whose version stays the cluster's.
 * <li>The acceptance rule (a replica, and the writer itself for its own change): a change is
 *     accepted only if the replica's current lease of the address <em>equals</em> the lease the
 *     change names as replaced, every field of it (none for an address it holds no lease of); the
 *     same version is not enough. The replica writes it, and once it is durable answers
 *     {@link PeerMessage.LeaseAck LeaseAck(lease)}. A replica that already holds exactly that
 *     lease acknowledges again, once it is durable: duplicates and reordered retransmissions are
 *     harmless. Any other replica answers {@link PeerMessage.LeaseRefusal LeaseRefusal(lease)},
 *     which the writer counts as final (see {@link PeerMessage.LeaseRefusal}).
 * <li>An answer counts only for the change of exactly the lease it names, not for any change of
 *     that version: a writer that crashed before its change was written here reads no trace of it
 *     when it restarts, so its next change of the address can get the same version (for another
 *     client), and a peer's answer to the earlier change can reach the new run late (a slow disk
 *     delays it past the restart). Counted by version, it would commit a lease that only the
 *     writer holds.
 * <li>The change is <em>committed</em> when the writer's own durable write and the acknowledgements
 *     of the peers make a majority of the configured members; the caller hears
 *     {@link Outcome#COMMITTED}. When refusals make a majority impossible, the caller hears
 *     {@link Outcome#REFUSED}, and must not ACK: a change that cannot reach a majority never does.
 * <li>Catch-up: once committed, the writer sends {@link PeerMessage.LeaseCommit LeaseCommit(lease)}
 *     to every peer that did not acknowledge, until each answers: at once to a peer that refused
 *     the change, after one to two retransmission intervals to one that has not answered yet
 *     (its acknowledgement of the change, usually on its way, ends the announcement, so the
 *     common case costs no commit frame). Announcing later or not at all changes no replica's
 *     version, so the argument below does not depend on it. A replica installs a committed
 *     lease over any lower version it holds, skipping whatever changes it missed.
 * </ol>
 *
 * <h2>Why no address is bound to two clients (DESIGN rule 1)</h2>
 * What a replica holds of an address changes in three ways only: it accepts a change (from
 * exactly the lease the change names to one of a higher version), installs a committed lease over
 * one of a lower version, or installs a committed lease over another lease of the same version
 * (a change lost with its writer, below). At most one lease of a version is ever committed: a
 * commit needs the writer's own durable copy, and a writer never builds a second lease at a
 * version it holds. So a replica's versions only go up, and a replica that held a lease and then
 * another never holds the first again. Two changes that replace the same lease {@code R} cannot
 * both be committed: their majorities share a replica, which held {@code R} when it accepted the
 * first and never again. More generally, every committed change was accepted by a majority that
 * held, each of them, exactly the lease it replaces: the committed leases of an address form one
 * chain, each written by a node that held the previous link in full (or a lease a majority took
 * from it). So the owner can reuse an address only by replacing the latest committed lease, which
 * it judges expired (after the grace period), and a renewal by a partitioned peer of an older
 * lease is refused by the majority.
 *
 * <p>A writer can reuse a version: a change refused, or lost in a crash before the writer's own
 * copy was durable (it reads no trace of it when it restarts), leaves its version free, and the
 * writer's next change of the address gets the same version, for another client perhaps. Replicas
 * that took the lost change then hold another lease at that version than the ones that took the
 * next. That is harmless because a change names the whole lease it replaces: a change built on
 * the lost lease (its client's renewal by a replica that took over the address) is refused by
 * every replica that holds the committed one, and the reverse, so no change commits without its
 * writer knowing the lease it replaces. Naming only the version, the lost lease's renewal would
 * replace the committed lease on the replicas that hold it, its client unseen, and bind the
 * address to two clients (the test {@code LostChangeRenewalTest} builds that case step by step).
 * A replica that holds the lost lease installs the committed one of the same version when its
 * commit arrives, so that it takes the chain's next changes again. Answers name whole leases for
 * the same reason (item 3 above).
 *
 * <p>A node whose store was lost forgot which leases it acknowledged, and would break the
 * argument above. It must start {@link #LeaseReplication(NodeId, Set, Scheduler, PeerTransport,
 * Replica, Duration, LongSupplier, boolean) recovering}: it then accepts no change (its own nor a
 * peer's) and only installs committed leases, until {@link LeaseCatchUp} has read complete
 * snapshots from enough peers and ends the recovery (its class comment says how many, and why the
 * node may then vote again). A writer forgets the acknowledgements of a peer that asks it for a
 * snapshot (they are on no disk any more), and a recovered node takes no change of an address
 * whose snapshots did not agree until a committed lease settles it.
 *
 * <p>What this version does not do yet: it does not act on the epoch every message carries (the
 * writer's current one); it keeps announcing a commit to a peer that is down for as long as the
 * peer stays down (one entry per committed change it missed); and an address whose replicas hold
 * different uncommitted leases, none of them on a majority, takes no change again until a
 * recovery that reads a majority exists (a recovered node's unsettled addresses are the same
 * case). Changes lost with a writer's crash before they commit are not retried by anyone: the caller never heard {@link Outcome#COMMITTED}, so no client was
 * acknowledged.
 */
public final class LeaseReplication {

    /** How a proposed change ended. */
    public enum Outcome {
        /** Durable on a majority of the configured cluster, this node included: the ACK may leave. */
        COMMITTED,
        /** Refused by this node or by so many replicas that it can never be committed. */
        REFUSED
    }

    /** The node's own lease store, as the replication uses it. */
    public interface Replica {

        /** The newest lease of {@code address} this node holds: written, durable or not yet. */
        Optional<Lease> current(Ipv4Address address);

        /**
         * Writes {@code lease} as the newest of its address, and runs {@code durable} on the
         * scheduler's thread once it is on disk; never if the write fails or the node dies first.
         */
        void write(Lease lease, Runnable durable);
    }

    /**
     * How many durable copies, the writer's included, commit a change. Production always uses
     * {@link #MAJORITY}. The seam exists so that the deterministic simulation can prove that its
     * checker catches an ACK sent before a majority has the lease: a test in this package builds a
     * node with a smaller quorum. It is package-private on purpose.
     */
    @FunctionalInterface
    interface Quorum {
        Quorum MAJORITY = members -> members / 2 + 1;

        int required(int members);
    }

    /**
     * How a replica checks the lease a change replaces. Production always compares the whole
     * lease; the seam exists only so that the tests can prove they catch a replica that checks
     * less: only the version (the rule before changes named the whole lease, which lets a lease a
     * restarted writer lost be renewed over the one it committed at the same version), or nothing
     * but that the version is newer. Package-private on purpose.
     */
    enum Acceptance {
        CHECKS_REPLACED_LEASE,
        BROKEN_MATCH_REPLACED_VERSION_ONLY,
        BROKEN_ACCEPTS_ANY_NEWER
    }

    /**
     * How an answer is matched to the change it answers. Production always matches the whole
     * lease; the seam exists only so that the simulation can prove its checker catches a writer
     * that counts, after a restart, a late answer to the change it made before. Package-private on
     * purpose.
     */
    enum Answers {
        MATCH_THE_WHOLE_LEASE,
        BROKEN_MATCH_THE_VERSION_ONLY
    }

    private record Key(Ipv4Address address, LeaseVersion version) {
    }

    /** One of this node's changes, not yet committed nor refused. */
    private final class Pending {
        final PeerMessage.LeaseChange change;
        final Consumer<Outcome> done;
        final Set<NodeId> acknowledged = new HashSet<>();
        final Set<NodeId> refused = new HashSet<>();
        boolean written;
        /** True until the first retransmission sweep after it was sent: too young to send again. */
        boolean young = true;

        Pending(PeerMessage.LeaseChange change, Consumer<Outcome> done) {
            this.change = change;
            this.done = done;
        }
    }

    private final NodeId self;
    private final Set<NodeId> members;
    /** In id order, so that one run of a simulation seed sends in one order in every JVM. */
    private final List<NodeId> peers;
    private final Scheduler scheduler;
    private final PeerTransport transport;
    private final Replica replica;
    private final Duration retransmit;
    private final LongSupplier epoch;
    private final int quorum;
    private final Acceptance acceptance;
    /** True until {@link LeaseCatchUp} ends the recovery of a node whose store was lost. */
    private boolean recovering;
    /**
     * Addresses whose lease this node installed from snapshots that did not agree, and takes no
     * change of until a committed lease settles them (see {@link LeaseCatchUp}).
     */
    private final Set<Ipv4Address> unsettled = new HashSet<>();
    /** Run once when the last unsettled address settles; null once run, or before the recovery ended. */
    private Runnable settled;
    private final Answers answers;
    /** In the order proposed, so that a retransmission sweep sends in one order in every run. */
    private final Map<Key, Pending> pending = new LinkedHashMap<>();
    /** The addresses of {@link #pending}: one change of this node's per address at a time. */
    private final Set<Ipv4Address> changing = new HashSet<>();
    /** Committed changes announced to peers that have not answered yet: the peers still to hear. */
    private final Map<Key, Set<NodeId>> announcing = new HashMap<>();
    private final Map<Key, Lease> announced = new HashMap<>();
    /** The keys of {@link #announcing} by address, so that an acknowledgement finds its own in one look-up. */
    private final Map<Ipv4Address, List<Key>> announcingByAddress = new HashMap<>();
    /** Announcements made since the announcer last ran, which it skips once (see {@link #committedIfMajority}). */
    private final Set<Key> youngAnnouncements = new HashSet<>();
    /** Writes not yet durable, with the peers to acknowledge once they are. */
    private final Map<Key, List<NodeId>> writing = new HashMap<>();
    private boolean announcerRunning;
    /** True while the one retransmission timer of {@link #pending} is set. */
    private boolean resenderRunning;

    /**
     * @param self this node
     * @param members every configured member, this node included
     * @param retransmit how long to wait for an answer before sending a change or commit again
     * @param epoch the epoch this node speaks in now
     * @param recovering true if the node's store was lost: it then accepts no change (see the class comment)
     */
    public LeaseReplication(NodeId self, Set<NodeId> members, Scheduler scheduler, PeerTransport transport,
            Replica replica, Duration retransmit, LongSupplier epoch, boolean recovering) {
        this(self, members, scheduler, transport, replica, retransmit, epoch, recovering, Quorum.MAJORITY,
                Acceptance.CHECKS_REPLACED_LEASE);
    }

    LeaseReplication(NodeId self, Set<NodeId> members, Scheduler scheduler, PeerTransport transport, Replica replica,
            Duration retransmit, LongSupplier epoch, boolean recovering, Quorum quorum, Acceptance acceptance) {
        this(self, members, scheduler, transport, replica, retransmit, epoch, recovering, quorum, acceptance,
                Answers.MATCH_THE_WHOLE_LEASE);
    }

    LeaseReplication(NodeId self, Set<NodeId> members, Scheduler scheduler, PeerTransport transport, Replica replica,
            Duration retransmit, LongSupplier epoch, boolean recovering, Quorum quorum, Acceptance acceptance,
            Answers answers) {
        this.self = Objects.requireNonNull(self, "self");
        this.members = Set.copyOf(members);
        if (!this.members.contains(self)) {
            throw new IllegalArgumentException(self + " is not one of the members " + members);
        }
        Set<NodeId> others = new TreeSet<>(this.members);
        others.remove(self);
        this.peers = List.copyOf(others);
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.transport = Objects.requireNonNull(transport, "transport");
        this.replica = Objects.requireNonNull(replica, "replica");
        if (retransmit.isNegative() || retransmit.isZero()) {
            throw new IllegalArgumentException("the retransmission interval must be positive, not " + retransmit);
        }
        this.retransmit = retransmit;
        this.epoch = Objects.requireNonNull(epoch, "epoch");
        this.quorum = quorum.required(this.members.size());
        this.acceptance = acceptance;
        this.recovering = recovering;
        this.answers = Objects.requireNonNull(answers, "answers");
    }

    /**
     * True if this node accepts no change because its store was lost and it has not caught up yet
     * (see the class comment and {@link LeaseCatchUp}).
     */
    public boolean recovering() {
        return recovering;
    }

    /**
     * Ends the recovery: from now on this node accepts changes and proposes its own, except of the
     * {@code unsettled} addresses, which it takes no change of (its own nor a peer's) until it
     * installs a committed lease of each that is at least the version it holds. Called by
     * {@link LeaseCatchUp} once it has read complete snapshots from enough peers.
     */
    void recovered(Set<Ipv4Address> unsettledAddresses) {
        recovering = false;
        unsettled.addAll(unsettledAddresses);
    }

    /** Runs {@code settled} once, when no address is unsettled any more: at once if none is. */
    void whenSettled(Runnable whenSettled) {
        settled = Objects.requireNonNull(whenSettled, "whenSettled");
        settle(null);
    }

    /** {@code address} is settled (if not null); runs the callback if it was the last. */
    private void settle(Ipv4Address address) {
        if (address != null) {
            unsettled.remove(address);
        }
        if (unsettled.isEmpty() && settled != null) {
            Runnable run = settled;
            settled = null;
            run.run();
        }
    }

    /** True if this node takes no change of {@code address} until a committed lease settles it. */
    public boolean unsettled(Ipv4Address address) {
        return unsettled.contains(address);
    }

    /**
     * Writes {@code lease} if it is above the version this node holds of its address, as a
     * committed lease is installed, and answers nobody: how a recovering node takes in a lease
     * from a peer's snapshot.
     *
     * @return true if it was written
     */
    boolean install(Lease lease) {
        Optional<Lease> current = replica.current(lease.address());
        if (current.isEmpty() || lease.version().isAfter(current.get().version())) {
            write(lease);
            return true;
        }
        return false;
    }

    /**
     * Forgets every acknowledgement {@code peer} gave to this node's changes still in flight,
     * which are sent to it again: {@code peer} asked for a snapshot, so it lost its store, and what
     * it acknowledged before is no longer on any disk (see the class comment).
     */
    void forgetAcknowledgements(NodeId peer) {
        for (Pending mine : pending.values()) {
            mine.acknowledged.remove(peer);
        }
    }

    /**
     * Replicates {@code lease}, and writes it here once enough peers hold it (see the class
     * comment); {@code done} hears, once, on the scheduler's thread, whether it was committed. It
     * is refused at once if this node's current lease of the address is not {@code replaced}
     * (the caller must read and propose in one task), or if another change of this node's to the
     * address is still in flight.
     *
     * @param replaced the address's lease the caller read, in full; empty if it read none
     * @throws IllegalArgumentException if {@code lease}'s version is not above {@code replaced}'s,
     *     or {@code replaced} is of another address
     */
    public void propose(Lease lease, Optional<Lease> replaced, Consumer<Outcome> done) {
        PeerMessage.LeaseChange change = new PeerMessage.LeaseChange(self, epoch.getAsLong(), lease, replaced);
        Objects.requireNonNull(done, "done");
        Key key = new Key(lease.address(), lease.version());
        if (recovering || unsettled.contains(lease.address()) || !accepts(change) || changing(lease.address())) {
            scheduler.execute(() -> done.accept(Outcome.REFUSED));
            return;
        }
        Pending mine = new Pending(change, done);
        pending.put(key, mine);
        changing.add(key.address());
        transport.sendToAll(change);
        writeOwnWhenDue(key, mine);
        if (pending.containsKey(key)) {
            startResender();
        }
    }

    /** True while one of this node's own changes of {@code address} is neither committed nor refused. */
    public boolean changing(Ipv4Address address) {
        return changing.contains(address);
    }

    /**
     * Hands a replication message that arrived from a peer; other kinds, and messages from a node
     * that is not a peer (the transport authenticates, so that would be a bug elsewhere), are
     * ignored.
     */
    public void received(PeerMessage message) {
        if (!peers.contains(message.from())) {
            return;
        }
        if (message instanceof PeerMessage.LeaseChange change) {
            changeReceived(change);
        } else if (message instanceof PeerMessage.LeaseAck ack) {
            Key key = new Key(ack.address(), ack.version());
            if (answers(key, ack.lease())) {
                acknowledged(key, ack.from());
            }
            announceAnswered(ack);
        } else if (message instanceof PeerMessage.LeaseRefusal refusal) {
            Key key = new Key(refusal.address(), refusal.refused().version());
            if (answers(key, refusal.refused())) {
                refused(key, refusal.from());
            }
        } else if (message instanceof PeerMessage.LeaseCommit commit) {
            commitReceived(commit);
        }
    }

    /**
     * True if an answer about {@code lease} answers this node's pending change {@code key}: the
     * change must be of exactly that lease. The version alone is not enough, since a restarted
     * node can give a new change the version of one it proposed before the restart.
     */
    private boolean answers(Key key, Lease lease) {
        Pending mine = pending.get(key);
        return mine != null
                && (answers == Answers.BROKEN_MATCH_THE_VERSION_ONLY || mine.change.lease().equals(lease));
    }

    /** How many of this node's changes are neither committed nor refused yet. */
    public int inFlight() {
        return pending.size();
    }

    /** The acceptance rule: this node's current lease of the address is exactly the one the change replaces. */
    private boolean accepts(PeerMessage.LeaseChange change) {
        Optional<Lease> holds = replica.current(change.lease().address());
        return switch (acceptance) {
            case CHECKS_REPLACED_LEASE -> holds.equals(change.replaced());
            case BROKEN_MATCH_REPLACED_VERSION_ONLY ->
                holds.map(Lease::version).equals(change.replaced().map(Lease::version));
            case BROKEN_ACCEPTS_ANY_NEWER -> holds.isEmpty() || change.lease().version().isAfter(holds.get().version());
        };
    }

    private void changeReceived(PeerMessage.LeaseChange change) {
        Lease lease = change.lease();
        Optional<Lease> current = replica.current(lease.address());
        boolean takes = !recovering && !unsettled.contains(lease.address());
        if (takes && current.isPresent() && current.get().equals(lease)) {
            acknowledgeWhenDurable(change.from(), lease);
        } else if (takes && accepts(change)) {
            write(lease);
            acknowledgeWhenDurable(change.from(), lease);
        } else {
            transport.send(change.from(), new PeerMessage.LeaseRefusal(self, epoch.getAsLong(), lease,
                    recovering ? Optional.empty() : current.map(Lease::version)));
        }
    }

    private void commitReceived(PeerMessage.LeaseCommit commit) {
        Lease lease = commit.lease();
        Optional<Lease> current = replica.current(lease.address());
        if (current.isEmpty() || lease.version().isAfter(current.get().version())
                || current.get().version().equals(lease.version()) && !current.get().equals(lease)) {
            // The last case: this node holds another lease of the same version, a change its writer
            // lost (refused, or lost in a crash before its own copy was durable: so never
            // committed) and then reused the version for this one. The committed lease is the
            // chain's; keeping the other, this node would refuse every later change of the chain
            // (they name the committed lease as replaced).
            write(lease);
            settle(lease.address());
            acknowledgeWhenDurable(commit.from(), lease);
        } else {
            if (current.get().equals(lease)) {
                // The lease this node holds is committed: it is on the chain of committed versions.
                settle(lease.address());
            }
            // Holds this version or a later one: the writer may stop announcing.
            acknowledgeWhenDurable(commit.from(), current.get());
        }
    }

    private void write(Lease lease) {
        Key key = new Key(lease.address(), lease.version());
        writing.putIfAbsent(key, new ArrayList<>());
        replica.write(lease, () -> {
            List<NodeId> waiting = writing.remove(key);
            if (waiting != null) {
                for (NodeId peer : waiting) {
                    if (peer.equals(self)) {
                        acknowledged(key, self);
                    } else {
                        transport.send(peer, new PeerMessage.LeaseAck(self, epoch.getAsLong(), lease));
                    }
                }
            }
        });
    }

    private void acknowledgeWhenDurable(NodeId peer, Lease lease) {
        Key key = new Key(lease.address(), lease.version());
        if (peer.equals(self) && !writing.containsKey(key)) {
            acknowledged(key, self);
            return;
        }
        List<NodeId> waiting = writing.get(key);
        if (waiting != null) {
            if (!waiting.contains(peer)) {
                waiting.add(peer);
            }
        } else {
            transport.send(peer, new PeerMessage.LeaseAck(self, epoch.getAsLong(), lease));
        }
    }

    private void acknowledged(Key key, NodeId node) {
        Pending mine = pending.get(key);
        if (mine == null || !mine.acknowledged.add(node)) {
            return;
        }
        if (!node.equals(self)) {
            writeOwnWhenDue(key, mine);
        }
        if (pending.get(key) == mine) {
            committedIfMajority(key, mine);
        }
    }

    /**
     * Writes this node's own change once enough peers hold it that this node's copy completes a
     * majority, if this node still holds the lease the change replaces. Writing it no earlier
     * means that a change the replicas refuse leaves no trace here: this node's version of the
     * address stays the one the cluster holds, and its next change can succeed.
     */
    private void writeOwnWhenDue(Key key, Pending mine) {
        if (mine.written || mine.acknowledged.size() < quorum - 1) {
            return;
        }
        Optional<Lease> current = replica.current(key.address());
        if (current.isPresent() && current.get().equals(mine.change.lease())) {
            mine.written = true;
            acknowledgeWhenDurable(self, mine.change.lease());
            return;
        }
        if (!accepts(mine.change)) {
            // This node took another change of the address meanwhile: its own can never be written here.
            finish(key, mine, Outcome.REFUSED);
            return;
        }
        mine.written = true;
        write(mine.change.lease());
        acknowledgeWhenDurable(self, mine.change.lease());
    }

    private void committedIfMajority(Key key, Pending mine) {
        if (mine.acknowledged.contains(self) && mine.acknowledged.size() >= quorum) {
            finish(key, mine, Outcome.COMMITTED);
            Set<NodeId> toTell = new TreeSet<>(peers);
            toTell.removeAll(mine.acknowledged);
            if (!toTell.isEmpty()) {
                announcing.put(key, toTell);
                announced.put(key, mine.change.lease());
                announcingByAddress.computeIfAbsent(key.address(), a -> new ArrayList<>(1)).add(key);
                youngAnnouncements.add(key);
                // A peer that refused the change needs the commit to move on, at once. One that has
                // not answered yet usually holds the change already, or will in a moment, and its
                // acknowledgement ends the announcement: it first hears the commit from the
                // announcer, one interval later, which saves two frames per lease in the common case.
                for (NodeId peer : toTell) {
                    if (mine.refused.contains(peer)) {
                        transport.send(peer, new PeerMessage.LeaseCommit(self, epoch.getAsLong(), mine.change.lease()));
                    }
                }
                startAnnouncer();
            }
        }
    }

    private void refused(Key key, NodeId node) {
        Pending mine = pending.get(key);
        if (mine == null || !mine.refused.add(node)) {
            return;
        }
        if (members.size() - mine.refused.size() < quorum) {
            finish(key, mine, Outcome.REFUSED);
        }
    }

    private void finish(Key key, Pending mine, Outcome outcome) {
        pending.remove(key);
        changing.remove(key.address());
        mine.done.accept(outcome);
    }

    /**
     * Sets the one retransmission timer of all this node's changes in flight, if it is not set:
     * a timer per change would cost the scheduler an insertion and a cancellation per lease.
     */
    private void startResender() {
        if (!resenderRunning) {
            resenderRunning = true;
            scheduler.schedule(retransmit, this::resendDue);
        }
    }

    /**
     * The retransmission sweep, every retransmission interval while changes are in flight: sends
     * each change that was already in flight at the previous sweep again to every peer that has not
     * answered it, so a change is sent again after one to two intervals without an answer, then
     * every interval.
     */
    private void resendDue() {
        resenderRunning = false;
        for (Pending mine : pending.values()) {
            if (mine.young) {
                mine.young = false;
                continue;
            }
            for (NodeId peer : peers) {
                if (!mine.acknowledged.contains(peer) && !mine.refused.contains(peer)) {
                    transport.send(peer, mine.change);
                }
            }
        }
        if (!pending.isEmpty()) {
            startResender();
        }
    }

    private void announceAnswered(PeerMessage.LeaseAck ack) {
        List<Key> keys = announcingByAddress.get(ack.address());
        if (keys == null) {
            return;
        }
        keys.removeIf(key -> {
            Set<NodeId> toTell = announcing.get(key);
            // The peer holds the committed version or a later one.
            if (!key.version().isAfter(ack.version())) {
                toTell.remove(ack.from());
            }
            if (toTell.isEmpty()) {
                announcing.remove(key);
                announced.remove(key);
                youngAnnouncements.remove(key);
                return true;
            }
            return false;
        });
        if (keys.isEmpty()) {
            announcingByAddress.remove(ack.address());
        }
    }

    private void startAnnouncer() {
        if (!announcerRunning) {
            announcerRunning = true;
            scheduler.schedule(retransmit, this::announceAgain);
        }
    }

    private void announceAgain() {
        announcerRunning = false;
        // A later committed version of an address makes an earlier one's announcement pointless.
        Map<Ipv4Address, Key> latest = new HashMap<>();
        for (Key key : announcing.keySet()) {
            latest.merge(key.address(), key, (a, b) -> a.version().isAfter(b.version()) ? a : b);
        }
        announcing.keySet().removeIf(key -> !latest.get(key.address()).equals(key));
        announced.keySet().retainAll(announcing.keySet());
        youngAnnouncements.retainAll(announcing.keySet());
        announcingByAddress.clear();
        for (Key key : announcing.keySet()) {
            announcingByAddress.computeIfAbsent(key.address(), a -> new ArrayList<>(1)).add(key);
        }
        for (Map.Entry<Key, Set<NodeId>> entry : announcing.entrySet()) {
            if (youngAnnouncements.remove(entry.getKey())) {
                continue;
            }
            Lease lease = announced.get(entry.getKey());
            for (NodeId peer : entry.getValue()) {
                transport.send(peer, new PeerMessage.LeaseCommit(self, epoch.getAsLong(), lease));
            }
        }
        if (!announcing.isEmpty()) {
            startAnnouncer();
        }
    }
}
