package dev.dhcpcluster.bootstrap.relay;

import dev.dhcpcluster.bootstrap.config.ConfigError;
import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.runtime.ReloadOutcome;
import dev.dhcpcluster.bootstrap.secret.SecretException;
import dev.dhcpcluster.core.relay.ClientRateLimiter;
import dev.dhcpcluster.core.relay.ClusterPicture;
import dev.dhcpcluster.core.relay.RelayAgent;
import dev.dhcpcluster.core.relay.RelayDecision;
import dev.dhcpcluster.core.relay.RelayDropReason;
import dev.dhcpcluster.core.relay.RelayRoutes;
import dev.dhcpcluster.core.relay.RelayServer;
import dev.dhcpcluster.core.relay.RelaySettings;
import dev.dhcpcluster.core.text.SafeText;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: its client-side transport, the forwarding rules ({@link RelayAgent}), its
 * counters, and the config it reloads.
 *
 * <p>The transport's receive threads call {@link #handle} for every datagram: a BOOTREQUEST passes
 * the per-client rate limit ({@link ClientRateLimiter}, if configured), then
 * {@link RelayAgent#fromClient}, and if it is forwarded goes to the servers {@link RelayRoutes}
 * picks from the cluster's picture (UDP, the server port); a BOOTREPLY goes through
 * {@link RelayAgent#fromServer} and, if it is for a client of this relay, out of the decision's
 * interface as the decision's delivery says. Every outcome is counted ({@link RelayCounters}).
 *
 * <p>The config in force is one immutable value swapped whole by {@link #reload}: a datagram is
 * handled entirely by the settings it started with. Replies from a server a reload removed are
 * still accepted for {@link #REMOVED_SERVER_GRACE} after the reload, so that requests in flight
 * are answered. The relay keeps no state on disk.
 *
 * <p>The cluster's picture comes from a {@link ClusterSource} that belongs to the config in force.
 * A reload that changes what the relay watches ({@link RelayConfig#watched()}: a server's
 * {@code node} or {@code peer}, a node added or removed, {@code relay.cluster}) opens a new source
 * before it swaps the config, swaps both at once, then closes the old source: the new observer
 * has heard nothing yet, so its picture is never-reached for a moment and requests go to every
 * server, which is safe. A reload that leaves what is watched alone keeps the source and its
 * connections.
 */
public final class RelayRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RelayRuntime.class);

    /** How long replies from a server removed by a reload are still accepted. */
    public static final Duration REMOVED_SERVER_GRACE = Duration.ofSeconds(60);

    private static final int BOOTREPLY = 2;

    /** Makes the client-side transport for a config. */
    @FunctionalInterface
    public interface TransportFactory {
        /** A transport, not yet started, for {@code config}'s interface, listen address and port. */
        DhcpTransport create(RelayConfig config);
    }

    /** Reads the config file again, for a reload. */
    @FunctionalInterface
    public interface ConfigFile {
        /** The file as it is now. */
        RelayConfig read() throws ConfigException;
    }

    /**
     * What the relay forwards by now.
     *
     * @param config the config in force
     * @param agent the forwarding rules of {@code config}
     * @param replies the rules for replies: {@code agent}, or while a removed server's grace runs,
     *     the same settings with that server still among those whose replies are accepted
     * @param repliesUntilNanos when {@code replies} falls back to {@code agent}
     * @param routes which servers get each request; not thread-safe, used under {@code routing}
     * @param limiter the per-client rate limit, if any; not thread-safe, used under {@code routing}
     * @param source the cluster's picture for {@code config}'s {@link RelayConfig#watched()}
     */
    private record Live(RelayConfig config, RelayAgent agent, RelayAgent replies, long repliesUntilNanos,
            RelayRoutes routes, Optional<ClientRateLimiter> limiter, ClusterSource source) {
    }

    private final Optional<ConfigFile> file;
    private final TransportFactory transports;
    private final LongSupplier nanoTime;
    /** Opens a new source when a reload changes what the relay watches. */
    private final ClusterSource.Factory sources;
    /**
     * Guards the routes and the limiter, which are not thread-safe: the pcap transport calls
     * {@link #handle} from one thread per interface and one for its socket.
     */
    private final Object routing = new Object();
    private final RelayCounters counters = new RelayCounters();
    /** Whether the transport is pcap's, whose socket alone delivers the servers' replies. */
    private final boolean pcap;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Object reloads = new Object();

    private volatile Live live;
    private volatile Instant loaded;
    private volatile DhcpTransport transport;
    private volatile boolean closed;
    private final String defaultName = defaultName();

    /**
     * A relay, not yet started, that knows no cluster: every request goes to every server, or to
     * the one an override names.
     *
     * @param config the config to start with
     * @param file where {@link #reload} reads the config again; empty for a relay that is not run
     *     from a file (a reload is then refused)
     * @param transports makes the client-side transport
     * @param nanoTime a monotonic clock in nanoseconds ({@link System#nanoTime})
     */
    public RelayRuntime(RelayConfig config, Optional<ConfigFile> file, TransportFactory transports, LongSupplier nanoTime) {
        this(config, file, transports, nanoTime, ClusterPicture::neverReached);
    }

    /**
     * A relay, not yet started.
     *
     * @param config the config to start with
     * @param file where {@link #reload} reads the config again; empty for a relay that is not run
     *     from a file (a reload is then refused)
     * @param transports makes the client-side transport
     * @param nanoTime a monotonic clock in nanoseconds ({@link System#nanoTime})
     * @param cluster what the relay knows of the cluster now, asked once per request, from any
     *     thread ({@link ClusterPicture#neverReached} for a relay without {@code relay.cluster});
     *     kept across every reload
     */
    public RelayRuntime(RelayConfig config, Optional<ConfigFile> file, TransportFactory transports, LongSupplier nanoTime,
            Supplier<ClusterPicture> cluster) {
        this(config, file, transports, nanoTime, ClusterSource.of(cluster, () -> { }), fixed(cluster));
    }

    /**
     * A relay, not yet started, that owns its cluster source: it closes it when it closes, and
     * replaces it with one from {@code sources} when a reload changes what the relay watches.
     *
     * @param config the config to start with
     * @param file where {@link #reload} reads the config again; empty for a relay that is not run
     *     from a file (a reload is then refused)
     * @param transports makes the client-side transport
     * @param nanoTime a monotonic clock in nanoseconds ({@link System#nanoTime})
     * @param source the cluster's picture for {@code config}, asked once per request, from any thread
     * @param sources opens the source of a reloaded config ({@link ClusterSource#of(RelayConfig, String)})
     */
    public RelayRuntime(RelayConfig config, Optional<ConfigFile> file, TransportFactory transports, LongSupplier nanoTime,
            ClusterSource source, ClusterSource.Factory sources) {
        Objects.requireNonNull(config, "config");
        this.file = Objects.requireNonNull(file, "file");
        this.transports = Objects.requireNonNull(transports, "transports");
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.sources = Objects.requireNonNull(sources, "sources");
        Objects.requireNonNull(source, "source");
        RelayAgent agent = new RelayAgent(config.settings());
        this.live = new Live(config, agent, agent, Long.MIN_VALUE, routes(config), limiter(config), source);
        this.loaded = Instant.now();
        this.pcap = config.transport().type().equals(RelayConfig.PCAP);
    }

    /** A factory that hands every config the same picture, which it never closes. */
    private static ClusterSource.Factory fixed(Supplier<ClusterPicture> cluster) {
        Objects.requireNonNull(cluster, "cluster");
        return (config, name) -> ClusterSource.of(cluster, () -> { });
    }

    private static RelayRoutes routes(RelayConfig config) {
        return new RelayRoutes(config.relayServers(), config.relayOverrides());
    }

    private static Optional<ClientRateLimiter> limiter(RelayConfig config) {
        return config.rateLimit().map(limit -> new ClientRateLimiter(limit.requestsPerSecond(), limit.burst(),
                limit.maxClients()));
    }

    /**
     * A relay on the transport its config names ({@link RelayTransports#of}), routing by
     * {@code source}, which it owns, and by the source {@link ClusterSource#of(RelayConfig, String)}
     * opens when a reload changes what it watches.
     */
    public static RelayRuntime of(RelayConfig config, Optional<ConfigFile> file, ClusterSource source) {
        return new RelayRuntime(config, file, RelayTransports::of, System::nanoTime, source, ClusterSource::of);
    }

    /** What the relay knows of the cluster now. */
    public ClusterPicture picture() {
        return live.source().get();
    }

    /**
     * Binds the transport and starts relaying.
     *
     * @throws IOException if the transport cannot bind; the message names the address
     * @throws IllegalStateException if started before
     */
    public synchronized void start() throws IOException {
        if (transport != null || closed) {
            throw new IllegalStateException("the relay was started before");
        }
        DhcpTransport created = transports.create(live.config());
        transport = created;
        created.start(this::handle);
        LOG.info("relay forwards from {} ({}) to {}", interfaceNames(live.config()), created.describe(),
                live.config().settings().servers());
    }

    /** Where the relay listens, in a few words: {@code udp 0.0.0.0:67 (interface eth1)}. */
    public String describe() {
        DhcpTransport current = transport;
        return current == null ? "not started" : current.describe();
    }

    /** The port the transport is bound to, once started. */
    public int port() {
        DhcpTransport current = transport;
        if (current == null) {
            throw new IllegalStateException("the relay is not started");
        }
        return current.localPort().orElseThrow();
    }

    /**
     * The relay's name, as it gives it to the cluster's nodes: {@code relay.name}, else
     * {@code relay-HOSTNAME-PID}.
     */
    public String name() {
        return live.config().name().orElse(defaultName);
    }

    /**
     * {@code relay-HOSTNAME-PID}: tells the relays of several hosts, and two of one host, apart in
     * the nodes' logs.
     */
    public static String defaultName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return defaultName(host, ProcessHandle.current().pid());
    }

    /**
     * {@code relay-HOST-PID}, fit for {@code relay.name}'s rules (1 to 64 printable ASCII
     * characters), and so for the handshake's (128 bytes of UTF-8): the host name keeps only the
     * characters a host name may have (letters, digits, dot, dash, underscore; anything else is
     * left out) and is cut short so that the whole fits, the PID always whole.
     */
    static String defaultName(String host, long pid) {
        StringBuilder kept = new StringBuilder();
        host.chars().filter(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '-' || c == '_').forEach(c -> kept.append((char) c));
        String suffix = "-" + pid;
        int room = RelayConfigReader.MAX_NAME_LENGTH - "relay-".length() - suffix.length();
        String cut = kept.length() <= room ? kept.toString() : kept.substring(0, room);
        return "relay-" + (cut.isEmpty() ? "localhost".substring(0, Math.min(room, 9)) : cut) + suffix;
    }

    /** The config in force. */
    public RelayConfig config() {
        return live.config();
    }

    /** When the config in force was read. */
    public Instant loaded() {
        return loaded;
    }

    /** What the relay has done. */
    public RelayCounters counters() {
        return counters;
    }

    /** Takes one datagram from the transport's receive thread; never throws for bad input. */
    void handle(Datagram datagram) {
        Live now = live;
        byte[] payload = datagram.payload();
        DhcpTransport out = transport;
        if (payload.length > 0 && (payload[0] & 0xff) == BOOTREPLY) {
            if (pcap && datagram.interfaceName().isPresent()) {
                // A reply captured on a client interface: the transport's socket hands the relay
                // every reply to its addresses, this one included, so this copy is left out.
                return;
            }
            RelayAgent agent = nanoTime.getAsLong() - now.repliesUntilNanos() < 0 ? now.replies() : now.agent();
            RelayDecision decision = agent.fromServer(payload, datagram.source());
            if (decision instanceof RelayDecision.ToClient reply) {
                out.send(reply.packet(), reply.delivery(), Optional.of(reply.via().name()));
                counters.countReturned();
            } else if (decision instanceof RelayDecision.Drop drop) {
                counters.countDropped(drop.reason());
            } else {
                throw new IllegalStateException("a reply decided as " + decision);
            }
            return;
        }
        // A udp relay serves one interface, and the socket cannot tell which one a datagram came in by;
        // the pcap transport names the interface of every request.
        String face = datagram.interfaceName().orElse(now.config().settings().interfaces().get(0).name());
        long nowNanos = nanoTime.getAsLong();
        if (now.limiter().isPresent()) {
            boolean allowed;
            synchronized (routing) {
                allowed = now.limiter().get().allow(payload, nowNanos);
            }
            if (!allowed) {
                counters.countDropped(RelayDropReason.RATE_LIMITED);
                return;
            }
        }
        RelayDecision decision = now.agent().fromClient(payload, face);
        if (decision instanceof RelayDecision.ToServers forward) {
            ClusterPicture picture = now.source().get();
            List<RelayServer> targets;
            synchronized (routing) {
                targets = now.routes().targets(forward.packet(), picture, nowNanos);
            }
            int port = now.config().settings().serverPort();
            for (RelayServer server : targets) {
                out.send(forward.packet(), new Delivery.Unicast(server.address(), port), Optional.empty());
                counters.countSent(server.address());
            }
            counters.countForwarded(forward.agentInformation());
        } else if (decision instanceof RelayDecision.Drop drop) {
            counters.countDropped(drop.reason());
        } else {
            throw new IllegalStateException("a request decided as " + decision);
        }
    }

    /**
     * Reads the config file again and applies what may change live ({@code servers},
     * {@code overrides}, {@code rate-limit}, {@code remote-id}, {@code max-hops}, {@code cluster});
     * a change of any other field is reported as needing a restart and keeps its old value. A
     * change of what the relay watches ({@link RelayConfig#watched()}) opens a new cluster source,
     * swapped in with the config, and closes the old one; a source that cannot be opened (its
     * secret or a TLS store unusable) refuses the reload. A file with any problem is refused whole,
     * each problem logged, and the relay runs on as it was. Safe from any thread; reloads run one
     * at a time.
     */
    public ReloadOutcome reload() {
        synchronized (reloads) {
            ReloadOutcome outcome = reloadUnlogged();
            if (outcome.applied()) {
                if (outcome.changes().isEmpty() && outcome.restartNeeded().isEmpty()) {
                    LOG.info("relay reloaded its config: nothing changed");
                } else {
                    LOG.info("relay reloaded its config: {} {}", outcome.changes().size(),
                            outcome.changes().size() == 1 ? "change" : "changes");
                }
                outcome.changes().forEach(line -> LOG.info("reload: {}", SafeText.inline(line)));
                outcome.restartNeeded().forEach(path -> LOG.warn("reload: {}",
                        SafeText.inline(ReloadOutcome.restartLine(path))));
            } else {
                LOG.warn("relay kept its config: the file has {} {}", outcome.errors().size(),
                        outcome.errors().size() == 1 ? "error" : "errors");
                outcome.errors().forEach(error -> LOG.warn("reload: {}", SafeText.inline(error)));
            }
            return outcome;
        }
    }

    /**
     * As {@link #reload}, counted but not logged: for a relay in one process with a node, whose
     * reload logs the relay's lines among its own ({@link ColocatedRelay#reload}).
     */
    ReloadOutcome reloadUnlogged() {
        synchronized (reloads) {
            ReloadOutcome outcome = reloadNow();
            counters.countReload(outcome.applied());
            return outcome;
        }
    }

    private ReloadOutcome reloadNow() {
        if (file.isEmpty()) {
            return new ReloadOutcome(false, List.of(), List.of(), List.of("(file): this relay was not started from a file"));
        }
        RelayConfig read;
        try {
            read = file.get().read();
        } catch (ConfigException e) {
            return new ReloadOutcome(false, List.of(), List.of(), e.errors().stream().map(ConfigError::toString).toList());
        }
        Live before = live;
        RelayConfig old = before.config();
        List<String> restart = old.restartNeededFor(read);
        RelayConfig merged;
        try {
            RelaySettings settings = new RelaySettings(old.settings().interfaces(), read.settings().remoteId(),
                    read.settings().maxHops(), read.settings().servers(), old.settings().serverPort(),
                    old.settings().clientPort(), old.settings().maxMessageLength());
            merged = new RelayConfig(old.name(), old.transport(), settings, read.servers(), read.overrides(),
                    read.rateLimit(), read.cluster(), old.admin());
        } catch (IllegalArgumentException e) {
            return new ReloadOutcome(false, List.of(), List.of(), List.of("relay: " + e.getMessage()));
        }
        List<String> changes = changes(old, merged);
        boolean rewatch = !merged.watched().equals(old.watched());
        ClusterSource source = before.source();
        if (rewatch) {
            try {
                source = sources.open(merged, name());
            } catch (SecretException e) {
                return new ReloadOutcome(false, List.of(), List.of(), List.of("relay.cluster.secret-file: " + e.getMessage()));
            } catch (IllegalArgumentException e) {
                return new ReloadOutcome(false, List.of(), List.of(), List.of(e.getMessage()));
            }
            changes.add(watching(merged));
        }
        long now = nanoTime.getAsLong();
        RelayAgent agent = new RelayAgent(merged.settings());
        RelayAgent replies = agent;
        long until = Long.MIN_VALUE;
        Set<Ipv4Address> accepted = new LinkedHashSet<>(merged.settings().servers());
        // Servers removed now, and those removed by an earlier reload whose grace still runs.
        RelaySettings graced = now - before.repliesUntilNanos() < 0 ? before.replies().settings() : old.settings();
        if (accepted.addAll(graced.servers())) {
            replies = new RelayAgent(new RelaySettings(merged.settings().interfaces(), merged.settings().remoteId(),
                    merged.settings().maxHops(), List.copyOf(accepted), merged.settings().serverPort(),
                    merged.settings().clientPort(), merged.settings().maxMessageLength()));
            until = now + REMOVED_SERVER_GRACE.toNanos();
        }
        // Routes and limiter carry state (recent forwards, each client's bucket): kept unless their settings change.
        RelayRoutes routes = merged.servers().equals(old.servers()) && merged.overrides().equals(old.overrides())
                ? before.routes() : routes(merged);
        Optional<ClientRateLimiter> limiter = merged.rateLimit().equals(old.rateLimit()) ? before.limiter() : limiter(merged);
        live = new Live(merged, agent, replies, until, routes, limiter, source);
        loaded = Instant.now();
        if (rewatch) {
            before.source().close();
            if (closed) {
                // close() may have closed the source in force before this reload swapped it.
                source.close();
            }
        }
        return new ReloadOutcome(true, changes, restart, List.of());
    }

    /** The reload's line about a new observer: what it watches now. */
    private static String watching(RelayConfig config) {
        return config.watched().map(watched -> "cluster: observes " + watched.cluster().name() + " nodes "
                + new java.util.TreeMap<>(watched.peers().entrySet().stream().collect(java.util.stream.Collectors.toMap(
                        entry -> entry.getKey().value(), Map.Entry::getValue)))
                + (watched.cluster().tls().isPresent() ? " over TLS" : "") + " (a new observer)")
                .orElse("cluster: none, the relay stops observing");
    }

    private static List<String> changes(RelayConfig old, RelayConfig now) {
        List<String> changes = new ArrayList<>();
        if (!old.servers().equals(now.servers())) {
            changes.add("servers: " + old.settings().servers() + " -> " + now.settings().servers());
        }
        if (!old.overrides().equals(now.overrides())) {
            changes.add("overrides changed");
        }
        if (!old.rateLimit().equals(now.rateLimit())) {
            changes.add("rate-limit changed");
        }
        if (!old.settings().remoteId().equals(now.settings().remoteId())) {
            changes.add("remote-id changed");
        }
        if (old.settings().maxHops() != now.settings().maxHops()) {
            changes.add("max-hops: " + old.settings().maxHops() + " -> " + now.settings().maxHops());
        }
        return changes;
    }

    /** Stops relaying: closes the transport and the cluster source. Idempotent. */
    @Override
    public void close() {
        DhcpTransport current;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            current = transport;
        }
        if (current != null) {
            current.close();
        }
        live.source().close();
        stopped.countDown();
    }

    /** Waits until {@link #close} has run. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private static List<String> interfaceNames(RelayConfig config) {
        return config.settings().interfaces().stream().map(face -> face.name() + " " + face.address()).toList();
    }
}
