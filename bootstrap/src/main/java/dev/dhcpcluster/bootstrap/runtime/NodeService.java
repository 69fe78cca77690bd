package dev.dhcpcluster.bootstrap.runtime;

import com.google.common.util.concurrent.AbstractIdleService;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.dhcp.DatagramTriage;
import dev.dhcpcluster.core.dhcp.DhcpServer;
import dev.dhcpcluster.core.lease.LeasePage;
import dev.dhcpcluster.core.lease.LeaseQuery;
import dev.dhcpcluster.core.pool.PoolUsage;
import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.plugin.NodeContext;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import dev.dhcpcluster.adapter.storage.FileAssignmentStore;
import dev.dhcpcluster.adapter.storage.LostStoreMark;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.inject.Inject;
import javax.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DHCP service of a node: on start it starts the transport (so that a port in use refuses
 * the start before anything else is touched), opens the lease store, and loads its leases into a
 * new {@link DhcpServer} on the event loop. The transport's receive thread hands each datagram to
 * the server through the loop; what arrives while the store loads waits there for the server. On
 * stop it closes the transport, lets the loop finish what was already queued, and closes the store
 * (which completes the writes it accepted).
 *
 * <p>Before the adapters are created, the data directory is created if missing and checked for
 * writing ({@link DataDirectories}); the adapters are created from the node file's choices
 * ({@link NodeConfig#transport()}, {@link NodeConfig#leaseStore()}) with the node's context. Once it has loaded, the store proves it can commit
 * ({@link LeaseStore#checkWritable}) before the node serves.
 *
 * <p>The adapters are built in {@link #startUp}, not in the constructor, so that nothing is bound
 * or opened before the service manager starts the node.
 */
@Singleton
public final class NodeService extends AbstractIdleService {

    private static final Logger LOG = LoggerFactory.getLogger(NodeService.class);
    private static final Duration LOOP_TIMEOUT = Duration.ofSeconds(10);
    /** The latest block and bucket assignment this member accepted, in the data directory. */
    static final String ASSIGNMENT_FILE = "block-assignment";
    /** The note, in the data directory, that a member's lease store was lost and it has not yet caught up. */
    static final String LOST_STORE_FILE = "lease-store-lost";

    private final NodeConfig config;
    private final EventLoop loop;
    private final LoggingClusterEvents events;
    /** The cluster service this one starts after; null if there is none to wait for. */
    private final ClusterService cluster;
    /** True if the cluster failed to start, so this service started nothing and has nothing to report. */
    private volatile boolean skipped;

    private volatile LeaseStore store;
    private volatile DhcpTransport transport;
    private volatile DhcpServer server;
    /** The address-space side of a cluster member; null for a node alone. */
    private volatile ClusterMember member;
    /** The server config the DHCP server runs on: the file's at start, a reload's after one. */
    private volatile ServerConfig serving;
    private volatile String endpoint = "";
    private volatile String storeDescription = "";
    /** Datagrams received before the server was loaded; touched only on the loop. */
    private final List<Datagram> early = new ArrayList<>();

    /** A DHCP service that waits for no cluster service (a node built by hand, in tests). */
    NodeService(NodeConfig config, EventLoop loop, LoggingClusterEvents events) {
        this(config, loop, events, null);
    }

    @Inject
    NodeService(NodeConfig config, EventLoop loop, LoggingClusterEvents events, ClusterService cluster) {
        this.config = config;
        this.cluster = cluster;
        this.loop = loop;
        this.events = events;
        this.serving = config.server();
    }

    @Override
    protected void startUp() throws Exception {
        // A cluster member's peer port and secret first: a node refused there (a port taken, a
        // secret others can read) touches no DHCP port and no lease store. The cluster service
        // reports its own failure; this one then starts nothing and stops with the node.
        if (cluster != null && !cluster.awaitStarted()) {
            skipped = true;
            LOG.debug("node {}: the cluster did not start; the DHCP service starts nothing", config.node().value());
            return;
        }
        try {
            // The port first: a node whose port is taken (a second node started by mistake) must
            // refuse before it opens, let alone creates, a lease store of its own.
            NodeContext context = new NodeContext(config.node(), config.dataDirectory(), loop, loop, events);
            transport = config.transport().factory().create(context);
            // The DHCP lane: a flood of datagrams is shed there rather than delay timers and peers.
            // Classified here, on the receiving thread, from the raw bytes: REQUESTs go ahead of DISCOVERs.
            start(transport, datagram -> loop.offerDatagram(DatagramTriage.classify(datagram.payload()),
                    () -> handle(datagram)));
            DataDirectories.prepare(config.dataDirectory(), DataDirectories.DATA_DIRECTORY);
            LeaseStore local = config.leaseStore().factory().create(context);
            store = local;
            // Read before the store creates its file: a member that voted before and finds no store lost it.
            boolean storeExisted = local.mediumExists();
            ClusterMember joined = null;
            if (cluster != null && cluster.clustered()) {
                LostStoreMark lostStore = new LostStoreMark(config.dataDirectory().resolve(LOST_STORE_FILE));
                boolean recovering = recovering(cluster.votedBefore() && !storeExisted, lostStore);
                joined = new ClusterMember(cluster, local,
                        new FileAssignmentStore(config.dataDirectory().resolve(ASSIGNMENT_FILE)), loop, recovering,
                        lostStore);
                store = joined.store();
            }
            ClusterMember clustered = joined;
            DhcpServer created = clustered == null
                    ? new DhcpServer(config.server(), transport, store, loop, loop, events)
                    : new DhcpServer(config.server(), transport, store, loop, loop, events, clustered.buckets(),
                            ClusterMember.EXPIRY_GRACE);
            long loadStarted = System.nanoTime();
            // Streamed into the table here, off the loop: datagrams that arrive meanwhile wait in
            // the early list, and the loop keeps its timers and peers going.
            long leases = load(store, created);
            long loadMillis = (System.nanoTime() - loadStarted) / 1_000_000;
            onLoop(() -> {
                if (clustered != null) {
                    clustered.start(created, loop);
                    member = clustered;
                }
                server = created;
                early.forEach(created::handle);
                early.clear();
                return null;
            });
            endpoint = transport.describe();
            storeDescription = local.describe();
            LOG.info("node {} loaded {} lease{} in {} ms and listens on {}", config.node().value(), leases,
                    leases == 1 ? "" : "s", loadMillis, endpoint);
        } catch (Exception | Error e) {
            // AbstractIdleService does not call shutDown after a failed startUp: release here.
            closeQuietly();
            throw e;
        }
    }

    /**
     * True if this member must catch up from its peers before it serves: its store is new although
     * it voted before (the note is set now, durably, before anything else), or the note of an
     * earlier loss is still there (it crashed before it had settled).
     */
    private boolean recovering(boolean lostNow, LostStoreMark lostStore) throws StartRefused {
        try {
            if (lostNow) {
                lostStore.set(Instant.now() + " node " + config.node().value() + " voted in its cluster before, but "
                        + "its lease store was new: it catches up from its peers");
                LOG.warn("node {} voted in its cluster before, but its lease store is new: it lost its leases, and "
                        + "serves nothing and acknowledges no lease change until it has caught up from its peers",
                        config.node().value());
                return true;
            }
            if (lostStore.present()) {
                LOG.warn("node {} had not finished catching up after it lost its lease store ({}): it catches up again",
                        config.node().value(), lostStore);
                return true;
            }
            return false;
        } catch (IOException e) {
            throw new StartRefused("node.data-directory: the note that the lease store was lost (" + lostStore
                    + ") cannot be read or written: " + e.getMessage(), e);
        }
    }

    /**
     * On the loop: a datagram for the server, or, while the store still loads, for the list the
     * server answers first once loaded (as a socket buffer would have kept them).
     */
    private void handle(Datagram datagram) {
        DhcpServer current = server;
        if (current != null) {
            ClusterMember clustered = member;
            if (clustered != null) {
                clustered.refresh();
            }
            current.handle(datagram);
        } else {
            early.add(datagram);
        }
    }

    @Override
    protected void shutDown() {
        if (skipped) {
            return;
        }
        DhcpTransport current = transport;
        if (current != null) {
            current.close();
        }
        try {
            // Datagrams already queued are answered (or dropped by the server) before the store closes.
            loop.flushDatagrams(LOOP_TIMEOUT);
            ClusterMember clustered = member;
            if (clustered != null) {
                onLoop(() -> {
                    clustered.stop();
                    return null;
                });
            }
        } catch (Exception e) {
            LOG.debug("event loop already stopped while draining", e);
        }
        LeaseStore currentStore = store;
        if (currentStore != null) {
            currentStore.close();
        }
        // Logged here, while the node stops, because the process may end the moment it has stopped.
        EventCounts counts = events.counts();
        LOG.info("node {} traffic: {}", config.node().value(), counts.describeTraffic());
        EventCounts.StoreCounts commits = counts.store();
        if (commits.commits() > 0 || commits.failures() > 0) {
            LOG.info("node {} lease store: {}", config.node().value(), NodeRuntime.describeStore(commits));
        }
        LOG.info("node {} stopped", config.node().value());
    }

    /**
     * Streams every lease in the store into {@code server}'s table ({@link LeaseStore#loadEach}),
     * sized first for as many as the store says it holds ({@link LeaseStore#storedCount}), then has the store show it can commit; returns how many leases it loaded. A store that
     * cannot be read (a corrupt file, one written by a newer version) or cannot commit (a full
     * disk) refuses the start with its own message; the store leaves the file as it was.
     */
    private static long load(LeaseStore opened, DhcpServer server) throws StartRefused {
        long[] leases = new long[1];
        try {
            // The store's count, if it knows it, sizes the table once instead of growing it.
            server.load(opened.storedCount(), each -> leases[0] = opened.loadEach(each));
        } catch (LeaseStoreException e) {
            // The store's message names its file and says what is wrong with it.
            throw new StartRefused("lease store: " + e.getMessage(), e);
        }
        try {
            // A store that reads but cannot commit (a full disk) would leave every client without
            // an ACK: refuse now rather than say "serving".
            opened.checkWritable();
        } catch (LeaseStoreException e) {
            throw new StartRefused("lease store: " + e.getMessage(), e);
        }
        return leases[0];
    }

    /**
     * Starts the transport. A transport that cannot bind (a port in use, an interface that is
     * missing, a port below 1024 without the capability) says so in its message, which names the
     * address and port: that is the whole story for the operator, so the start is refused with it,
     * without a stack trace.
     */
    private static void start(DhcpTransport transport, DhcpHandler handler) throws StartRefused {
        try {
            transport.start(handler);
        } catch (IOException e) {
            throw new StartRefused("transport: " + e.getMessage(), e);
        }
    }

    /**
     * True if this service started nothing because the node's cluster did not start (the node is
     * stopping, and the cluster says why).
     */
    public boolean startedNothing() {
        return skipped;
    }

    /**
     * Where the transport listens, as bound ({@code udp 127.0.0.1:6767}); empty before start.
     */
    public String endpoint() {
        return endpoint;
    }

    /** The lease store, as it describes itself ({@code sqlite /var/lib/dhcpcluster/leases.db}); empty before start. */
    public String storeDescription() {
        return storeDescription;
    }

    /**
     * The UDP port the transport is bound to (the one the system chose if the file says 0); empty
     * for a transport without a port.
     *
     * @throws IllegalStateException before start
     */
    public OptionalInt boundPort() {
        DhcpTransport current = transport;
        if (current == null) {
            throw new IllegalStateException("the node is not running");
        }
        return current.localPort();
    }

    /**
     * Switches the running DHCP server to {@code next} on the event loop, between two datagrams
     * ({@link DhcpServer#reconfigure}), keeping every lease.
     *
     * @throws IllegalStateException if the node is not running
     * @throws ExecutionException if the server cannot serve {@code next} (its cause says why); the
     *     server goes on with its old config
     * @throws TimeoutException if the loop did not take the config in time
     */
    public void reconfigure(ServerConfig next) throws ExecutionException, TimeoutException, InterruptedException {
        DhcpServer current = server;
        if (current == null || state() != State.RUNNING) {
            throw new IllegalStateException("the node is not running");
        }
        onLoop(() -> {
            current.reconfigure(next);
            ClusterMember clustered = member;
            if (clustered != null) {
                clustered.reapply();
            }
            // Set on the loop with the swap itself, so that it never names a config that is not served.
            serving = next;
            return null;
        });
    }

    /**
     * Switches the running DHCP server to {@code next} at once, for code that runs on the event
     * loop itself (the leader's configuration arrives there, {@link LeaderConfig}), where
     * {@link #reconfigure} would wait for itself.
     *
     * @throws IllegalStateException if not called on the event loop, or the node is not running
     * @throws IllegalArgumentException if the server cannot serve {@code next}; it goes on with its old config
     */
    public void reconfigureOnLoop(ServerConfig next) {
        if (!loop.inLoop()) {
            throw new IllegalStateException("reconfigureOnLoop() runs on the event loop");
        }
        DhcpServer current = server;
        if (current == null || state() != State.RUNNING) {
            throw new IllegalStateException("the node is not running");
        }
        current.reconfigure(next);
        serving = next;
        ClusterMember clustered = member;
        if (clustered != null) {
            clustered.reapply();
        }
    }

    /** The server config the DHCP server runs on now. */
    public ServerConfig serving() {
        return serving;
    }

    /** How the pools are used now, read on the event loop. */
    public PoolUsage usage() throws ExecutionException, TimeoutException, InterruptedException {
        return usage(LOOP_TIMEOUT);
    }

    /**
     * How the pools are used now, read on the event loop, waiting at most {@code timeout} for it
     * (a scrape must not hang on a loop that is busy).
     *
     * @throws IllegalStateException before the node has started
     * @throws TimeoutException if the loop did not get to it within {@code timeout}
     */
    public PoolUsage usage(Duration timeout) throws ExecutionException, TimeoutException, InterruptedException {
        DhcpServer current = server;
        if (current == null) {
            throw new IllegalStateException("the node is not running");
        }
        return loop.call(current::usage, timeout);
    }

    /** One page of the leases that match {@code query}, read on the event loop. */
    public LeasePage leases(LeaseQuery query) throws ExecutionException, TimeoutException, InterruptedException {
        DhcpServer current = running();
        return onLoop(() -> current.leases(query));
    }

    /**
     * Ends the lease that holds {@code address} (an operator's {@code lease del}) and waits until
     * the store has made that durable. The address is free from the moment the loop runs this.
     *
     * @return the ended lease as written, or empty if no lease held the address
     * @throws ExecutionException if the store could not write the change (its cause is the
     *     store's {@link LeaseStoreException}); the address is free in this running node all the same
     * @throws TimeoutException if the store did not answer in time
     */
    public Optional<Lease> removeLease(Ipv4Address address)
            throws ExecutionException, TimeoutException, InterruptedException {
        DhcpServer current = running();
        CompletableFuture<Void> durable = new CompletableFuture<>();
        Optional<Lease> ended = onLoop(() -> current.removeLease(address, new WriteCompletion() {
            @Override
            public void durable() {
                durable.complete(null);
            }

            @Override
            public void failed(LeaseStoreException cause) {
                durable.completeExceptionally(cause);
            }
        }));
        if (ended.isPresent()) {
            durable.get(LOOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.info("node {}: lease of {} removed by the operator", config.node().value(), address);
        }
        return ended;
    }

    private DhcpServer running() {
        DhcpServer current = server;
        if (current == null) {
            throw new IllegalStateException("the node is not running");
        }
        return current;
    }

    private <T> T onLoop(Callable<T> task)
            throws ExecutionException, TimeoutException, InterruptedException {
        return loop.call(task, LOOP_TIMEOUT);
    }

    private void closeQuietly() {
        try {
            if (transport != null) {
                transport.close();
            }
        } finally {
            if (store != null) {
                store.close();
            }
        }
    }

    @Override
    protected String serviceName() {
        return "dhcp-node-" + config.node().value();
    }
}
