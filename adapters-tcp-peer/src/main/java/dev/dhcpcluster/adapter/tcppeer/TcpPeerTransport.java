package dev.dhcpcluster.adapter.tcppeer;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.ConnectedObserver;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerRefusal;
import dev.dhcpcluster.port.peer.PeerTransport;
import dev.dhcpcluster.port.telemetry.PeerEvents;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * The {@link PeerTransport} over TCP: one authenticated connection to each configured peer,
 * carrying length-prefixed CBOR frames (the peer protocol, described in docs/peer-protocol.md).
 *
 * <h2>Connections</h2>
 * The transport listens on {@link Settings#listen()} and dials every peer. A connection first runs
 * the handshake: both sides send a hello (protocol version, cluster name, node id, a fresh random
 * nonce), then an HMAC-SHA256 proof over both hellos keyed with the cluster secret. Of two
 * authenticated connections between one pair, the higher node keeps the first it authenticated and
 * tells the lower one which with an accept frame; the other is refused as
 * {@link PeerRefusal#ALREADY_CONNECTED}. A lost peer is redialed with capped exponential backoff
 * and jitter. Both sides ping at the heartbeat interval, which measures the round trip, and close
 * a connection that stays silent for {@value #SILENT_HEARTBEATS} intervals.
 *
 * <h2>Observers</h2>
 * A node also accepts observers ({@link #observer} makes one): a hello that names an observer in
 * place of a node id, a proof over a transcript that binds that name, and an accept. An observer
 * is never a {@link PeerLink}: it is not in {@link #connected()}, gets nothing but what
 * {@link #sendToObservers} queues (the latest view at once when it connects), and anything it sends
 * but pings and pongs closes its connection as {@link PeerRefusal#OBSERVER_SPOKE}. At most
 * {@link Settings#maxObservers()} are connected at once, counted once authenticated.
 *
 * <h2>Threads</h2>
 * One thread accepts; one thread per peer dials and then reads the connection it dialed; one
 * thread per accepted socket runs its handshake and, if it is kept, reads it; one writer thread
 * per established connection drains that connection's bounded queue and sends the pings. At most
 * {@link Settings#maxHandshakes()} accepted handshakes run at once, each closed by a watchdog at
 * the handshake timeout, so no one who connects can hold more than that many threads.
 * {@link #send} and {@link #sendToAll} encode on the caller's thread and only queue, so a slow
 * peer fills its own queue (and loses messages) without holding anyone else up. The handler is
 * called on the reading thread of the peer's connection, in the order the port promises.
 *
 * <h2>Refusals</h2>
 * Each refusal is reported once through {@link PeerEvents#peerRefused}, whose implementation
 * writes the log line; this class logs through {@link System.Logger} only what is not a refusal
 * (the start, a handler that throws, a failing accept).
 */
public final class TcpPeerTransport implements PeerTransport {

    /** A connection silent for this many heartbeat intervals is closed as dead. */
    static final int SILENT_HEARTBEATS = 5;

    private static final System.Logger LOG = System.getLogger(TcpPeerTransport.class.getName());
    private static final Duration CLOSE_JOIN = Duration.ofSeconds(5);

    /** This node's settings; null for an observer. */
    private final Settings settings;
    /** The observer's settings; null for a node. */
    private final ObserverSettings observing;
    /** Who this transport is, for thread names and log lines: {@code node-1}, or {@code observer-edge-1}. */
    private final String me;
    private final String clusterName;
    private final byte[] secret;
    private final Optional<SSLContext> tls;
    private final int maxFrameBytes;
    private final Duration handshakeTimeout;
    private final Duration heartbeatInterval;
    private final PeerEvents events;
    private final Map<NodeId, PeerLink> links;
    private final SecureRandom random = new SecureRandom();
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger handshakes = new AtomicInteger();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    /** The observers connected to this node now; changed under its own monitor, so that the bound holds. */
    private final Set<Connection> observers = ConcurrentHashMap.newKeySet();
    /**
     * The latest view sent to the observers, encoded: what a new observer gets at once. Guarded by
     * {@link #observers}.
     */
    private byte[] latestView;
    private final ScheduledThreadPoolExecutor watchdog;
    private volatile PeerHandler handler;
    private volatile ServerSocket server;

    /** A transport for {@code settings}, reporting to {@code events}; nothing happens before {@link #start}. */
    public TcpPeerTransport(Settings settings, PeerEvents events) {
        this(Objects.requireNonNull(settings, "settings"), null, settings.self().toString(), settings.clusterName(),
                settings.secretBytes(), settings.tls(), settings.maxFrameBytes(), settings.handshakeTimeout(),
                settings.heartbeatInterval(), settings.peers(), events);
    }

    private TcpPeerTransport(Settings settings, ObserverSettings observing, String me, String clusterName, byte[] secret,
            Optional<SSLContext> tls, int maxFrameBytes, Duration handshakeTimeout, Duration heartbeatInterval,
            Map<NodeId, InetSocketAddress> dialed, PeerEvents events) {
        this.settings = settings;
        this.observing = observing;
        this.me = me;
        this.clusterName = clusterName;
        this.secret = secret;
        this.tls = tls;
        this.maxFrameBytes = maxFrameBytes;
        this.handshakeTimeout = handshakeTimeout;
        this.heartbeatInterval = heartbeatInterval;
        this.events = Objects.requireNonNull(events, "events");
        Map<NodeId, PeerLink> byId = new TreeMap<>();
        dialed.forEach((id, address) -> byId.put(id, new PeerLink(id, address)));
        this.links = Map.copyOf(byId);
        this.watchdog = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "peer-handshake-watchdog-" + me);
            thread.setDaemon(true);
            return thread;
        });
        watchdog.setRemoveOnCancelPolicy(true);
    }

    /**
     * The TLS context of peer connections, built from four PKCS#12 files exactly as a node builds it
     * from its {@code cluster.tls}: the key and certificate to present, the certificates to trust,
     * each store's password the first line of a file only its owner may read. A relay that watches
     * a TLS cluster builds its observer's context with it ({@link ObserverSettings#withTls}).
     *
     * @param path the JSON path of the section naming the files, for messages
     *     ({@code relay.cluster.tls})
     * @param keystore the key and certificate to present, absolute
     * @param keystorePasswordFile the file whose first line is the keystore's password, absolute
     * @param truststore the certificates to trust, absolute
     * @param truststorePasswordFile the file whose first line is the truststore's password, absolute
     * @throws IllegalArgumentException if a file is missing, unreadable, open to others (a password
     *     file), not PKCS#12, or its password is wrong; the message starts with the field's JSON path
     *     ({@code relay.cluster.tls.keystore: FILE: does not exist})
     */
    public static SSLContext tlsContext(String path, Path keystore, Path keystorePasswordFile, Path truststore,
            Path truststorePasswordFile) {
        try {
            return new TlsStores(path, keystore, keystorePasswordFile, truststore, truststorePasswordFile).build();
        } catch (TlsStores.Problem e) {
            throw new IllegalArgumentException(e.describe(), e);
        }
    }

    /**
     * A transport that watches a cluster as an observer: it dials every node of
     * {@link ObserverSettings#nodes()} and proves it holds the cluster secret under its
     * {@link ObserverSettings#name() name}, never listens, and sends nothing but pings. Each node
     * it reaches is reported to the handler's {@link PeerHandler#connected} and
     * {@link PeerHandler#disconnected} and listed by {@link #connected()}; the
     * {@link PeerMessage.ObserverView}s the nodes send reach {@link PeerHandler#received}; and
     * {@link #roundTrip} measures each connection with the pings. {@link #send} and
     * {@link #sendToAll} refuse, as an observer has nothing to say to the cluster.
     */
    public static TcpPeerTransport observer(ObserverSettings settings, PeerEvents events) {
        Objects.requireNonNull(settings, "settings");
        return new TcpPeerTransport(null, settings, "observer-" + settings.name(), settings.clusterName(),
                settings.secretBytes(), settings.tls(), settings.maxFrameBytes(), settings.handshakeTimeout(),
                settings.heartbeatInterval(), settings.nodes(), events);
    }

    /** True for a transport made by {@link #observer}. */
    public boolean isObserver() {
        return observing != null;
    }

    @Override
    public void start(PeerHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the peer transport of " + me + " was started already");
        }
        if (isClosing()) {
            throw new IllegalStateException("the peer transport of " + me + " is closed");
        }
        this.handler = handler;
        if (observing != null) {
            LOG.log(System.Logger.Level.INFO, "observer \"{0}\" of cluster \"{1}\" dialing {2}{3}", observing.name(),
                    clusterName, links.values().stream().map(l -> l.id + "@" + Connection.describe(l.address))
                            .collect(Collectors.joining(", ")), tls.isPresent() ? " with TLS" : "");
            for (PeerLink link : links.values()) {
                spawn("peer-dial-" + me + "-to-" + link.id, () -> dialLoop(link));
            }
            return;
        }
        ServerSocket listening = new ServerSocket();
        try {
            listening.setReuseAddress(true);
            listening.bind(settings.listen(), 128);
        } catch (IOException e) {
            listening.close();
            throw new IOException("cannot listen for peers on " + Connection.describe(settings.listen()) + ": " + e.getMessage(), e);
        }
        server = listening;
        LOG.log(System.Logger.Level.INFO, "peer transport of {0} in cluster \"{1}\" listening on {2}{3}, peers {4}",
                me, clusterName, Connection.describe(listening.getLocalSocketAddress()),
                tls.isPresent() ? " with TLS" : "",
                links.values().stream().map(l -> l.id + "@" + Connection.describe(l.address)).collect(Collectors.joining(", ")));
        spawn("peer-accept-" + me, this::acceptLoop);
        for (PeerLink link : links.values()) {
            spawn("peer-dial-" + me + "-to-" + link.id, () -> dialLoop(link));
        }
    }

    /**
     * The address the transport listens on, with the port the system chose when {@code 0} was asked.
     *
     * @throws IllegalStateException before {@link #start}
     */
    public InetSocketAddress localAddress() {
        ServerSocket listening = server;
        if (listening == null) {
            throw new IllegalStateException("the peer transport is not started");
        }
        return (InetSocketAddress) listening.getLocalSocketAddress();
    }

    /** {@code address:port} as bound, once started. */
    @Override
    public Optional<String> listenAddress() {
        ServerSocket listening = server;
        return listening == null ? Optional.empty() : Optional.of(Connection.describe(listening.getLocalSocketAddress()));
    }

    /** The largest frame body accepted from a peer: {@link Settings#maxFrameBytes()}. */
    @Override
    public int maxMessageBytes() {
        return maxFrameBytes;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the message does not come from this node: the peer would
     *     drop it and close the connection, so it is a bug of the caller
     */
    @Override
    public void send(NodeId peer, PeerMessage message) {
        requireOwn(message);
        PeerLink link = links.get(peer);
        if (link == null) {
            LOG.log(System.Logger.Level.DEBUG, "message for {0} dropped: not a configured peer", peer);
            return;
        }
        offer(link, FrameCodec.encode(new Frames.Message(message)));
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the message does not come from this node
     */
    @Override
    public void sendToAll(PeerMessage message) {
        requireOwn(message);
        byte[] frame = FrameCodec.encode(new Frames.Message(message));
        for (PeerLink link : links.values()) {
            offer(link, frame);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>A new observer gets the latest view sent at once, before the next.
     *
     * @throws IllegalArgumentException if the message is not an {@link PeerMessage.ObserverView}
     *     from this node
     */
    @Override
    public void sendToObservers(PeerMessage message) {
        if (observing != null) {
            return;
        }
        requireOwn(message);
        if (!(message instanceof PeerMessage.ObserverView)) {
            throw new IllegalArgumentException("observers get only views, not " + message);
        }
        byte[] frame = FrameCodec.encode(new Frames.Message(message));
        // Under the lock a new observer is added with the latest view: it gets each view once.
        synchronized (observers) {
            latestView = frame;
            for (Connection observer : observers) {
                if (!observer.offer(frame)) {
                    LOG.log(System.Logger.Level.DEBUG, "view for {0} dropped: its outgoing queue is full",
                            observer.remote());
                }
            }
        }
    }

    /** How many observers are connected to this node now; always 0 for an observer. */
    public int observerCount() {
        return observers.size();
    }

    /** The observers connected to this node now, authenticated; always empty for an observer. */
    @Override
    public List<ConnectedObserver> observers() {
        List<ConnectedObserver> connected = new ArrayList<>();
        for (Connection observer : observers) {
            observer.observerName().ifPresent(name -> connected.add(new ConnectedObserver(name, observer.address())));
        }
        return List.copyOf(connected);
    }

    private void requireOwn(PeerMessage message) {
        if (observing != null) {
            throw new IllegalStateException("observer \"" + observing.name() + "\" sends no messages to the cluster");
        }
        if (!message.from().equals(settings.self())) {
            throw new IllegalArgumentException("node " + settings.self() + " cannot send a message from " + message.from());
        }
    }

    private void offer(PeerLink link, byte[] frame) {
        Connection connection = link.active();
        if (connection == null) {
            return;
        }
        if (!connection.offer(frame)) {
            LOG.log(System.Logger.Level.DEBUG, "message for {0} dropped: its outgoing queue is full", link.id);
        }
    }

    @Override
    public void disconnect(NodeId peer, String reason) {
        PeerLink link = links.get(peer);
        Connection connection = link == null ? null : link.active();
        if (connection == null) {
            return;
        }
        report(PeerRefusal.INVALID_MESSAGE, connection.remote(), reason);
        // The reader sees its socket closed and retires the link; the dialer connects again later.
        connection.close();
    }

    @Override
    public Set<NodeId> connected() {
        return links.values().stream().filter(link -> link.announced() != null).map(link -> link.id)
                .collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public Optional<Duration> roundTrip(NodeId peer) {
        PeerLink link = links.get(peer);
        Connection connection = link == null ? null : link.announced();
        return connection == null ? Optional.empty() : Optional.ofNullable(connection.roundTrip());
    }

    @Override
    public void close() {
        closing.countDown();
        ServerSocket listening = server;
        if (listening != null) {
            try {
                listening.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the peer listening socket failed", e);
            }
        }
        links.values().forEach(PeerLink::wake);
        connections.forEach(Connection::close);
        watchdog.shutdownNow();
        long deadline = System.nanoTime() + CLOSE_JOIN.toNanos();
        // Threads started while closing (an accept in flight) see the closing flag and end at once.
        while (!threads.isEmpty() && System.nanoTime() - deadline < 0) {
            for (Thread thread : List.copyOf(threads)) {
                connections.forEach(Connection::close);
                thread.interrupt();
                try {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (!threads.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "peer transport threads still running after close: {0}", threads);
        }
    }

    private boolean isClosing() {
        return closing.getCount() == 0;
    }

    // ---------------------------------------------------------------- accepting and dialing

    private void acceptLoop() {
        ServerSocket listening = server;
        while (!isClosing()) {
            Socket socket;
            try {
                socket = listening.accept();
            } catch (IOException e) {
                if (isClosing()) {
                    return;
                }
                // Out of file descriptors, say: pause briefly instead of spinning, and go on.
                LOG.log(System.Logger.Level.WARNING, "accepting a peer connection failed: " + e.getMessage());
                pause(Backoff.INITIAL_MILLIS);
                continue;
            }
            String address = Connection.describe(socket.getRemoteSocketAddress());
            if (handshakes.incrementAndGet() > settings.maxHandshakes()) {
                handshakes.decrementAndGet();
                refuseAtOnce(socket, address);
                continue;
            }
            Connection connection = new Connection(socket, false, address);
            if (!register(connection)) {
                handshakes.decrementAndGet();
                continue;
            }
            spawn("peer-in-" + me + "-from-" + address, () -> {
                try {
                    run(connection, null);
                } finally {
                    connection.close();
                    connections.remove(connection);
                }
            });
        }
    }

    private void refuseAtOnce(Socket socket, String address) {
        report(PeerRefusal.TOO_MANY_HANDSHAKES, address,
                settings.maxHandshakes() + " handshakes in progress already, the most this node runs at once");
        try (socket) {
            if (tls.isEmpty()) {
                // A few bytes into a fresh socket's empty send buffer: this never blocks.
                socket.getOutputStream().write(FrameCodec.encode(new Frames.Refuse(PeerRefusal.TOO_MANY_HANDSHAKES,
                        "too many handshakes in progress, try again later")));
            }
        } catch (IOException e) {
            // It is closed either way.
        }
    }

    private void dialLoop(PeerLink link) {
        long delay = 0;
        while (!isClosing()) {
            try {
                if (link.awaitInactive(this::isClosing)) {
                    // The peer was connected until now: try again soon, but not at the same instant as the peer.
                    delay = Backoff.INITIAL_MILLIS;
                }
            } catch (InterruptedException e) {
                return;
            }
            if (isClosing() || (delay > 0 && !pause(Backoff.jittered(delay)))) {
                return;
            }
            if (link.active() != null) {
                continue;
            }
            boolean established;
            try {
                established = dial(link);
            } catch (RuntimeException e) {
                // A bug must not end the dialing for good: the peer would never be reached again.
                LOG.log(System.Logger.Level.ERROR, "dialing " + link.id + " failed unexpectedly", e);
                established = false;
            }
            delay = established ? Backoff.INITIAL_MILLIS : Backoff.next(delay);
        }
    }

    /** Dials the peer once; true if the connection was established (and has ended since). */
    private boolean dial(PeerLink link) {
        InetSocketAddress address = link.address.isUnresolved()
                ? new InetSocketAddress(link.address.getHostString(), link.address.getPort())
                : link.address;
        Connection connection = new Connection(new Socket(), true, Connection.describe(link.address));
        if (!register(connection)) {
            return false;
        }
        try {
            if (address.isUnresolved()) {
                LOG.log(System.Logger.Level.DEBUG, "cannot resolve {0} for {1}", link.address.getHostString(), link.id);
                return false;
            }
            try {
                connection.raw().connect(address, (int) Math.max(1, handshakeTimeout.toMillis()));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot reach {0} at {1}: {2}", link.id, connection.address(), e.getMessage());
                return false;
            }
            return run(connection, link);
        } finally {
            connection.close();
            connections.remove(connection);
        }
    }

    /** Tracks a connection so that close() closes it; false (and closed) if the transport closes already. */
    private boolean register(Connection connection) {
        connections.add(connection);
        if (isClosing()) {
            connection.close();
            connections.remove(connection);
            return false;
        }
        return true;
    }

    // ---------------------------------------------------------------- one connection

    /**
     * Runs one connection: the handshake, then, if it is kept, reading until it ends. Returns true
     * if it was established. {@code dialedLink} is the peer that was dialed, or null for an
     * accepted connection (a member's or an observer's).
     */
    private boolean run(Connection connection, PeerLink dialedLink) {
        ScheduledFuture<?> deadline;
        try {
            deadline = watchdog.schedule(connection::handshakeDeadline, handshakeTimeout.toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            connection.close();
            handshakeEnded(connection);
            return false;
        }
        PeerLink link;
        try {
            link = observing != null ? observerHandshake(connection, dialedLink) : handshake(connection, dialedLink);
        } catch (RefusalException refusal) {
            refuse(connection, refusal);
            return false;
        } catch (IOException e) {
            handshakeFailed(connection, e);
            return false;
        } finally {
            deadline.cancel(false);
            handshakeEnded(connection);
        }
        if (link == null) {
            observed(connection);
        } else {
            established(connection, link);
        }
        return true;
    }

    private void handshakeEnded(Connection connection) {
        if (!connection.dialed()) {
            handshakes.decrementAndGet();
        }
    }

    private void handshakeFailed(Connection connection, IOException e) {
        connection.close();
        if (isClosing()) {
            return;
        }
        if (connection.timedOut()) {
            report(PeerRefusal.HANDSHAKE_TIMEOUT, connection.remote(),
                    "the handshake did not finish within " + handshakeTimeout.toMillis() + " ms");
        } else if (e instanceof SSLException) {
            report(PeerRefusal.TLS_FAILURE, connection.remote(), "TLS handshake failed: " + e.getMessage());
        } else {
            // Closed or reset during the handshake without a word: a port scan, or the other side
            // refused something it did not explain. Not a refusal of ours.
            LOG.log(System.Logger.Level.DEBUG, "peer handshake with {0} ended: {1}", connection.remote(), e.getMessage());
        }
    }

    private void refuse(Connection connection, RefusalException refusal) {
        if (refusal.tellRemote.isPresent() && !connection.closed()) {
            try {
                connection.writeNow(FrameCodec.encode(new Frames.Refuse(refusal.reason, refusal.tellRemote.get())));
            } catch (IOException e) {
                // The connection is closed next anyway.
            }
        }
        connection.close();
        if (!isClosing()) {
            report(refusal.reason, connection.remote(), refusal.getMessage());
        }
    }

    /**
     * The handshake of a node's connection: returns the peer it is with, or null if an observer
     * dialed and was accepted (it is in {@link #observers} then).
     */
    private PeerLink handshake(Connection connection, PeerLink dialedLink) throws IOException, RefusalException {
        startStreams(connection);
        Connection.IdleCheck waitForDeadline = silent -> { };

        byte[] ownNonce = new byte[Handshake.NONCE_BYTES];
        random.nextBytes(ownNonce);
        connection.writeNow(FrameCodec.encode(new Frames.Hello(Handshake.PROTOCOL_VERSION, clusterName,
                settings.self(), ownNonce)));

        Frame first = readHandshakeFrame(connection, waitForDeadline);
        if (first instanceof Frames.ObserverHello observer && dialedLink == null) {
            acceptObserver(connection, observer, ownNonce);
            return null;
        }
        return memberHandshake(connection, dialedLink, expect(Frames.Hello.class, "a hello", first), ownNonce,
                waitForDeadline);
    }

    /** TLS first if configured, then the streams the frames go over. */
    private void startStreams(Connection connection) throws IOException {
        Socket raw = connection.raw();
        raw.setTcpNoDelay(true);
        raw.setSoTimeout((int) Math.max(1, handshakeTimeout.toMillis()));
        if (tls.isPresent()) {
            SSLSocket secured = (SSLSocket) tls.get().getSocketFactory()
                    .createSocket(raw, raw.getInetAddress().getHostAddress(), raw.getPort(), true);
            secured.setUseClientMode(connection.dialed());
            if (!connection.dialed()) {
                secured.setNeedClientAuth(true);
            }
            secured.startHandshake();
            connection.useStreams(secured);
        } else {
            connection.useStreams(raw);
        }
    }

    /**
     * A node's side of an observer's handshake: the observer proves it holds the secret, and is
     * kept if this node has room for one more observer.
     */
    private void acceptObserver(Connection connection, Frames.ObserverHello hello, byte[] ownNonce)
            throws IOException, RefusalException {
        Connection.IdleCheck waitForDeadline = silent -> { };
        connection.claimObserver(hello.observer());
        checkCluster(hello.cluster());
        byte[] ownProof = Handshake.observerProof(secret, clusterName, hello.observer(), hello.nonce(), settings.self(),
                ownNonce, false);
        byte[] expected = Handshake.observerProof(secret, clusterName, hello.observer(), hello.nonce(), settings.self(),
                ownNonce, true);
        connection.writeNow(FrameCodec.encode(new Frames.Proof(ownProof)));
        Frames.Proof proof = expect(Frames.Proof.class, "a proof", readHandshakeFrame(connection, waitForDeadline));
        if (!Handshake.verify(expected, proof.mac())) {
            throw RefusalException.told(PeerRefusal.WRONG_SECRET,
                    "its proof does not verify with this node's cluster secret", "authentication failed");
        }
        if (!connection.finishHandshake()) {
            throw new SocketTimeoutException("handshake timeout");
        }
        // Counted only once authenticated: only a holder of the secret can take a place.
        synchronized (observers) {
            if (observers.size() >= settings.maxObservers()) {
                throw RefusalException.told(PeerRefusal.TOO_MANY_OBSERVERS,
                        settings.maxObservers() + " observers connected already, the most this node accepts",
                        "too many observers connected, try again later");
            }
            observers.add(connection);
            // Queued behind the accept, which is written directly: the view comes first once the writer runs.
            byte[] view = latestView;
            if (view != null) {
                connection.offer(view);
            }
        }
        try {
            connection.writeNow(FrameCodec.encode(new Frames.Accept()));
        } catch (IOException e) {
            observers.remove(connection);
            throw e;
        }
    }

    /** An observer's handshake with the node it dialed: it proves it holds the secret under its name. */
    private PeerLink observerHandshake(Connection connection, PeerLink link) throws IOException, RefusalException {
        startStreams(connection);
        Connection.IdleCheck waitForDeadline = silent -> { };
        byte[] ownNonce = new byte[Handshake.NONCE_BYTES];
        random.nextBytes(ownNonce);
        connection.writeNow(FrameCodec.encode(new Frames.ObserverHello(Handshake.PROTOCOL_VERSION, clusterName,
                observing.name(), ownNonce)));
        Frames.Hello hello = expect(Frames.Hello.class, "a hello", readHandshakeFrame(connection, waitForDeadline));
        connection.claim(hello.node());
        checkCluster(hello.cluster());
        if (!link.id.equals(hello.node())) {
            throw RefusalException.told(PeerRefusal.UNKNOWN_NODE,
                    "dialed " + link.id + " at " + connection.address() + ", but " + hello.node() + " answered",
                    "you answered as " + hello.node() + " where " + link.id + " was expected");
        }
        byte[] ownProof = Handshake.observerProof(secret, clusterName, observing.name(), ownNonce, link.id,
                hello.nonce(), true);
        byte[] expected = Handshake.observerProof(secret, clusterName, observing.name(), ownNonce, link.id,
                hello.nonce(), false);
        connection.writeNow(FrameCodec.encode(new Frames.Proof(ownProof)));
        Frames.Proof proof = expect(Frames.Proof.class, "a proof", readHandshakeFrame(connection, waitForDeadline));
        if (!Handshake.verify(expected, proof.mac())) {
            throw RefusalException.told(PeerRefusal.WRONG_SECRET,
                    "its proof does not verify with this observer's cluster secret", "authentication failed");
        }
        expect(Frames.Accept.class, "an accept", readHandshakeFrame(connection, waitForDeadline));
        if (!connection.finishHandshake()) {
            throw new SocketTimeoutException("handshake timeout");
        }
        if (!link.activate(connection)) {
            throw RefusalException.told(PeerRefusal.ALREADY_CONNECTED,
                    link.id + " is connected already on another connection", "already connected");
        }
        return link;
    }

    private void checkCluster(String cluster) throws RefusalException {
        if (!cluster.equals(clusterName)) {
            throw RefusalException.told(PeerRefusal.CLUSTER_MISMATCH,
                    "it belongs to cluster \"" + cluster + "\", this " + (observing != null ? "observer" : "node")
                            + " to \"" + clusterName + "\"",
                    "this " + (observing != null ? "observer watches" : "node belongs to") + " cluster \"" + clusterName
                            + "\"");
        }
    }

    /** Continuation of {@link #handshake} for a member's hello. */
    private PeerLink memberHandshake(Connection connection, PeerLink dialedLink, Frames.Hello hello, byte[] ownNonce,
            Connection.IdleCheck waitForDeadline) throws IOException, RefusalException {
        connection.claim(hello.node());
        PeerLink link = checkHello(connection, hello, dialedLink);

        NodeId dialer = connection.dialed() ? settings.self() : link.id;
        NodeId accepter = connection.dialed() ? link.id : settings.self();
        byte[] dialerNonce = connection.dialed() ? ownNonce : hello.nonce();
        byte[] accepterNonce = connection.dialed() ? hello.nonce() : ownNonce;
        byte[] ownProof = Handshake.proof(secret, clusterName, dialer, dialerNonce, accepter, accepterNonce,
                connection.dialed());
        byte[] expected = Handshake.proof(secret, clusterName, dialer, dialerNonce, accepter, accepterNonce,
                !connection.dialed());
        connection.writeNow(FrameCodec.encode(new Frames.Proof(ownProof)));

        Frames.Proof proof = expect(Frames.Proof.class, "a proof", readHandshakeFrame(connection, waitForDeadline));
        if (!Handshake.verify(expected, proof.mac())) {
            // The other side learns nothing but that it failed: not which part of its proof was wrong.
            throw RefusalException.told(PeerRefusal.WRONG_SECRET,
                    "its proof does not verify with this node's cluster secret", "authentication failed");
        }

        // One connection per pair: the higher node decides which connection is kept, and the lower follows it.
        boolean decides = settings.self().compareTo(link.id) > 0;
        if (!decides) {
            expect(Frames.Accept.class, "an accept", readHandshakeFrame(connection, waitForDeadline));
        }
        if (!connection.finishHandshake()) {
            throw new SocketTimeoutException("handshake timeout");
        }
        if (!link.activate(connection)) {
            throw RefusalException.told(PeerRefusal.ALREADY_CONNECTED,
                    link.id + " is connected already on another connection", "already connected");
        }
        if (decides) {
            try {
                connection.writeNow(FrameCodec.encode(new Frames.Accept()));
            } catch (IOException e) {
                link.retire(connection, () -> { });
                throw e;
            }
        }
        return link;
    }

    private PeerLink checkHello(Connection connection, Frames.Hello hello, PeerLink dialedLink) throws RefusalException {
        checkCluster(hello.cluster());
        if (hello.node().equals(settings.self())) {
            throw RefusalException.told(PeerRefusal.UNKNOWN_NODE, "it claims this node's own id",
                    hello.node() + " is the id of the node you reached");
        }
        if (dialedLink != null && !dialedLink.id.equals(hello.node())) {
            throw RefusalException.told(PeerRefusal.UNKNOWN_NODE,
                    "dialed " + dialedLink.id + " at " + connection.address() + ", but " + hello.node() + " answered",
                    "you answered as " + hello.node() + " where " + dialedLink.id + " was expected");
        }
        PeerLink link = links.get(hello.node());
        if (link == null) {
            throw RefusalException.told(PeerRefusal.UNKNOWN_NODE, hello.node() + " is not a configured peer",
                    hello.node() + " is not a member in this node's configuration");
        }
        return link;
    }

    private Frame readHandshakeFrame(Connection connection, Connection.IdleCheck idle) throws IOException, RefusalException {
        byte[] body = connection.readFrame(Math.min(Handshake.MAX_HANDSHAKE_FRAME_BYTES, maxFrameBytes), idle);
        try {
            return FrameCodec.decode(body);
        } catch (MalformedFrameException e) {
            throw RefusalException.told(PeerRefusal.MALFORMED_FRAME, "malformed frame in the handshake: " + e.getMessage(),
                    "malformed frame");
        }
    }

    /** {@code frame} as the frame the handshake expects next; a refusal or anything else ends it. */
    private static <F extends Frame> F expect(Class<F> kind, String description, Frame frame) throws RefusalException {
        if (kind.isInstance(frame)) {
            return kind.cast(frame);
        }
        if (frame instanceof Frames.Refuse refuse) {
            throw RefusalException.silent(refuse.reason(), "refused by the other side: " + refuse.detail());
        }
        if (frame instanceof Frames.ForeignHello foreign) {
            throw RefusalException.told(PeerRefusal.VERSION_MISMATCH,
                    "it speaks peer protocol version " + foreign.version() + ", this node " + Handshake.PROTOCOL_VERSION,
                    "this node speaks peer protocol version " + Handshake.PROTOCOL_VERSION);
        }
        throw RefusalException.told(PeerRefusal.MALFORMED_FRAME, "expected " + description + ", got " + kindOf(frame),
                "expected " + description);
    }

    private static String kindOf(Frame frame) {
        return frame.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    // ---------------------------------------------------------------- an established connection

    private void established(Connection connection, PeerLink link) {
        NodeId peer = link.id;
        String reason = "the transport closed";
        try {
            spawn("peer-out-" + me + "-to-" + peer,
                    () -> connection.writeLoop(heartbeatInterval.toNanos()));
            link.announce(connection, () -> {
                if (!isClosing()) {
                    safely(() -> events.peerConnected(peer));
                    deliver(h -> h.connected(peer));
                }
            });
            reason = readUntilClosed(connection, peer);
        } catch (RefusalException refusal) {
            reason = refusal.reason + ": " + refusal.getMessage();
            if (!isClosing()) {
                report(refusal.reason, connection.remote(), refusal.getMessage());
            }
        } catch (IOException e) {
            reason = connection.closed() && isClosing() ? "the transport closed" : describe(e);
        } finally {
            connection.close();
            String why = reason;
            link.retire(connection, () -> {
                if (!isClosing()) {
                    safely(() -> events.peerDisconnected(peer, why));
                    deliver(h -> h.disconnected(peer));
                }
            });
        }
    }

    /**
     * A node's side of an observer's connection, once accepted: the views go out through its queue,
     * and anything it sends but a ping or pong ends it.
     */
    private void observed(Connection connection) {
        String reason = "the transport closed";
        try {
            spawn("peer-out-" + me + "-to-observer-" + connection.address(),
                    () -> connection.writeLoop(heartbeatInterval.toNanos()));
            LOG.log(System.Logger.Level.INFO, "observer {0} connected to {1}", connection.remote(), me);
            reason = readUntilClosed(connection, null);
        } catch (RefusalException refusal) {
            reason = refusal.reason + ": " + refusal.getMessage();
            if (refusal.tellRemote.isPresent()) {
                connection.sendLastAndClose(FrameCodec.encode(new Frames.Refuse(refusal.reason, refusal.tellRemote.get())),
                        handshakeTimeout.toNanos());
            }
            if (!isClosing()) {
                report(refusal.reason, connection.remote(), refusal.getMessage());
            }
        } catch (IOException e) {
            reason = connection.closed() && isClosing() ? "the transport closed" : describe(e);
        } finally {
            observers.remove(connection);
            connection.close();
            if (!isClosing()) {
                LOG.log(System.Logger.Level.INFO, "observer {0} disconnected from {1}: {2}", connection.remote(), me,
                        reason);
            }
        }
    }

    private static String describe(IOException e) {
        if (e instanceof EOFException) {
            return "closed by the peer";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /**
     * Reads frames until the connection ends; returns why it ended when the peer closed it.
     * {@code peer} is null on a node's connection with an observer.
     */
    private String readUntilClosed(Connection connection, NodeId peer) throws IOException, RefusalException {
        long heartbeat = heartbeatInterval.toNanos();
        long silenceLimit = heartbeat * SILENT_HEARTBEATS;
        connection.raw().setSoTimeout((int) Math.max(1, heartbeatInterval.toMillis()));
        connection.heardNow();
        Connection.IdleCheck silence = silentNanos -> {
            if (silentNanos > silenceLimit) {
                throw new SocketTimeoutException("silent for " + TimeUnit.NANOSECONDS.toMillis(silentNanos)
                        + " ms (" + SILENT_HEARTBEATS + " heartbeat intervals)");
            }
        };
        while (!isClosing()) {
            byte[] body = connection.readFrame(maxFrameBytes, silence);
            Frame frame;
            try {
                frame = FrameCodec.decode(body);
            } catch (MalformedFrameException e) {
                throw RefusalException.silent(PeerRefusal.MALFORMED_FRAME, e.getMessage());
            }
            if (peer == null && !(frame instanceof Frames.Ping || frame instanceof Frames.Pong
                    || frame instanceof Frames.Refuse)) {
                throw RefusalException.told(PeerRefusal.OBSERVER_SPOKE,
                        "an observer sent a " + (frame instanceof Frames.Message message
                                ? message.message().getClass().getSimpleName() : kindOf(frame)) + " frame",
                        "an observer sends nothing but pings");
            }
            if (frame instanceof Frames.Message message) {
                if ((observing != null) != (message.message() instanceof PeerMessage.ObserverView)) {
                    throw RefusalException.silent(PeerRefusal.MALFORMED_FRAME, "a "
                            + message.message().getClass().getSimpleName() + " from " + peer + (observing != null
                                    ? ", where an observer expects only views" : ", where only observers get views"));
                }
                if (!message.message().from().equals(peer)) {
                    throw RefusalException.silent(PeerRefusal.MALFORMED_FRAME,
                            "a message from " + message.message().from() + " on the connection of " + peer);
                }
                deliver(h -> h.received(message.message()));
            } else if (frame instanceof Frames.Ping ping) {
                connection.offer(FrameCodec.encode(new Frames.Pong(ping.stamp())));
            } else if (frame instanceof Frames.Pong pong) {
                long rtt = System.nanoTime() - pong.stamp();
                // A stamp this node did not send (a peer's bug) gives no measurement.
                if (rtt >= 0 && rtt < TimeUnit.MINUTES.toNanos(1)) {
                    connection.roundTrip(Duration.ofNanos(rtt));
                }
            } else if (frame instanceof Frames.Refuse refuse) {
                throw RefusalException.silent(refuse.reason(), "closed by the other side: " + refuse.detail());
            } else {
                throw RefusalException.silent(PeerRefusal.MALFORMED_FRAME, "a " + kindOf(frame) + " frame after the handshake");
            }
        }
        return "the transport closed";
    }

    // ---------------------------------------------------------------- plumbing

    /** Calls the handler unless the transport closes; a handler that throws is logged, not fatal. */
    private void deliver(java.util.function.Consumer<PeerHandler> call) {
        if (isClosing()) {
            return;
        }
        try {
            call.accept(handler);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the peer handler threw; the transport goes on", e);
        }
    }

    private void report(PeerRefusal reason, String remote, String detail) {
        safely(() -> events.peerRefused(reason, remote, detail));
    }

    private static void safely(Runnable telemetry) {
        try {
            telemetry.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "telemetry threw on a peer event", e);
        }
    }

    /** Waits {@code millis} unless the transport closes first; false if it closes. */
    private boolean pause(long millis) {
        try {
            return !closing.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void spawn(String name, Runnable body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "peer transport thread " + Thread.currentThread().getName() + " failed", e);
            } finally {
                threads.remove(Thread.currentThread());
            }
        }, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    /**
     * What a {@link TcpPeerTransport} needs to know. Build it with {@link #of} and the withers.
     *
     * @param self this node's id
     * @param clusterName the cluster's name: a peer of another name is refused (at most 255 bytes in UTF-8)
     * @param listen where to listen for peers; port 0 lets the system choose
     * @param peers every other member of the cluster and where to dial it; not this node
     * @param secret the cluster secret that keys the handshake proofs, at least {@value #MIN_SECRET_BYTES} bytes
     * @param tls the TLS context both accepted and dialed connections run in, if any; the peer's
     *     certificate is required and checked against the context's trust managers
     * @param maxFrameBytes the largest frame body accepted from an authenticated peer
     * @param handshakeTimeout how long a connection may take from its first byte (TLS included) to
     *     being authenticated
     * @param heartbeatInterval how often each side pings on a connection; a connection silent for 5
     *     intervals is closed
     * @param maxHandshakes how many accepted connections may be in their handshake at once; more are closed at once
     * @param maxObservers how many observers may be connected at once; more are refused once authenticated
     */
    public record Settings(NodeId self, String clusterName, InetSocketAddress listen, Map<NodeId, InetSocketAddress> peers,
            byte[] secret, Optional<SSLContext> tls, int maxFrameBytes, Duration handshakeTimeout,
            Duration heartbeatInterval, int maxHandshakes, int maxObservers) {

        /** The shortest secret accepted: 128 bits. */
        public static final int MIN_SECRET_BYTES = 16;

        /** The default {@link #maxFrameBytes}: 1 MiB. */
        public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;

        /** The default {@link #handshakeTimeout}. */
        public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(2);

        /** The default {@link #heartbeatInterval}. */
        public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMillis(200);

        /** The default {@link #maxHandshakes}. */
        public static final int DEFAULT_MAX_HANDSHAKES = 64;

        /** The default {@link #maxObservers}. */
        public static final int DEFAULT_MAX_OBSERVERS = 64;

        public Settings {
            Objects.requireNonNull(self, "self");
            Objects.requireNonNull(clusterName, "clusterName");
            Objects.requireNonNull(listen, "listen");
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
            Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
            int nameBytes = clusterName.getBytes(StandardCharsets.UTF_8).length;
            if (clusterName.isBlank() || nameBytes > 255) {
                throw new IllegalArgumentException("a cluster name has 1 to 255 bytes and is not blank, not \"" + clusterName + "\"");
            }
            peers = Map.copyOf(peers);
            if (peers.containsKey(self)) {
                throw new IllegalArgumentException("the peers of " + self + " include itself");
            }
            if (secret.length < MIN_SECRET_BYTES) {
                throw new IllegalArgumentException("a cluster secret has at least " + MIN_SECRET_BYTES + " bytes, not "
                        + secret.length);
            }
            secret = secret.clone();
            if (maxFrameBytes < Handshake.MAX_HANDSHAKE_FRAME_BYTES) {
                throw new IllegalArgumentException("the maximum frame is at least " + Handshake.MAX_HANDSHAKE_FRAME_BYTES
                        + " bytes, not " + maxFrameBytes);
            }
            requirePositive("handshakeTimeout", handshakeTimeout);
            requirePositive("heartbeatInterval", heartbeatInterval);
            if (heartbeatInterval.toMillis() < 1) {
                throw new IllegalArgumentException("the heartbeat interval is at least 1 ms, not " + heartbeatInterval);
            }
            if (maxHandshakes < 1) {
                throw new IllegalArgumentException("at least one handshake must be allowed, not " + maxHandshakes);
            }
            if (maxObservers < 0) {
                throw new IllegalArgumentException("the most observers is never negative, not " + maxObservers);
            }
        }

        /** Settings of every field but {@link #maxObservers}, which is {@value #DEFAULT_MAX_OBSERVERS}. */
        public Settings(NodeId self, String clusterName, InetSocketAddress listen, Map<NodeId, InetSocketAddress> peers,
                byte[] secret, Optional<SSLContext> tls, int maxFrameBytes, Duration handshakeTimeout,
                Duration heartbeatInterval, int maxHandshakes) {
            this(self, clusterName, listen, peers, secret, tls, maxFrameBytes, handshakeTimeout, heartbeatInterval,
                    maxHandshakes, DEFAULT_MAX_OBSERVERS);
        }

        private static void requirePositive(String name, Duration duration) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, not " + duration);
            }
        }

        /**
         * Settings with the defaults: no TLS, 1 MiB frames, a 2 s handshake, 200 ms heartbeats, 64
         * handshakes, 64 observers.
         */
        public static Settings of(NodeId self, String clusterName, InetSocketAddress listen,
                Map<NodeId, InetSocketAddress> peers, byte[] secret) {
            return new Settings(self, clusterName, listen, peers, secret, Optional.empty(), DEFAULT_MAX_FRAME_BYTES,
                    DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_MAX_HANDSHAKES);
        }

        /** These settings with every connection in TLS from {@code context}. */
        public Settings withTls(SSLContext context) {
            return new Settings(self, clusterName, listen, peers, secret, Optional.of(context), maxFrameBytes,
                    handshakeTimeout, heartbeatInterval, maxHandshakes, maxObservers);
        }

        /** These settings with another maximum frame size. */
        public Settings withMaxFrameBytes(int bytes) {
            return new Settings(self, clusterName, listen, peers, secret, tls, bytes, handshakeTimeout, heartbeatInterval,
                    maxHandshakes, maxObservers);
        }

        /** These settings with another handshake timeout. */
        public Settings withHandshakeTimeout(Duration timeout) {
            return new Settings(self, clusterName, listen, peers, secret, tls, maxFrameBytes, timeout, heartbeatInterval,
                    maxHandshakes, maxObservers);
        }

        /** These settings with another heartbeat interval. */
        public Settings withHeartbeatInterval(Duration interval) {
            return new Settings(self, clusterName, listen, peers, secret, tls, maxFrameBytes, handshakeTimeout, interval,
                    maxHandshakes, maxObservers);
        }

        /** These settings with another bound on accepted handshakes in progress. */
        public Settings withMaxHandshakes(int handshakes) {
            return new Settings(self, clusterName, listen, peers, secret, tls, maxFrameBytes, handshakeTimeout,
                    heartbeatInterval, handshakes, maxObservers);
        }

        /** These settings with another bound on connected observers; 0 accepts none. */
        public Settings withMaxObservers(int observers) {
            return new Settings(self, clusterName, listen, peers, secret, tls, maxFrameBytes, handshakeTimeout,
                    heartbeatInterval, maxHandshakes, observers);
        }

        /** A copy of the secret. */
        @Override
        public byte[] secret() {
            return secret.clone();
        }

        /** The secret itself, for the handshake; never handed out of the package. */
        byte[] secretBytes() {
            return secret;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Settings that && self.equals(that.self) && clusterName.equals(that.clusterName)
                    && listen.equals(that.listen) && peers.equals(that.peers) && Arrays.equals(secret, that.secret)
                    && tls.equals(that.tls) && maxFrameBytes == that.maxFrameBytes
                    && handshakeTimeout.equals(that.handshakeTimeout) && heartbeatInterval.equals(that.heartbeatInterval)
                    && maxHandshakes == that.maxHandshakes && maxObservers == that.maxObservers;
        }

        @Override
        public int hashCode() {
            return Objects.hash(self, clusterName, listen, peers, Arrays.hashCode(secret), tls, maxFrameBytes,
                    handshakeTimeout, heartbeatInterval, maxHandshakes, maxObservers);
        }

        /** Everything but the secret, which never reaches a log. */
        @Override
        public String toString() {
            return "Settings[self=" + self + ", clusterName=" + clusterName + ", listen=" + listen + ", peers=" + peers
                    + ", secret=(" + secret.length + " bytes), tls=" + tls.isPresent() + ", maxFrameBytes=" + maxFrameBytes
                    + ", handshakeTimeout=" + handshakeTimeout + ", heartbeatInterval=" + heartbeatInterval
                    + ", maxHandshakes=" + maxHandshakes + ", maxObservers=" + maxObservers + "]";
        }
    }

    /**
     * What an observer's {@link TcpPeerTransport} needs to know (see {@link #observer}). Build it
     * with {@link #of} and the withers.
     *
     * @param name the observer's name, which the nodes log: 1 to 128 bytes in UTF-8, no control
     *     character; two observers may share one
     * @param clusterName the name of the cluster it watches
     * @param nodes every node to watch and where to dial it (each node's peer address)
     * @param secret the cluster secret, at least {@value Settings#MIN_SECRET_BYTES} bytes
     * @param tls the TLS context of every connection, if the cluster's nodes use TLS
     * @param maxFrameBytes the largest frame body accepted from a node
     * @param handshakeTimeout how long a connection may take from its first byte to being accepted
     * @param heartbeatInterval how often it pings each node; a connection silent for 5 intervals is closed
     */
    public record ObserverSettings(String name, String clusterName, Map<NodeId, InetSocketAddress> nodes, byte[] secret,
            Optional<SSLContext> tls, int maxFrameBytes, Duration handshakeTimeout, Duration heartbeatInterval) {

        public ObserverSettings {
            Handshake.requireObserverName(name);
            // A node's settings check the other fields by the same rules; their id and address are unused.
            Settings checked = new Settings(new NodeId(1), clusterName, new InetSocketAddress(0), Map.of(), secret,
                    tls, maxFrameBytes, handshakeTimeout, heartbeatInterval, 1, 0);
            nodes = Map.copyOf(nodes);
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("an observer watches at least one node");
            }
            secret = checked.secretBytes();
        }

        /** Settings with the defaults of {@link Settings#of}: no TLS, 1 MiB frames, a 2 s handshake, 200 ms pings. */
        public static ObserverSettings of(String name, String clusterName, Map<NodeId, InetSocketAddress> nodes,
                byte[] secret) {
            return new ObserverSettings(name, clusterName, nodes, secret, Optional.empty(),
                    Settings.DEFAULT_MAX_FRAME_BYTES, Settings.DEFAULT_HANDSHAKE_TIMEOUT,
                    Settings.DEFAULT_HEARTBEAT_INTERVAL);
        }

        /** These settings with every connection in TLS from {@code context}. */
        public ObserverSettings withTls(SSLContext context) {
            return new ObserverSettings(name, clusterName, nodes, secret, Optional.of(context), maxFrameBytes,
                    handshakeTimeout, heartbeatInterval);
        }

        /** These settings with another handshake timeout. */
        public ObserverSettings withHandshakeTimeout(Duration timeout) {
            return new ObserverSettings(name, clusterName, nodes, secret, tls, maxFrameBytes, timeout, heartbeatInterval);
        }

        /** These settings with another ping interval. */
        public ObserverSettings withHeartbeatInterval(Duration interval) {
            return new ObserverSettings(name, clusterName, nodes, secret, tls, maxFrameBytes, handshakeTimeout, interval);
        }

        /** A copy of the secret. */
        @Override
        public byte[] secret() {
            return secret.clone();
        }

        /** The secret itself, for the handshake; never handed out of the package. */
        byte[] secretBytes() {
            return secret;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ObserverSettings that && name.equals(that.name) && clusterName.equals(that.clusterName)
                    && nodes.equals(that.nodes) && Arrays.equals(secret, that.secret) && tls.equals(that.tls)
                    && maxFrameBytes == that.maxFrameBytes && handshakeTimeout.equals(that.handshakeTimeout)
                    && heartbeatInterval.equals(that.heartbeatInterval);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, clusterName, nodes, Arrays.hashCode(secret), tls, maxFrameBytes, handshakeTimeout,
                    heartbeatInterval);
        }

        /** Everything but the secret, which never reaches a log. */
        @Override
        public String toString() {
            return "ObserverSettings[name=" + name + ", clusterName=" + clusterName + ", nodes=" + nodes + ", secret=("
                    + secret.length + " bytes), tls=" + tls.isPresent() + ", maxFrameBytes=" + maxFrameBytes
                    + ", handshakeTimeout=" + handshakeTimeout + ", heartbeatInterval=" + heartbeatInterval + "]";
        }
    }
}
