package dev.dhcpcluster.core.member;

import dev.dhcpcluster.core.cluster.Assignment;
import dev.dhcpcluster.core.cluster.AssignmentPlanner;
import dev.dhcpcluster.core.cluster.GrantTimers;
import dev.dhcpcluster.core.cluster.HeldBuckets;
import dev.dhcpcluster.core.cluster.LeaseCatchUp;
import dev.dhcpcluster.core.cluster.Leadership;
import dev.dhcpcluster.core.cluster.OwnershipGrants;
import dev.dhcpcluster.core.cluster.PoolBlocks;
import dev.dhcpcluster.core.cluster.ReplicatedLeaseStore;
import dev.dhcpcluster.core.cluster.Responsibility;
import dev.dhcpcluster.core.dhcp.DhcpServer;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AssignmentStore;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerTransport;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The address-space side of a cluster member: its lease store replicated to a majority before
 * each ACK ({@link ReplicatedLeaseStore}), its grant of blocks and buckets from the leader
 * ({@link OwnershipGrants}), and the DHCP server kept in step with both: the server's table takes
 * in every lease the replication writes and undoes every change the cluster refuses, and before
 * each datagram it owns exactly the blocks, and answers for exactly the buckets, that the grant
 * holds at that moment. A lapsed grant therefore stops allocation and bucket answers at the next
 * datagram, which is the only time they can happen.
 *
 * <p>Everything reaches it through ports (clock, scheduler, peer transport, stores) and two
 * suppliers of the election's state, so that the node's runtime and the full-stack simulation
 * build the very same member. Everything here runs on the scheduler's thread, except
 * {@link #store()}'s start-time calls ({@link LeaseStore#loadEach}, {@link LeaseStore#checkWritable}).
 */
public final class ClusterMember implements PeerHandler {

    /**
     * How a member is tuned.
     *
     * @param retransmit how long the replication waits for a peer's answer before sending a change again
     * @param grantTimers the grants' length and waits
     * @param rules how the leader hands out blocks
     * @param expiryGrace how long an address whose lease ended by time stays out of its pool
     * @param stores builds the replicated store; {@link StoreFactory#PRODUCTION} but in the proof that
     *     the simulation catches a broken member
     */
    public record Settings(Duration retransmit, GrantTimers grantTimers, AssignmentPlanner.Rules rules,
            Duration expiryGrace, StoreFactory stores) {

        /**
         * What a node runs with: retransmission every 200 ms, the default grant timers, the default
         * dealing of blocks ({@link AssignmentPlanner.Rules#DEFAULTS}: ahead of need, while keeping a
         * reserve, as the leader never takes a block back from a live node, so a node that hoarded
         * blocks would leave a returning one without addresses), and an expiry grace of ten seconds: the lease's end is a wall-clock
         * instant, and the client, or the peer that renewed the lease last, may count to it on a clock
         * behind this node's; ten seconds covers clocks kept by NTP many times over.
         */
        public static final Settings DEFAULTS = new Settings(Duration.ofMillis(200), GrantTimers.DEFAULTS,
                AssignmentPlanner.Rules.DEFAULTS, Duration.ofSeconds(10),
                StoreFactory.PRODUCTION);

        public Settings {
            Objects.requireNonNull(retransmit, "retransmit");
            Objects.requireNonNull(grantTimers, "grantTimers");
            Objects.requireNonNull(rules, "rules");
            Objects.requireNonNull(expiryGrace, "expiryGrace");
            Objects.requireNonNull(stores, "stores");
        }

        public Settings withStores(StoreFactory other) {
            return new Settings(retransmit, grantTimers, rules, expiryGrace, other);
        }

        /** These settings with blocks dealt by {@code other}. */
        public Settings withRules(AssignmentPlanner.Rules other) {
            return new Settings(retransmit, grantTimers, other, expiryGrace, stores);
        }
    }

    /** Builds the member's replicated lease store from its ports. */
    @FunctionalInterface
    public interface StoreFactory {

        /** The production store. */
        StoreFactory PRODUCTION = ReplicatedLeaseStore::new;

        ReplicatedLeaseStore create(NodeId self, Set<NodeId> members, LeaseStore local, Scheduler scheduler,
                PeerTransport peers, Duration retransmit, LongSupplier epoch, boolean recovering,
                ReplicatedLeaseStore.Listener listener);
    }

    private final NodeId self;
    private final Set<NodeId> members;
    private final Clock clock;
    private final Scheduler scheduler;
    private final PeerTransport peers;
    private final AssignmentStore assignments;
    private final Supplier<Leadership> leadership;
    private final LongSupplier epoch;
    private final Settings settings;
    private final ReplicatedLeaseStore store;
    private final HeldBuckets buckets = new HeldBuckets();
    private DhcpServer server;
    private OwnershipGrants grants;
    private LeaseCatchUp catchUp;
    /** The holdings last given to the server; compared by identity, as the grants keep one object per change. */
    private OwnershipGrants.Holdings applied;
    /**
     * Datagrams before this node's free addresses in some subnet may have fallen below the low water.
     * Each datagram binds at most one new address, so counting them down from the fewest free of any
     * subnet spares the count of free addresses (a walk over the pool's blocks) on every datagram,
     * and a crossing is still reported at once.
     */
    private long untilLow;
    private OwnershipGrants.ShortSubnets shortSubnets = (plan, lacking) -> { };

    /**
     * @param self this node
     * @param members every configured member, this node included
     * @param local this node's own lease store
     * @param assignments where this node keeps the latest assignment it accepted
     * @param clock the node's clock
     * @param scheduler the node's scheduler, on whose thread everything here runs
     * @param peers the transport to the other members
     * @param leadership where this node stands in the election now
     * @param epoch the highest election epoch this node acknowledged
     * @param recovering true if this node's lease store was lost since it last voted (see {@link ReplicatedLeaseStore})
     */
    public ClusterMember(NodeId self, Set<NodeId> members, LeaseStore local, AssignmentStore assignments, Clock clock,
            Scheduler scheduler, PeerTransport peers, Supplier<Leadership> leadership, LongSupplier epoch,
            boolean recovering, Settings settings) {
        this.self = Objects.requireNonNull(self, "self");
        this.members = Set.copyOf(members);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.peers = Objects.requireNonNull(peers, "peers");
        this.assignments = Objects.requireNonNull(assignments, "assignments");
        this.leadership = Objects.requireNonNull(leadership, "leadership");
        this.epoch = Objects.requireNonNull(epoch, "epoch");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.store = settings.stores().create(self, this.members, local, scheduler, peers, settings.retransmit(), epoch,
                recovering, new ReplicatedLeaseStore.Listener() {
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
    public LeaseStore store() {
        return store;
    }

    /** What the server answers for: the buckets the grant holds now. */
    public Responsibility buckets() {
        return buckets;
    }

    /** How long the server keeps an address whose lease ended by time out of its pool. */
    public Duration expiryGrace() {
        return settings.expiryGrace();
    }

    /**
     * On the scheduler's thread, once the server has loaded its leases: the server owns nothing
     * until granted, and the grants start. The caller routes the peers' lease and assignment
     * messages to {@link #received} from now on.
     *
     * @throws IllegalStateException if started twice
     */
    public void start(DhcpServer loaded) {
        start(loaded, () -> { }, () -> { });
    }

    /**
     * As {@link #start(DhcpServer)}, and a member whose store was lost starts catching up from its
     * peers ({@link LeaseCatchUp}): {@code caughtUp} runs once it serves and acknowledges again,
     * {@code settled} once every address it read is settled (the runtime then removes its durable
     * note of the loss). Neither runs for a member that was not recovering.
     *
     * @throws IllegalStateException if started twice
     */
    public void start(DhcpServer loaded, Runnable caughtUp, Runnable settled) {
        Objects.requireNonNull(caughtUp, "caughtUp");
        Objects.requireNonNull(settled, "settled");
        if (server != null) {
            throw new IllegalStateException("the member " + self + " was started already");
        }
        server = Objects.requireNonNull(loaded, "loaded");
        applied = OwnershipGrants.Holdings.NONE;
        loaded.ownOnly(Set.of());
        buckets.hold(Set.of());
        grants = new OwnershipGrants(self, members, settings.grantTimers(), clock, scheduler, peers, assignments,
                leadership, PoolBlocks.bySubnet(loaded.blockIdsBySubnet()), settings.rules(), loaded::freeIn,
                () -> !store.recovering());
        grants.onShortSubnets(shortSubnets);
        grants.start();
        // A recovering member asks no grant meanwhile, so it holds nothing until it has caught up.
        catchUp = new LeaseCatchUp(self, members, scheduler, peers, store.replication(), store::leasesAfter,
                loaded::serves, epoch, epoch, settings.retransmit(), caughtUp, settled, peers::disconnect);
        catchUp.start();
    }

    /**
     * On the scheduler's thread, before each datagram: gives the server the holdings of this
     * moment if they changed since the last datagram.
     */
    public void refresh() {
        OwnershipGrants.Holdings now = grants.holdings();
        if (now != applied) {
            applied = now;
            server.ownOnly(now.blocks());
            buckets.hold(now.buckets());
            untilLow = 0;
        }
        if (--untilLow < 0) {
            long free = grants.checkFree();
            long lowWater = settings.rules().lowWater();
            // Below the low water the report went out: the next count comes with the next change of
            // holdings (the refill), and the renew interval's report covers a refill that cannot come.
            untilLow = free >= lowWater ? free - lowWater : Long.MAX_VALUE;
        }
    }

    /**
     * On the scheduler's thread, after a reconfiguration (whose new table owns every block): the
     * holdings are applied again, and the leader deals the new configuration's blocks.
     */
    public void reapply() {
        grants.poolChanged(PoolBlocks.bySubnet(server.blockIdsBySubnet()));
        applied = null;
        refresh();
    }

    /** On the scheduler's thread: no more grants or timers. */
    public void stop() {
        if (grants != null) {
            grants.stop();
        }
    }

    /** The blocks and buckets the grant holds now (none before {@link #start} or without a current grant). */
    public OwnershipGrants.Holdings holdings() {
        return grants == null ? OwnershipGrants.Holdings.NONE : grants.holdings();
    }

    /** How many addresses of the blocks held now are free. */
    public long freeAddresses() {
        return server == null ? 0 : server.freeIn(holdings().blocks());
    }

    /**
     * How many addresses of the blocks held now are free in each subnet, under the subnet's first
     * block ({@link PoolBlocks}); a subnet where this node holds no block counts 0.
     */
    public SortedMap<Ipv4Address, Long> freeBySubnet() {
        SortedMap<Ipv4Address, Long> counts = new TreeMap<>();
        if (server != null) {
            PoolBlocks.bySubnet(server.blockIdsBySubnet()).split(holdings().blocks()).forEach((subnet, held) ->
                    counts.put(subnet, held.isEmpty() ? 0 : server.freeIn(held)));
        }
        return counts;
    }

    /**
     * Who hears, while this node leads, of each plan that leaves a live member without a block in a
     * subnet ({@link OwnershipGrants.ShortSubnets}); call it before {@link #start}.
     */
    public void onShortSubnets(OwnershipGrants.ShortSubnets listener) {
        shortSubnets = Objects.requireNonNull(listener, "listener");
    }

    /** How many of this node's lease changes wait for a majority now: the replication's lag. */
    public int replicating() {
        return store.inFlight();
    }

    /** True if this node's store was lost and it accepts no change until it has caught up. */
    public boolean recovering() {
        return store.recovering();
    }

    /** True while this node's grant is current on its own clock. */
    public boolean grantCurrent() {
        return grants != null && grants.grantCurrent();
    }

    /** The latest assignment this node accepted from a leader. */
    public Assignment accepted() {
        return grants == null ? Assignment.NONE : grants.accepted();
    }

    /** The assignment this node committed last while it leads; empty when it does not lead (or before start). */
    public Optional<Assignment> committed() {
        return grants == null ? Optional.empty() : grants.committed();
    }

    /** Hands a lease or assignment message from a peer; election messages do not come here. */
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
            if (catchUp != null) {
                catchUp.received(message);
            }
        } else if (grants != null) {
            grants.received(message);
        }
    }

    /**
     * True if a lease a peer asks this node to take is one it could hold: in a subnet it serves,
     * and of a version no later than the epochs this node knows. Otherwise the peer is
     * disconnected, with the reason given to the transport, and nothing changes.
     */
    private boolean valid(PeerMessage message, Lease lease) {
        String problem = null;
        if (server == null) {
            // Not started: the server that would judge the subnet does not exist yet. The sender retransmits.
            return false;
        }
        long known = epoch.getAsLong();
        if (!server.serves(lease.address())) {
            problem = "a lease of " + lease.address() + ", outside every subnet this node serves";
        } else if (lease.version().epoch() > known) {
            problem = "a lease of " + lease.address() + " of version " + lease.version() + ", from epoch "
                    + lease.version().epoch() + ", above the highest this node acknowledged (" + known + ")";
        }
        if (problem == null) {
            return true;
        }
        peers.disconnect(message.from(), problem);
        return false;
    }

    @Override
    public void connected(NodeId peer) {
        if (catchUp != null) {
            catchUp.connected(peer);
        }
    }

    @Override
    public void disconnected(NodeId peer) {
        if (catchUp != null) {
            catchUp.disconnected(peer);
        }
    }
}
