package dev.dhcpcluster.bootstrap.runtime;

import dev.dhcpcluster.core.cluster.Assignment;
import dev.dhcpcluster.core.cluster.AssignmentPlanner;
import dev.dhcpcluster.core.cluster.GrantTimers;
import dev.dhcpcluster.adapter.storage.LostStoreMark;
import dev.dhcpcluster.core.cluster.HeldBuckets;
import dev.dhcpcluster.core.cluster.LeaseCatchUp;
import dev.dhcpcluster.core.cluster.OwnershipGrants;
import dev.dhcpcluster.core.cluster.ReplicatedLeaseStore;
import dev.dhcpcluster.core.dhcp.DhcpServer;
import dev.dhcpcluster.core.pool.AddressPool;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AssignmentStore;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.store.LeaseStore;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The address-space side of a cluster member: its lease store replicated to a majority before
 * each ACK ({@link ReplicatedLeaseStore}), its grant of blocks and buckets from the leader
 * ({@link OwnershipGrants}), and the DHCP server kept in step with both: the server's table takes
 * in every lease the replication writes and undoes every change the cluster refuses, and before
 * each datagram it owns exactly the blocks, and answers for exactly the buckets, that the grant
 * holds at that moment. A lapsed grant therefore stops allocation and bucket answers at the next
 * datagram, which is the only time they can happen.
 *
 * <p>Everything here runs on the event loop, except {@link #store()}'s start-time calls.
 */
final class ClusterMember implements PeerHandler {

    /**
     * How long an address whose lease ended by time stays out of its pool: the lease's end is a
     * wall-clock instant, and the client, or the peer that renewed the lease last, may count to it
     * on a clock behind this node's. Ten seconds covers clocks kept by NTP many times over.
     */
    static final Duration EXPIRY_GRACE = Duration.ofSeconds(10);
    /** How long the replication waits for a peer's answer before sending a change again. */
    static final Duration RETRANSMIT = Duration.ofMillis(200);
    /**
     * How the leader hands out blocks: each live node starts with one, one block stays in reserve
     * for a node that runs low, and a node with fewer than a quarter of a block free gets another.
     */
    static final AssignmentPlanner.Rules RULES = new AssignmentPlanner.Rules(1, 1, AddressPool.BLOCK_SIZE / 4);

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);

    private final ClusterService cluster;
    private final ReplicatedLeaseStore store;
    private final LostStoreMark lostStore;
    private LeaseCatchUp catchUp;
    private final AssignmentStore assignments;
    private final HeldBuckets buckets = new HeldBuckets();
    private DhcpServer server;
    private OwnershipGrants grants;
    /** The holdings last given to the server; compared by identity, as the grants keep one object per change. */
    private OwnershipGrants.Holdings applied;

    /**
     * @param recovering true if this node's lease store was lost since it last voted (see {@link ReplicatedLeaseStore})
     * @param lostStore the note that the store was lost, set already if {@code recovering}; cleared
     *     once the catch-up has settled every address it read
     */
    ClusterMember(ClusterService cluster, LeaseStore local, AssignmentStore assignments, EventLoop loop,
            boolean recovering, LostStoreMark lostStore) {
        this.cluster = cluster;
        this.assignments = assignments;
        this.lostStore = lostStore;
        this.store = new ReplicatedLeaseStore(cluster.self(), cluster.members(), local, loop, cluster.peers(),
                RETRANSMIT, cluster::epoch, recovering, new ReplicatedLeaseStore.Listener() {
                    @Override
                    public void written(Lease lease) {
                        if (server != null) {
                            server.merge(lease);
                        }
                    }

                    @Override
                    public void refused(Lease refused, Optional<Lease> agreed) {
                        if (server != null) {
                            server.revert(refused, agreed);
                        }
                    }
                });
    }

    /** The store the DHCP server writes to. */
    LeaseStore store() {
        return store;
    }

    /** What the server answers for: the buckets the grant holds now. */
    HeldBuckets buckets() {
        return buckets;
    }

    /**
     * On the loop, once the server has loaded its leases: the server owns nothing until granted,
     * the grants start, and the peers' lease and assignment messages reach this member from now on.
     */
    void start(DhcpServer loaded, EventLoop loop) {
        server = loaded;
        applied = OwnershipGrants.Holdings.NONE;
        loaded.ownOnly(Set.of());
        buckets.hold(Set.of());
        grants = new OwnershipGrants(cluster.self(), cluster.members(), GrantTimers.DEFAULTS, loop, loop,
                cluster.peers(), assignments, cluster::leadership, loaded.blockIds(), RULES, loaded::freeIn);
        grants.start();
        catchUp = new LeaseCatchUp(cluster.self(), cluster.members(), loop, cluster.peers(), store.replication(),
                store::leasesAfter, loaded::serves, cluster::epoch, cluster::epoch, RETRANSMIT, this::caughtUp,
                this::settled, (peer, why) -> cluster.peers().disconnect(peer, why));
        cluster.attach(this);
        catchUp.start();
    }

    private void caughtUp() {
        if (store.recovering()) {
            return;
        }
        LOG.info("node {} caught up with its peers' leases: it serves and acknowledges lease changes again",
                cluster.self().value());
        reapply();
    }

    private void settled() {
        try {
            lostStore.clear();
            LOG.info("node {}: every lease it read while catching up is settled; {} removed", cluster.self().value(),
                    lostStore);
        } catch (IOException e) {
            LOG.warn("node {} could not remove {}: it will catch up again at its next start: {}", cluster.self().value(),
                    lostStore, e.getMessage());
        }
    }

    /**
     * On the loop, before each datagram: gives the server the holdings of this moment if they
     * changed since the last datagram.
     */
    void refresh() {
        // A node that is catching up serves nothing: its table may lack leases its peers hold.
        OwnershipGrants.Holdings now = catchUp.caughtUp() ? grants.holdings() : OwnershipGrants.Holdings.NONE;
        if (now != applied) {
            applied = now;
            server.ownOnly(now.blocks());
            buckets.hold(now.buckets());
        }
    }

    /** On the loop, after a reconfiguration (whose new table owns every block): the holdings are applied again. */
    void reapply() {
        applied = null;
        refresh();
    }

    /** On the loop: what this member holds and how far its replication lags, for status and metrics. */
    MemberView view() {
        OwnershipGrants.Holdings now = grants == null ? OwnershipGrants.Holdings.NONE : grants.holdings();
        long free = server == null ? 0 : server.freeIn(now.blocks());
        return new MemberView(now, free, store.inFlight(), store.recovering(), grants != null && grants.grantCurrent(),
                grants == null ? Assignment.NONE : grants.accepted());
    }

    /** On the loop: no more grants or timers. */
    void stop() {
        if (grants != null) {
            grants.stop();
        }
    }

    @Override
    public void received(PeerMessage message) {
        if (message instanceof PeerMessage.LeaseChange change) {
            if (valid(change, change.lease())) {
                store.received(message);
            }
        } else if (message instanceof PeerMessage.LeaseCommit commit) {
            if (valid(commit, commit.lease())) {
                store.received(message);
            }
        } else if (message instanceof PeerMessage.LeaseAck || message instanceof PeerMessage.LeaseRefusal) {
            // They answer this node's own changes, which the replication matches lease for lease.
            store.received(message);
        } else if (message instanceof PeerMessage.SnapshotRequest || message instanceof PeerMessage.SnapshotPage) {
            catchUp.received(message);
        } else if (grants != null) {
            grants.received(message);
        }
    }

    /**
     * True if a lease a peer asks this node to take is one it could hold: in a subnet it serves,
     * and of a version no later than the epochs this node knows. Otherwise the peer is
     * disconnected, with the reason logged and counted, and nothing changes.
     */
    private boolean valid(PeerMessage message, Lease lease) {
        String problem = null;
        if (!server.serves(lease.address())) {
            problem = "a lease of " + lease.address() + ", outside every subnet this node serves";
        } else if (lease.version().epoch() > cluster.epoch()) {
            problem = "a lease of " + lease.address() + " of version " + lease.version() + ", from epoch "
                    + lease.version().epoch() + ", above the highest this node acknowledged (" + cluster.epoch() + ")";
        }
        if (problem == null) {
            return true;
        }
        cluster.peers().disconnect(message.from(), problem);
        return false;
    }

    @Override
    public void connected(NodeId peer) {
        catchUp.connected(peer);
    }

    @Override
    public void disconnected(NodeId peer) {
        catchUp.disconnected(peer);
    }
}
