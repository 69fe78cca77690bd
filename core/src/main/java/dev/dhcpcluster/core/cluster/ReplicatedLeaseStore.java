package dev.dhcpcluster.core.cluster;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerTransport;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * A cluster member's lease store as the DHCP server sees it: a write is durable, and its
 * {@link WriteCompletion#durable()} runs (so the ACK leaves), only when {@link LeaseReplication}
 * has committed every lease of the batch, that is once it is durable on a majority of the
 * configured cluster, this node included. The node's own {@link LeaseStore} underneath holds what
 * the replication writes: this node's committed changes and the peers' changes it accepts or
 * installs.
 *
 * <p>Each lease of a batch is proposed as replacing the lease this node holds of its address, in
 * full (the latest it wrote, or loaded: the agreed lease {@link Listener#refused} names). The DHCP server's table binds an address before its write is
 * committed, so that no other client is offered it meanwhile; a change the cluster refuses (a
 * peer took the address first) is undone there through {@link Listener#refused}, and the
 * completion hears {@link WriteCompletion#failed}: no ACK leaves. A change that can reach no
 * majority (this node is cut off) stays in flight and is retransmitted; its client gets no ACK
 * until it commits.
 *
 * <p>Every lease the replication writes here, this node's own and the peers', also goes to
 * {@link Listener#written}, so the DHCP server's table learns the peers' bindings as they happen.
 *
 * <h2>Threads</h2>
 * {@link #loadAll} (or {@link #loadEach}) and {@link #checkWritable} run once at start, before the scheduler's thread
 * uses the store; everything else, {@link #write} and {@link #received} included, runs on the
 * scheduler's thread. The underlying store's completions are brought back onto it.
 */
public final class ReplicatedLeaseStore implements LeaseStore {

    /** What the DHCP server is told of the leases the replication settles. */
    public interface Listener {

        /** A lease was written to this node's store: this node's committed change, or a peer's. */
        void written(Lease lease);

        /**
         * This node's change {@code refused} will never be committed; {@code agreed} is the lease
         * of its address this node holds as the cluster's (empty if none).
         */
        void refused(Lease refused, Optional<Lease> agreed);
    }

    private final LeaseStore local;
    private final Scheduler scheduler;
    private final Listener listener;
    private final LeaseReplication replication;
    private final LocalReplica replica = new LocalReplica();
    /**
     * The newest lease of each address written to {@link #local}, durable or not yet: this node's
     * replica, which its snapshot pages are read from, in address order. Packed, with no object
     * per lease, since a member holds every lease of the cluster: a million of them fit beside
     * the DHCP server's own table in a 256 MB heap.
     */
    private final NewestLeases current = new NewestLeases();

    /**
     * @param self this node
     * @param members every configured member, this node included
     * @param local this node's own store
     * @param retransmit how long to wait for a peer's answer before sending again
     * @param epoch the election epoch this node speaks in now
     * @param recovering true if this node's store was lost (see {@link LeaseReplication})
     */
    public ReplicatedLeaseStore(NodeId self, Set<NodeId> members, LeaseStore local, Scheduler scheduler,
            PeerTransport peers, Duration retransmit, LongSupplier epoch, boolean recovering, Listener listener) {
        this(self, members, local, scheduler, peers, retransmit, epoch, recovering, listener,
                LeaseReplication.Quorum.MAJORITY);
    }

    /**
     * The seam for the full-stack simulation's proof that its checker catches a member that ACKs
     * before a majority holds the lease; production uses {@link LeaseReplication.Quorum#MAJORITY}.
     */
    ReplicatedLeaseStore(NodeId self, Set<NodeId> members, LeaseStore local, Scheduler scheduler, PeerTransport peers,
            Duration retransmit, LongSupplier epoch, boolean recovering, Listener listener,
            LeaseReplication.Quorum quorum) {
        this.local = Objects.requireNonNull(local, "local");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.replication = new LeaseReplication(self, members, scheduler, peers, replica, retransmit, epoch,
                recovering, quorum, LeaseReplication.Acceptance.CHECKS_REPLACED_LEASE);
    }

    @Override
    public List<Lease> loadAll() throws LeaseStoreException {
        List<Lease> leases = local.loadAll();
        leases.forEach(current::putIfNewer);
        return leases;
    }

    /** Streams the local store's leases through, keeping this node's replica of each on the way. */
    @Override
    public long loadEach(Consumer<? super Lease> each) throws LeaseStoreException {
        return local.loadEach(lease -> {
            current.putIfNewer(lease);
            each.accept(lease);
        });
    }

    /** The local store's count: the replica holds what it holds, so the node sizes its table from it. */
    @Override
    public OptionalLong storedCount() {
        return local.storedCount();
    }

    @Override
    public boolean mediumExists() {
        return local.mediumExists();
    }

    @Override
    public String describe() {
        return local.describe();
    }

    @Override
    public void checkWritable() throws LeaseStoreException {
        local.checkWritable();
    }

    @Override
    public void write(List<Lease> batch, WriteCompletion completion) {
        Objects.requireNonNull(completion, "completion");
        if (batch.isEmpty()) {
            scheduler.execute(completion::durable);
            return;
        }
        BatchOutcome outcome = new BatchOutcome(batch.size(), completion);
        for (Lease lease : batch) {
            replication.propose(lease, current.get(lease.address()), result -> {
                if (result == LeaseReplication.Outcome.COMMITTED) {
                    outcome.committed();
                } else {
                    listener.refused(lease, current.get(lease.address()));
                    outcome.refused(lease);
                }
            });
        }
    }

    /** Hands a replication message from a peer; other kinds are ignored. */
    public void received(PeerMessage message) {
        replication.received(message);
    }

    /** How many of this node's changes wait for a majority now: the replication's lag, in changes. */
    public int inFlight() {
        return replication.inFlight();
    }

    /**
     * The replication itself, for the {@link LeaseCatchUp} of a node whose store was lost, which
     * ends its recovery; everything else goes through this store.
     */
    public LeaseReplication replication() {
        return replication;
    }

    /**
     * At most {@code limit} leases of this node's replica (the newest it wrote of each address), in
     * address order, above {@code after}: the snapshot it serves a peer that catches up
     * ({@link LeaseCatchUp.Snapshot}). This node's own changes that are not committed yet are not
     * in it.
     */
    public List<Lease> leasesAfter(Optional<Ipv4Address> after, int limit) {
        return current.after(after, limit);
    }

    /** True if this node's store was lost and it accepts no change (see {@link LeaseReplication}). */
    public boolean recovering() {
        return replication.recovering();
    }

    @Override
    public void close() {
        replica.flush();
        local.close();
    }

    /** The completion of one batch: durable once every lease is committed, failed at the first refusal. */
    private static final class BatchOutcome {
        private final WriteCompletion completion;
        private int waiting;
        private boolean finished;

        BatchOutcome(int leases, WriteCompletion completion) {
            this.waiting = leases;
            this.completion = completion;
        }

        void committed() {
            if (!finished && --waiting == 0) {
                finished = true;
                completion.durable();
            }
        }

        void refused(Lease lease) {
            if (!finished) {
                finished = true;
                completion.failed(new LeaseStoreException("the cluster refused the change of " + lease.address()
                        + " (a peer holds another version of it), or this node cannot replicate now"));
            }
        }
    }

    /**
     * This node's store as the replication reads and writes it. The leases written in one task of
     * the scheduler (the peers' changes of one burst of frames, say) go to {@link #local} as one
     * batch at the end of it, in the order written, and their callbacks run in one task once the
     * batch is durable: one store job and one wake-up per burst rather than per lease.
     */
    private final class LocalReplica implements LeaseReplication.Replica {
        private List<Lease> toWrite = new ArrayList<>();
        private List<Runnable> whenDurable = new ArrayList<>();

        @Override
        public Optional<Lease> current(Ipv4Address address) {
            return current.get(address);
        }

        @Override
        public void write(Lease lease, Runnable durable) {
            current.put(lease);
            listener.written(lease);
            if (toWrite.isEmpty()) {
                scheduler.execute(this::flush);
            }
            toWrite.add(lease);
            whenDurable.add(durable);
        }

        /** Hands the leases written since the last flush to {@link #local}, if any. */
        void flush() {
            if (toWrite.isEmpty()) {
                return;
            }
            List<Lease> batch = toWrite;
            List<Runnable> callbacks = whenDurable;
            toWrite = new ArrayList<>();
            whenDurable = new ArrayList<>();
            local.write(batch, new WriteCompletion() {
                @Override
                public void durable() {
                    scheduler.execute(() -> callbacks.forEach(Runnable::run));
                }

                @Override
                public void failed(LeaseStoreException cause) {
                    // Not durable, so never acknowledged: the others go on with their majority.
                }
            });
        }
    }
}
