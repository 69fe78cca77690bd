package dev.dhcpcluster.adapter.tcppeer;

import dev.dhcpcluster.port.model.NodeId;
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
import java.security.SecureRandom;
import java.time.Duration;
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

    private final Settings settings;
    private final PeerEvents events;
    private final Map<NodeId, PeerLink> links;
    private final SecureRandom random = new SecureRandom();
    private final AtomicBoolean started = new AtomicBoolean();
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicInteger handshakes = new AtomicInteger();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor watchdog;
    private volatile PeerHandler handler;
    private volatile ServerSocket server;

    /** A transport for {@code settings}, reporting to {@code events}; nothing happens before {@link #start}. */
    public TcpPeerTransport(Settings settings, PeerEvents events) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.events = Objects.requireNonNull(events, "events");
        Map<NodeId, PeerLink> byId = new TreeMap<>();
        settings.peers().forEach((id, address) -> byId.put(id, new PeerLink(id, address)));
        this.links = Map.copyOf(byId);
        this.watchdog = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "peer-handshake-watchdog-" + settings.self());
            thread.setDaemon(true);
            return thread;
        });
        watchdog.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void start(PeerHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("the peer transport of " + settings.self() + " was started already");
        }
        if (isClosing()) {
            throw new IllegalStateException("the peer transport of " + settings.self() + " is closed");
        }
        this.handler = handler;
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
                settings.self(), settings.clusterName(), Connection.describe(listening.getLocalSocketAddress()),
                settings.tls().isPresent() ? " with TLS" : "",
                links.values().stream().map(l -> l.id + "@" + Connection.describe(l.address)).collect(Collectors.joining(", ")));
        spawn("peer-accept-" + settings.self(), this::acceptLoop);
        for (PeerLink link : links.values()) {
            spawn("peer-dial-" + settings.self() + "-to-" + link.id, () -> dialLoop(link));
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
        return settings.maxFrameBytes();
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

    private void requireOwn(PeerMessage message) {
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
            spawn("peer-in-" + settings.self() + "-from-" + address, () -> {
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
            if (settings.tls().isEmpty()) {
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
                connection.raw().connect(address, (int) Math.max(1, settings.handshakeTimeout().toMillis()));
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
     * accepted connection.
     */
    private boolean run(Connection connection, PeerLink dialedLink) {
        ScheduledFuture<?> deadline;
        try {
            deadline = watchdog.schedule(connection::handshakeDeadline, settings.handshakeTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            connection.close();
            handshakeEnded(connection);
            return false;
        }
        PeerLink link;
        try {
            link = handshake(connection, dialedLink);
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
        established(connection, link);
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
                    "the handshake did not finish within " + settings.handshakeTimeout().toMillis() + " ms");
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

    private PeerLink handshake(Connection connection, PeerLink dialedLink) throws IOException, RefusalException {
        Socket raw = connection.raw();
        raw.setTcpNoDelay(true);
        raw.setSoTimeout((int) Math.max(1, settings.handshakeTimeout().toMillis()));
        if (settings.tls().isPresent()) {
            SSLSocket tls = (SSLSocket) settings.tls().get().getSocketFactory()
                    .createSocket(raw, raw.getInetAddress().getHostAddress(), raw.getPort(), true);
            tls.setUseClientMode(connection.dialed());
            if (!connection.dialed()) {
                tls.setNeedClientAuth(true);
            }
            tls.startHandshake();
            connection.useStreams(tls);
        } else {
            connection.useStreams(raw);
        }
        Connection.IdleCheck waitForDeadline = silent -> { };

        byte[] ownNonce = new byte[Handshake.NONCE_BYTES];
        random.nextBytes(ownNonce);
        connection.writeNow(FrameCodec.encode(new Frames.Hello(Handshake.PROTOCOL_VERSION, settings.clusterName(),
                settings.self(), ownNonce)));

        Frames.Hello hello = expect(Frames.Hello.class, "a hello", readHandshakeFrame(connection, waitForDeadline));
        connection.claim(hello.node());
        PeerLink link = checkHello(connection, hello, dialedLink);

        NodeId dialer = connection.dialed() ? settings.self() : link.id;
        NodeId accepter = connection.dialed() ? link.id : settings.self();
        byte[] dialerNonce = connection.dialed() ? ownNonce : hello.nonce();
        byte[] accepterNonce = connection.dialed() ? hello.nonce() : ownNonce;
        byte[] secret = settings.secretBytes();
        byte[] ownProof = Handshake.proof(secret, settings.clusterName(), dialer, dialerNonce, accepter, accepterNonce,
                connection.dialed());
        byte[] expected = Handshake.proof(secret, settings.clusterName(), dialer, dialerNonce, accepter, accepterNonce,
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
        if (!hello.cluster().equals(settings.clusterName())) {
            throw RefusalException.told(PeerRefusal.CLUSTER_MISMATCH,
                    "it belongs to cluster \"" + hello.cluster() + "\", this node to \"" + settings.clusterName() + "\"",
                    "this node belongs to cluster \"" + settings.clusterName() + "\"");
        }
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
        byte[] body = connection.readFrame(Math.min(Handshake.MAX_HANDSHAKE_FRAME_BYTES, settings.maxFrameBytes()), idle);
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
            spawn("peer-out-" + settings.self() + "-to-" + peer,
                    () -> connection.writeLoop(settings.heartbeatInterval().toNanos()));
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

    private static String describe(IOException e) {
        if (e instanceof EOFException) {
            return "closed by the peer";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Reads frames until the connection ends; returns why it ended when the peer closed it. */
    private String readUntilClosed(Connection connection, NodeId peer) throws IOException, RefusalException {
        long heartbeat = settings.heartbeatInterval().toNanos();
        long silenceLimit = heartbeat * SILENT_HEARTBEATS;
        connection.raw().setSoTimeout((int) Math.max(1, settings.heartbeatInterval().toMillis()));
        connection.heardNow();
        Connection.IdleCheck silence = silentNanos -> {
            if (silentNanos > silenceLimit) {
                throw new SocketTimeoutException("silent for " + TimeUnit.NANOSECONDS.toMillis(silentNanos)
                        + " ms (" + SILENT_HEARTBEATS + " heartbeat intervals)");
            }
        };
        while (!isClosing()) {
            byte[] body = connection.readFrame(settings.maxFrameBytes(), silence);
            Frame frame;
            try {
                frame = FrameCodec.decode(body);
            } catch (MalformedFrameException e) {
                throw RefusalException.silent(PeerRefusal.MALFORMED_FRAME, e.getMessage());
            }
            if (frame instanceof Frames.Message message) {
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
     */
    public record Settings(NodeId self, String clusterName, InetSocketAddress listen, Map<NodeId, InetSocketAddress> peers,
            byte[] secret, Optional<SSLContext> tls, int maxFrameBytes, Duration handshakeTimeout,
            Duration heartbeatInterval, int maxHandshakes) {

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
        }

        private static void requirePositive(String name, Duration duration) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, not " + duration);
            }
        }

        /** Settings with the defaults: no TLS, 1 MiB frames, a 2 s handshake, 200 ms heartbeats, 64 handshakes. */
        public static Settings of(NodeId self, String clusterName, InetSocketAddress listen,
                Map<NodeId, InetSocketAddress> peers, byte[] secret) {
            return new Settings(self, clusterName, listen, peers, secret, Optional.empty(), DEFAULT_MAX_FRAME_BYTES,
                    DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL, DEFAULT_MAX_HANDSHAKES);
        }

        /** These settings with every connection in TLS from {@code context}. */
        public Settings withTls(SSLContext context) {
            return new Settings(self, clusterName, listen, peers, secret, Optional.of(context), maxFrameBytes,
                    handshakeTimeout, heartbeatInterval, maxHandshakes);
        }

        /** These settings with another maximum frame size. */
        public Settings withMaxFrameBytes(int bytes) {
            return new Settings(self, clusterName, listen, peers, secret, tls, bytes, handshakeTimeout, heartbeatInterval,
                    maxHandshakes);
        }

        /** These settings with another handshake timeout. */
        public Settings withHandshakeTimeout(Duration timeout) {
            return new Settings(self, clusterName, listen, peers, secret, tls, maxFrameBytes, timeout, heartbeatInterval,
                    maxHandshakes);
        }

        /** These settings with another heartbeat interval. */
        public Settings withHeartbeatInterval(Duration interval) {
            return new Settings(self, clusterName, listen, peers, secret, tls, maxFrameBytes, handshakeTimeout, interval,
                    maxHandshakes);
        }

        /** These settings with another bound on accepted handshakes in progress. */
        public Settings withMaxHandshakes(int handshakes) {
            return new Settings(self, clusterName, listen, peers, secret, tls, maxFrameBytes, handshakeTimeout,
                    heartbeatInterval, handshakes);
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
                    && maxHandshakes == that.maxHandshakes;
        }

        @Override
        public int hashCode() {
            return Objects.hash(self, clusterName, listen, peers, Arrays.hashCode(secret), tls, maxFrameBytes,
                    handshakeTimeout, heartbeatInterval, maxHandshakes);
        }

        /** Everything but the secret, which never reaches a log. */
        @Override
        public String toString() {
            return "Settings[self=" + self + ", clusterName=" + clusterName + ", listen=" + listen + ", peers=" + peers
                    + ", secret=(" + secret.length + " bytes), tls=" + tls.isPresent() + ", maxFrameBytes=" + maxFrameBytes
                    + ", handshakeTimeout=" + handshakeTimeout + ", heartbeatInterval=" + heartbeatInterval
                    + ", maxHandshakes=" + maxHandshakes + "]";
        }
    }
}
