package dev.dhcpcluster.bootstrap.relay;

import dev.dhcpcluster.adapter.tcppeer.TcpPeerTransport;
import dev.dhcpcluster.core.relay.ClusterPicture;
import dev.dhcpcluster.core.relay.ClusterWatch;
import dev.dhcpcluster.core.relay.NodeReport;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.telemetry.PeerEvents;
import dev.dhcpcluster.port.time.Clock;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A relay's watch on its cluster: it dials every node as an observer (authenticated with the
 * cluster secret, never a member: see {@link TcpPeerTransport#observer}), folds the
 * {@link PeerMessage.ObserverView}s the nodes send into a {@link ClusterWatch}, and tells the watch
 * when a connection is lost and, each second, each connection's round-trip time.
 *
 * <p>{@link #picture()} is what the relay routes by. It may be called from any thread: the watch
 * is not thread-safe, so every call to it (from the transport's reading threads, the round-trip
 * poll and the readers of the picture) holds this object's lock, each only for as long as the
 * watch takes to fold one report or build one picture. Times are read from the {@link Clock}'s
 * monotonic {@link Clock#elapsedNanos()}.
 */
public final class ClusterObserver implements AutoCloseable {

    /** How often the round trips the transport measured are handed to the watch. */
    static final Duration ROUND_TRIP_POLL = Duration.ofSeconds(1);

    private final TcpPeerTransport transport;
    private final Clock clock;
    private final Set<NodeId> nodes;
    private final ClusterWatch watch;
    /** The leader named by each node's latest view; guarded by this object's lock, like the watch. */
    private final Map<NodeId, PeerMessage.ObserverView> latest = new HashMap<>();
    private final ScheduledExecutorService poll;

    private ClusterObserver(TcpPeerTransport transport, Clock clock, Set<NodeId> nodes) {
        this.transport = transport;
        this.clock = clock;
        this.nodes = Set.copyOf(nodes);
        this.watch = new ClusterWatch(this.nodes);
        this.poll = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "relay-round-trips");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Starts watching: dials every node of {@code nodes} as observer {@code name} and returns at
     * once; nodes report as they connect.
     *
     * @param clusterName the cluster's name, as in the nodes' {@code cluster.name}
     * @param secret the cluster secret (a copy is kept; the caller may clear its own)
     * @param name the observer's name the nodes log: 1 to 128 bytes in UTF-8, no control character
     * @param nodes every node and its peer address ({@code cluster.listen} of that node)
     * @param clock the relay's clock: its monotonic nanoseconds time the views
     * @param events where refusals and connections are reported (a log, counters)
     * @throws IllegalArgumentException if a setting cannot be (a short secret, a bad name, no node)
     */
    public static ClusterObserver start(String clusterName, byte[] secret, String name,
            Map<NodeId, InetSocketAddress> nodes, Clock clock, PeerEvents events) {
        return start(clusterName, secret, name, nodes, Optional.empty(), clock, events);
    }

    /**
     * {@link #start(String, byte[], String, Map, Clock, PeerEvents)} with every connection in TLS
     * from {@code tls}, if present: a cluster whose nodes' peers use {@code cluster.tls} refuses an
     * observer that dials in plain TCP.
     */
    public static ClusterObserver start(String clusterName, byte[] secret, String name,
            Map<NodeId, InetSocketAddress> nodes, Optional<SSLContext> tls, Clock clock, PeerEvents events) {
        Objects.requireNonNull(clock, "clock");
        TcpPeerTransport.ObserverSettings settings = TcpPeerTransport.ObserverSettings.of(name, clusterName, nodes, secret);
        if (tls.isPresent()) {
            settings = settings.withTls(tls.get());
        }
        TcpPeerTransport transport = TcpPeerTransport.observer(settings, events);
        ClusterObserver observer = new ClusterObserver(transport, clock, nodes.keySet());
        try {
            transport.start(observer.new Handler());
        } catch (IOException e) {
            // An observer never listens: nothing in its start can fail on the network.
            throw new IllegalStateException("the observer transport did not start: " + e.getMessage(), e);
        }
        observer.poll.scheduleWithFixedDelay(observer::pollRoundTrips, ROUND_TRIP_POLL.toMillis(),
                ROUND_TRIP_POLL.toMillis(), TimeUnit.MILLISECONDS);
        return observer;
    }

    /**
     * {@link #start(String, byte[], String, Map, Clock, PeerEvents)} on the system's monotonic
     * clock, {@link System#nanoTime()}.
     */
    public static ClusterObserver start(String clusterName, byte[] secret, String name,
            Map<NodeId, InetSocketAddress> nodes, PeerEvents events) {
        return start(clusterName, secret, name, nodes, SYSTEM, events);
    }

    /**
     * {@link #start(String, byte[], String, Map, Optional, Clock, PeerEvents)} on the system's
     * monotonic clock, {@link System#nanoTime()}.
     */
    public static ClusterObserver start(String clusterName, byte[] secret, String name,
            Map<NodeId, InetSocketAddress> nodes, Optional<SSLContext> tls, PeerEvents events) {
        return start(clusterName, secret, name, nodes, tls, SYSTEM, events);
    }

    /** The system's clocks: only {@link Clock#elapsedNanos()} is read here. */
    private static final Clock SYSTEM = new Clock() {
        @Override
        public long millis() {
            return System.currentTimeMillis();
        }

        @Override
        public long elapsedNanos() {
            return System.nanoTime();
        }
    };

    /** What the relay knows of the cluster now. */
    public synchronized ClusterPicture picture() {
        return watch.picture(clock.elapsedNanos());
    }

    /**
     * The leader the cluster follows, as the live node that acknowledged the highest epoch says;
     * empty before any node reported one.
     */
    public synchronized Optional<NodeId> leader() {
        Set<NodeId> live = watch.picture(clock.elapsedNanos()).live();
        return latest.values().stream().filter(view -> live.contains(view.from()))
                .max(java.util.Comparator.comparingLong(PeerMessage.ObserverView::epoch))
                .flatMap(PeerMessage.ObserverView::leader);
    }

    /** The nodes connected now. */
    public Set<NodeId> connected() {
        return transport.connected();
    }

    /** The configured nodes. */
    public Set<NodeId> nodes() {
        return nodes;
    }

    private void pollRoundTrips() {
        for (NodeId node : nodes) {
            Optional<Duration> rtt = transport.roundTrip(node);
            if (rtt.isPresent()) {
                synchronized (this) {
                    watch.roundTrip(node, rtt.get());
                }
            }
        }
    }

    /** The report a view makes, in core's terms. */
    static NodeReport report(PeerMessage.ObserverView view) {
        return new NodeReport(view.from(), view.assignmentEpoch(), view.sequence(), view.buckets(), view.live(),
                view.heartbeatInterval(), view.failureTimeout());
    }

    /** Stops watching: every connection closed, the round-trip poll ended. Idempotent. */
    @Override
    public void close() {
        poll.shutdownNow();
        transport.close();
    }

    /** The transport's calls, each folded into the watch under the lock. */
    private final class Handler implements PeerHandler {

        @Override
        public void received(PeerMessage message) {
            if (message instanceof PeerMessage.ObserverView view) {
                synchronized (ClusterObserver.this) {
                    latest.put(view.from(), view);
                    watch.reported(report(view), clock.elapsedNanos());
                }
            }
        }

        @Override
        public void connected(NodeId peer) {
            // Nothing to fold: a node counts as live from its first view, not from its connection.
        }

        @Override
        public void disconnected(NodeId peer) {
            synchronized (ClusterObserver.this) {
                latest.remove(peer);
                watch.disconnected(peer, clock.elapsedNanos());
            }
        }
    }
}
