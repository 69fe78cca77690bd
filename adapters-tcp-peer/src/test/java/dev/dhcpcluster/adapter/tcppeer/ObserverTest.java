package dev.dhcpcluster.adapter.tcppeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AbstractPeerTransportTest.RecordingPeerHandler;
import dev.dhcpcluster.port.peer.ConnectedObserver;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerRefusal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Observers on real loopback connections: they prove the secret, watch the views the nodes send,
 * measure the round trip, and are never members.
 */
class ObserverTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    private static final Duration HANDSHAKE = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final List<TcpPeerTransport> transports = new ArrayList<>();
    private LoopbackCluster cluster;
    private RecordingPeerHandler atOne;
    private TcpPeerTransport one;

    @BeforeEach
    void startNodeOne() throws Exception {
        cluster = LoopbackCluster.of(Set.of(ONE, TWO), settings -> settings.withHandshakeTimeout(HANDSHAKE)
                .withMaxObservers(2));
        atOne = new RecordingPeerHandler();
        one = start(cluster.transport(ONE), atOne);
    }

    @AfterEach
    void closeTransports() {
        transports.forEach(TcpPeerTransport::close);
    }

    @Test
    @DisplayName("an observer with the secret is accepted: it hears the node connected and gets its views, "
            + "the node never lists it among its peers")
    void observerWithTheSecretWatches() throws Exception {
        RecordingPeerHandler watching = new RecordingPeerHandler();
        TcpPeerTransport observer = start(observer("edge-1", LoopbackCluster.SECRET, RecordingPeerEvents::new), watching);

        watching.awaitConnected(ONE);
        awaitTrue(() -> one.observerCount() == 1, "the node counts the observer");
        assertEquals(Set.of(ONE), observer.connected());
        assertEquals(Set.of(), one.connected(), "an observer is no peer");
        List<ConnectedObserver> listed = one.observers();
        assertEquals(1, listed.size(), listed.toString());
        assertEquals("edge-1", listed.get(0).name());
        assertTrue(listed.get(0).remote().startsWith("127.0.0.1:"), listed.toString());
        assertEquals(List.of(), observer.observers(), "an observer is watched by no one");

        PeerMessage.ObserverView view = view(ONE, 3);
        one.sendToObservers(view);
        assertEquals(List.of(view), watching.awaitMessages(1));
        assertEquals(List.of(), atOne.calls(), "the node's handler never hears of the observer");
    }

    @Test
    @DisplayName("the node's member traffic never reaches an observer; only views do")
    void observerGetsOnlyViews() throws Exception {
        RecordingPeerHandler atTwo = new RecordingPeerHandler();
        start(cluster.transport(TWO), atTwo);
        RecordingPeerHandler watching = new RecordingPeerHandler();
        start(observer("edge-1", LoopbackCluster.SECRET, RecordingPeerEvents::new), watching);
        watching.awaitConnected(ONE);
        atOne.awaitConnected(TWO);
        awaitTrue(() -> one.observerCount() == 1, "the node counts the observer");

        one.sendToAll(new PeerMessage.Election(ONE, 1));
        one.send(TWO, new PeerMessage.Coordinator(ONE, 2));
        PeerMessage.ObserverView view = view(ONE, 1);
        one.sendToObservers(view);

        atTwo.awaitMessages(2);
        // One connection delivers in order: had the election traffic leaked to the observer, it
        // would stand before the view, or between it and the marker sent after everything else.
        PeerMessage.ObserverView marker = view(ONE, 2);
        one.sendToObservers(marker);
        assertEquals(List.of(view, marker), watching.awaitMessages(2), "nothing but the views");
        assertEquals(Set.of(TWO), one.connected());
    }

    @Test
    @DisplayName("a new observer gets the latest view at once, before the next heartbeat")
    void latestViewAtOnce() throws Exception {
        one.sendToObservers(view(ONE, 1));
        PeerMessage.ObserverView latest = view(ONE, 2);
        one.sendToObservers(latest);

        RecordingPeerHandler watching = new RecordingPeerHandler();
        start(observer("edge-1", LoopbackCluster.SECRET, RecordingPeerEvents::new), watching);

        assertEquals(List.of(latest), watching.awaitMessages(1));
    }

    @Test
    @DisplayName("an observer measures the round trip to each node with its pings")
    void roundTripIsMeasured() throws Exception {
        TcpPeerTransport observer = start(observer("edge-1", LoopbackCluster.SECRET, RecordingPeerEvents::new),
                new RecordingPeerHandler());

        awaitTrue(() -> observer.roundTrip(ONE).isPresent(), "a round trip measured");
        Duration rtt = observer.roundTrip(ONE).get();
        assertTrue(!rtt.isNegative() && rtt.compareTo(Duration.ofSeconds(1)) < 0, rtt.toString());
    }

    @Test
    @DisplayName("an observer with another secret is refused as WRONG_SECRET on both sides and never connects")
    void wrongSecretIsRefused() throws Exception {
        RecordingPeerEvents observerEvents = new RecordingPeerEvents();
        RecordingPeerHandler watching = new RecordingPeerHandler();
        TcpPeerTransport observer = start(observer("edge-1",
                "another secret, also 32 bytes...".getBytes(StandardCharsets.US_ASCII), () -> observerEvents), watching);

        RecordingPeerEvents.Refusal atNode = cluster.events(ONE).awaitRefusal(PeerRefusal.WRONG_SECRET);
        observerEvents.awaitRefusal(PeerRefusal.WRONG_SECRET);

        assertTrue(atNode.remote().endsWith("(observer \"edge-1\")"), atNode.remote());
        assertEquals(0, one.observerCount());
        assertEquals(Set.of(), observer.connected());
        assertEquals(List.of(), watching.calls());
    }

    @Test
    @DisplayName("an observer that sends an election message is closed as OBSERVER_SPOKE, and the node's handler "
            + "never sees the message")
    void observerThatSpeaksIsClosed() throws Exception {
        try (RawPeer raw = RawPeer.connect(cluster.address(ONE))) {
            byte[] nonce = RawPeer.nonce();
            raw.write(new Frames.ObserverHello(Handshake.PROTOCOL_VERSION, LoopbackCluster.NAME, "rogue", nonce));
            Frames.Hello theirs = raw.read(Frames.Hello.class);
            raw.write(new Frames.Proof(Handshake.observerProof(LoopbackCluster.SECRET, LoopbackCluster.NAME, "rogue",
                    nonce, theirs.node(), theirs.nonce(), true)));
            raw.read(Frames.Proof.class);
            raw.read(Frames.Accept.class);
            awaitTrue(() -> one.observerCount() == 1, "the node counts the observer");

            raw.write(new Frames.Message(new PeerMessage.Election(TWO, 9)));

            Frame next = raw.read();
            while (next instanceof Frames.Ping) {
                next = raw.read();
            }
            assertEquals(new Frames.Refuse(PeerRefusal.OBSERVER_SPOKE, "an observer sends nothing but pings"), next);
            assertTrue(raw.closedByNode());
        }
        RecordingPeerEvents.Refusal refusal = cluster.events(ONE).awaitRefusal(PeerRefusal.OBSERVER_SPOKE);
        assertTrue(refusal.remote().endsWith("(observer \"rogue\")"), refusal.remote());
        awaitTrue(() -> one.observerCount() == 0, "the observer's place is free again");
        assertEquals(List.of(), one.observers(), "a closed observer is no longer listed");
        assertEquals(List.of(), atOne.calls());
    }

    @Test
    @DisplayName("a node accepts at most its bound of observers: one more is refused as TOO_MANY_OBSERVERS")
    void observersAreBounded() throws Exception {
        RecordingPeerHandler first = new RecordingPeerHandler();
        RecordingPeerHandler second = new RecordingPeerHandler();
        start(observer("edge-1", LoopbackCluster.SECRET, RecordingPeerEvents::new), first);
        start(observer("edge-1", LoopbackCluster.SECRET, RecordingPeerEvents::new), second);
        first.awaitConnected(ONE);
        second.awaitConnected(ONE);

        RecordingPeerEvents thirdEvents = new RecordingPeerEvents();
        RecordingPeerHandler third = new RecordingPeerHandler();
        start(observer("edge-3", LoopbackCluster.SECRET, () -> thirdEvents), third);

        cluster.events(ONE).awaitRefusal(PeerRefusal.TOO_MANY_OBSERVERS);
        RecordingPeerEvents.Refusal told = thirdEvents.awaitRefusal(PeerRefusal.TOO_MANY_OBSERVERS);
        assertTrue(told.detail().contains("too many observers"), told.detail());
        assertEquals(2, one.observerCount());
        assertEquals(List.of(), third.calls());
    }

    @Test
    @DisplayName("an observer has nothing to say to the cluster: send and sendToAll refuse")
    void observerSendsNothing() throws Exception {
        TcpPeerTransport observer = observer("edge-1", LoopbackCluster.SECRET, RecordingPeerEvents::new);
        transports.add(observer);

        assertThrows(IllegalStateException.class, () -> observer.send(ONE, new PeerMessage.Election(ONE, 1)));
        assertThrows(IllegalStateException.class, () -> observer.sendToAll(new PeerMessage.Election(ONE, 1)));
        assertThrows(IllegalArgumentException.class, () -> one.sendToObservers(new PeerMessage.Election(ONE, 1)));
        assertThrows(IllegalArgumentException.class, () -> TcpPeerTransport.ObserverSettings.of("", "lab",
                Map.of(ONE, cluster.address(ONE)), LoopbackCluster.SECRET));
    }

    private TcpPeerTransport observer(String name, byte[] secret,
            java.util.function.Supplier<RecordingPeerEvents> events) {
        Map<NodeId, InetSocketAddress> nodes = new TreeMap<>(Map.of(ONE, cluster.address(ONE)));
        return TcpPeerTransport.observer(TcpPeerTransport.ObserverSettings.of(name, LoopbackCluster.NAME, nodes, secret)
                .withHandshakeTimeout(HANDSHAKE), events.get());
    }

    private static PeerMessage.ObserverView view(NodeId from, long sequence) {
        TreeMap<Integer, NodeId> buckets = new TreeMap<>();
        for (int bucket = 0; bucket < 256; bucket++) {
            buckets.put(bucket, from);
        }
        return new PeerMessage.ObserverView(from, 2, Optional.of(from), 2, sequence, buckets, Set.of(from),
                Duration.ofMillis(200), Duration.ofMillis(1000));
    }

    private TcpPeerTransport start(TcpPeerTransport transport, RecordingPeerHandler handler) throws Exception {
        transports.add(transport);
        transport.start(handler);
        return transport;
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(10);
        }
    }
}
