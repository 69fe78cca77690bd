package dev.dhcpcluster.bootstrap.runtime;

import com.google.common.util.concurrent.AbstractIdleService;
import dev.dhcpcluster.adapter.storage.FileVoteStore;
import dev.dhcpcluster.bootstrap.config.ClusterSettings;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.secret.ClusterSecret;
import dev.dhcpcluster.bootstrap.secret.SecretException;
import dev.dhcpcluster.core.election.BullyElection;
import dev.dhcpcluster.bootstrap.config.HostCheck;
import dev.dhcpcluster.core.cluster.ConfigDistribution;
import dev.dhcpcluster.core.cluster.Leadership;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.cluster.Assignment;
import dev.dhcpcluster.core.election.ElectionStatus;
import dev.dhcpcluster.core.election.ElectionTimers;
import dev.dhcpcluster.port.peer.AssignmentRecord;
import dev.dhcpcluster.core.election.MemberStatus;
import dev.dhcpcluster.core.election.Role;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerTransport;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.VoteStoreException;
import dev.dhcpcluster.port.plugin.NodeContext;
import dev.dhcpcluster.port.plugin.PeerMembership;
import dev.dhcpcluster.port.plugin.PeerTransportFactory;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import dev.dhcpcluster.port.time.Cancellable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster side of a node with a {@code cluster} section: the peer transport, the election on
 * the event loop, and the vote the election keeps on disk. A node without the section has this
 * service too, and it does nothing.
 *
 * <p>On start: the secret is read, the peer transport created by the provider that
 * {@code cluster.transport} names (found by {@link java.util.ServiceLoader}; the TCP transport
 * builds its TLS context here), the vote store opened and its vote read (a damaged vote refuses the
 * start: the node cannot know which epochs it may acknowledge), the transport starts listening (a
 * taken port refuses the start naming {@code cluster.listen}), and the election starts on the loop. Every transport callback reaches the election on the loop's
 * priority lane ({@link LoopPeerHandler}). On stop: the transport closes, then the election stops.
 *
 * <p>{@link #view()} is what {@code /metrics} reads: a snapshot refreshed on the loop every
 * heartbeat interval, so that a scrape never waits for the loop. {@link #status} reads the
 * election on the loop, for {@code /status}.
 */
@Singleton
public final class ClusterService extends AbstractIdleService {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterService.class);
    private static final Duration LOOP_TIMEOUT = Duration.ofSeconds(10);
    /** The vote's file in the data directory. */
    static final String VOTE_FILE = "election-vote";

    private final NodeConfig config;
    private final EventLoop loop;
    private final ClusterEvents events;

    private volatile PeerTransport transport;
    private volatile BullyElection election;
    private volatile Set<NodeId> members = Set.of();
    /** True if the vote on disk at start showed that this node had acknowledged an epoch before. */
    private volatile boolean votedBefore;
    /** The address-space side, once the DHCP service attached it; touched only on the loop. */
    private ClusterMember dataSide;
    /** The leader's Dhcp4 configuration and this node's, once the node serves; touched only on the loop. */
    private ConfigDistribution distribution;
    private LeaderConfig leaderConfig;
    private volatile Cancellable refresh;
    private volatile Optional<ClusterView> latest = Optional.empty();

    @Inject
    ClusterService(NodeConfig config, EventLoop loop, ClusterEvents events) {
        this.config = config;
        this.loop = loop;
        this.events = events;
        loop.stopAfter(this);
    }

    /** How the leader deals address blocks: {@code cluster.address-blocks}. */
    dev.dhcpcluster.core.cluster.AssignmentPlanner.Rules addressBlocks() {
        return config.cluster().orElseThrow().addressBlocks();
    }

    /** True if the node has a {@code cluster} section. */
    public boolean clustered() {
        return config.cluster().isPresent();
    }

    @Override
    protected void startUp() throws Exception {
        if (config.cluster().isEmpty()) {
            return;
        }
        ClusterSettings cluster = config.cluster().get();
        try {
            PeerTransportFactory factory;
            try {
                factory = cluster.transportFactory(config.dataDirectory());
            } catch (IllegalStateException e) {
                throw new StartRefused(e.getMessage(), e);
            }
            PeerMembership membership = membership(cluster);
            // The store first, and its vote read: a damaged vote must refuse the start before the
            // node shows itself to any peer.
            DataDirectories.prepare(config.dataDirectory(), "node.data-directory");
            Path voteFile = config.dataDirectory().resolve(VOTE_FILE);
            FileVoteStore votes = new FileVoteStore(voteFile);
            try {
                votedBefore = votes.load().isPresent();
            } catch (VoteStoreException e) {
                throw new StartRefused("election vote: " + e.getMessage(), e);
            }
            PeerTransport created;
            try {
                created = factory.create(new NodeContext(config.node(), config.dataDirectory(), loop, loop, events),
                        membership);
            } catch (IllegalStateException e) {
                throw new StartRefused(e.getMessage(), e);
            }
            Set<NodeId> all = new TreeSet<>(cluster.peerAddresses().keySet());
            all.add(config.node());
            members = Set.copyOf(all);
            BullyElection bully = new BullyElection(config.node(), all, cluster.timers(), loop, loop, created, votes,
                    new SplittableRandom(), events);
            LoopPeerHandler handler = new LoopPeerHandler(loop, new Dispatcher(bully));
            try {
                created.start(handler);
            } catch (IOException e) {
                created.close();
                throw new StartRefused(listenField(cluster) + ": " + e.getMessage(), e);
            }
            transport = created;
            election = bully;
            onLoop(() -> {
                bully.start();
                handler.open();
                snapshot();
                tellObservers();
                return null;
            });
            refresh = loop.schedule(cluster.timers().heartbeatInterval(), this::refreshLater);
            LOG.info("node {} is a member of cluster \"{}\" with {}, {}", config.node().value(), cluster.name(),
                    describePeers(cluster), created.listenAddress().map(address -> "listening for peers on " + address)
                            .orElse("peers carried by the " + cluster.transport() + " transport"));
        } catch (Exception | Error e) {
            // AbstractIdleService does not call shutDown after a failed startUp: release here.
            closeQuietly();
            throw e;
        }
    }

    /** Who the transport carries messages between; the secret read from its file. */
    private PeerMembership membership(ClusterSettings cluster) throws StartRefused {
        byte[] secret;
        try {
            secret = ClusterSecret.read(cluster.secretFile());
        } catch (SecretException e) {
            throw new StartRefused("cluster.secret-file: " + e.getMessage(), e);
        }
        try {
            return new PeerMembership(cluster.name(), config.node(), cluster.peerAddresses(), secret,
                    cluster.timers().heartbeatInterval());
        } finally {
            // The membership keeps its own copy.
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** The field a transport that cannot listen names: {@code cluster.listen} for TCP, the section for another. */
    private static String listenField(ClusterSettings cluster) {
        return cluster.transportSettings().containsKey("listen") ? "cluster.listen" : "cluster";
    }

    /** This node's id. */
    NodeId self() {
        return config.node();
    }

    /** Every configured member, this node included; empty before start and for a node alone. */
    Set<NodeId> members() {
        return members;
    }

    /** The peer transport; null before start and for a node alone. */
    PeerTransport peers() {
        return transport;
    }

    /** True if this node had acknowledged an epoch before this start: it has been a voting member. */
    boolean votedBefore() {
        return votedBefore;
    }

    /** On the loop: the epoch this node speaks in now. */
    long epoch() {
        return election.currentEpoch();
    }

    /** On the loop: where this node stands in the election, as the grants read it. */
    Leadership leadership() {
        return leadership(election.status());
    }

    static Leadership leadership(ElectionStatus status) {
        Optional<NodeId> acknowledged = status.members().stream().filter(MemberStatus::self).findFirst()
                .flatMap(MemberStatus::leader);
        return new Leadership(status.epoch(), acknowledged, status.role() == Role.LEADER,
                status.role() == Role.FOLLOWER, status.leader());
    }

    /**
     * On the loop: from now on the peers' lease and assignment messages go to {@code member}, and
     * the views show what it holds. Until then they are dropped: their senders send them again.
     */
    void attach(ClusterMember member) {
        if (!loop.inLoop()) {
            throw new IllegalStateException("attach() runs on the event loop");
        }
        dataSide = member;
    }

    /**
     * Once the DHCP service runs: the leader's {@code Dhcp4} configuration is offered to the members
     * and followed by them ({@link ConfigDistribution}); {@code ownCanonical} is this node's own
     * (see {@link LeaderConfig#canonicalDhcp4}).
     */
    void distributeConfig(NodeService node, String ownCanonical)
            throws ExecutionException, TimeoutException, InterruptedException, StartRefused {
        ClusterSettings cluster = config.cluster().orElseThrow();
        onLoop(() -> {
            LeaderConfig target = new LeaderConfig(config.node(), config.server(), new LeaderConfig.Server() {
                @Override
                public ServerConfig serving() {
                    return node.serving();
                }

                @Override
                public void serve(ServerConfig next) {
                    node.reconfigureOnLoop(next);
                }
            }, new HostCheck());
            ConfigDistribution created = new ConfigDistribution(config.node(), loop, loop, transport,
                    this::leadership, target, cluster.timers().heartbeatInterval(), ConfigDistribution.DEFAULT_REFRESH,
                    LeaderConfig.maxConfigBytes(transport.maxMessageBytes()));
            leaderConfig = target;
            distribution = created;
            created.start(ownCanonical);
            return null;
        });
    }

    /** True once {@link #distributeConfig} has started the distribution. */
    boolean distributesConfig() {
        return config.cluster().isPresent() && loopRead(() -> distribution != null);
    }

    /**
     * This node's own file was loaded again: what becomes of its {@code Dhcp4} section depends on
     * whether the node follows a leader ({@link ConfigDistribution#ownChanged}).
     */
    ConfigDistribution.OwnChange ownConfigChanged(ServerConfig loaded, String canonical)
            throws ExecutionException, TimeoutException, InterruptedException, StartRefused {
        return onLoop(() -> {
            leaderConfig.ownLoaded(loaded);
            return distribution.ownChanged(canonical);
        });
    }

    private boolean loopRead(Callable<Boolean> read) {
        try {
            return loop.call(read, LOOP_TIMEOUT);
        } catch (Exception e) {
            return false;
        }
    }

    /** Election messages to the election, the others to the address-space side once attached. */
    private final class Dispatcher implements PeerHandler {
        private final BullyElection bully;

        Dispatcher(BullyElection bully) {
            this.bully = bully;
        }

        @Override
        public void received(PeerMessage message) {
            if (message instanceof PeerMessage.Election || message instanceof PeerMessage.Answer
                    || message instanceof PeerMessage.Coordinator || message instanceof PeerMessage.Acknowledge
                    || message instanceof PeerMessage.Heartbeat) {
                bully.received(message);
                if (distribution != null) {
                    distribution.electionChanged();
                }
            } else if (message instanceof PeerMessage.ServerConfigOffer) {
                if (distribution != null) {
                    distribution.received(message);
                }
            } else if (dataSide != null) {
                dataSide.received(message);
            }
        }

        @Override
        public void connected(NodeId peer) {
            bully.connected(peer);
            if (distribution != null) {
                distribution.connected(peer);
            }
            if (dataSide != null) {
                dataSide.connected(peer);
            }
        }

        @Override
        public void disconnected(NodeId peer) {
            bully.disconnected(peer);
            if (dataSide != null) {
                dataSide.disconnected(peer);
            }
        }
    }

    /** On the loop: takes a snapshot, and sets the next. */
    private void refreshLater() {
        if (!isRunning() && state() != State.STARTING) {
            return;
        }
        snapshot();
        refresh = loop.schedule(config.cluster().orElseThrow().timers().heartbeatInterval(), this::refreshLater);
        tellObservers();
    }

    /** On the loop: this node's view to every observer connected to it (a relay that routes by it). */
    private void tellObservers() {
        ClusterSettings cluster = config.cluster().orElseThrow();
        transport.sendToObservers(observerView(election.status(),
                dataSide == null ? Assignment.NONE : dataSide.published(), cluster.timers()));
    }

    /**
     * What a node tells its observers: the epoch and leader it acknowledged, as its heartbeats say,
     * the buckets of {@code assignment}, the members it hears now (itself included) and its timers.
     */
    static PeerMessage.ObserverView observerView(ElectionStatus status, Assignment assignment, ElectionTimers timers) {
        MemberStatus self = status.members().stream().filter(MemberStatus::self).findFirst()
                .orElseThrow(() -> new IllegalStateException(status.self() + " is not among its members"));
        Set<NodeId> live = new TreeSet<>();
        status.members().stream().filter(MemberStatus::alive).forEach(member -> live.add(member.node()));
        live.add(status.self());
        AssignmentRecord record = assignment.toRecord();
        return new PeerMessage.ObserverView(status.self(), self.epoch(), self.leader(), record.epoch(),
                record.sequence(), record.buckets(), live, timers.heartbeatInterval(), timers.failureTimeout());
    }

    /** On the loop: the view now, kept for {@link #view()}. */
    private ClusterView snapshot() {
        ClusterView view = view(election.status());
        latest = Optional.of(view);
        return view;
    }

    private ClusterView view(ElectionStatus status) {
        ClusterSettings cluster = config.cluster().orElseThrow();
        PeerTransport current = transport;
        Map<NodeId, Duration> roundTrips = new HashMap<>();
        for (NodeId peer : cluster.peerAddresses().keySet()) {
            current.roundTrip(peer).ifPresent(rtt -> roundTrips.put(peer, rtt));
        }
        return new ClusterView(cluster.name(), current.listenAddress(), status, cluster.peerAddresses(),
                current.connected(), roundTrips, Optional.ofNullable(dataSide).map(ClusterMember::view),
                current.observers());
    }

    /**
     * The cluster now, the election read on the event loop; empty for a node that runs alone.
     *
     * @throws IllegalStateException if the node is not running
     * @throws TimeoutException if the loop did not answer within {@code timeout}
     */
    public Optional<ClusterView> status(Duration timeout)
            throws ExecutionException, TimeoutException, InterruptedException {
        if (config.cluster().isEmpty()) {
            return Optional.empty();
        }
        if (election == null || !isRunning()) {
            throw new IllegalStateException("the cluster service is not running");
        }
        return Optional.of(loop.call(this::snapshot, timeout));
    }

    /**
     * Waits until this service runs (at once for a node without a cluster); false if it failed or
     * was stopped before it ran.
     */
    boolean awaitStarted() {
        try {
            awaitRunning();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    /** The latest snapshot of the cluster, at most a heartbeat interval old; empty before start and when alone. */
    public Optional<ClusterView> view() {
        return latest;
    }

    @Override
    protected void shutDown() {
        if (config.cluster().isEmpty()) {
            return;
        }
        closeQuietly();
        LOG.info("node {} left cluster \"{}\"", config.node().value(), config.cluster().get().name());
    }

    private void closeQuietly() {
        Cancellable timer = refresh;
        if (timer != null) {
            timer.cancel();
        }
        PeerTransport current = transport;
        if (current != null) {
            current.close();
        }
        BullyElection bully = election;
        if (bully != null) {
            try {
                onLoop(() -> {
                    if (distribution != null) {
                        distribution.stop();
                    }
                    bully.stop();
                    return null;
                });
            } catch (Exception e) {
                LOG.debug("event loop already stopped while stopping the election", e);
            }
        }
        latest = Optional.empty();
    }

    private <T> T onLoop(Callable<T> task)
            throws ExecutionException, TimeoutException, InterruptedException, StartRefused {
        try {
            return loop.call(task, LOOP_TIMEOUT);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof VoteStoreException vote) {
                throw new StartRefused("election vote: " + vote.getMessage(), vote);
            }
            throw e;
        }
    }

    private static String describePeers(ClusterSettings cluster) {
        StringBuilder text = new StringBuilder();
        cluster.peers().forEach(peer -> text.append(text.length() == 0 ? "" : ", ").append("node ")
                .append(peer.id().value()).append(" at ").append(peer.address()));
        return text.toString();
    }

    @Override
    protected String serviceName() {
        return "cluster-node-" + config.node().value();
    }
}
