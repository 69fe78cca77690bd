package dev.dhcpcluster.adapter.tcppeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AbstractPeerTransportTest.RecordingPeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerRefusal;
import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Nothing a peer sends can crash, stall or exhaust the node: garbage, absurd lengths, malformed
 * bodies, a slow-loris handshake, a flood of connections, and an authenticated peer that misbehaves.
 * Each test ends by showing the node still talks to its real peer.
 *
 * <p>The module's tests run with a heap of 128 MiB, so a node that believed a 2 GiB length prefix
 * would die of it.
 */
class HostileInputTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    /** A configured member that never runs: the raw peer authenticates as it. */
    private static final NodeId THREE = new NodeId(3);
    // Short, to keep the tests quick, but not so short that a loaded build machine trips it.
    private static final Duration HANDSHAKE = Duration.ofSeconds(2);

    private LoopbackCluster cluster;
    private RecordingPeerHandler atOne;
    private RecordingPeerHandler atTwo;
    private TcpPeerTransport one;
    private TcpPeerTransport two;
    private int epoch;

    @BeforeEach
    void startTwoConnectedNodes() throws Exception {
        cluster = LoopbackCluster.of(Set.of(ONE, TWO, THREE), settings -> settings.withHandshakeTimeout(HANDSHAKE));
        atOne = new RecordingPeerHandler();
        atTwo = new RecordingPeerHandler();
        one = cluster.transport(ONE);
        two = cluster.transport(TWO);
        one.start(atOne);
        two.start(atTwo);
        atOne.awaitConnected(TWO);
        atTwo.awaitConnected(ONE);
    }

    @AfterEach
    void closeNodes() {
        one.close();
        two.close();
    }

    @Test
    @DisplayName("random bytes are refused and closed; the node still talks to its peer")
    void randomBytesAreRefused() throws Exception {
        byte[] garbage = new byte[4096];
        new Random(9).nextBytes(garbage);
        RawPeer raw = RawPeer.connect(cluster.address(ONE));
        String rawAddress = raw.localAddress();
        try (raw) {
            raw.writeRaw(garbage);
            assertTrue(raw.closedByNode());
        }

        RecordingPeerEvents.Refusal refusal = cluster.events(ONE).awaitRefusal(r -> r.remote().equals(rawAddress), "the garbage refused");
        assertTrue(Set.of(PeerRefusal.OVERSIZED_FRAME, PeerRefusal.MALFORMED_FRAME).contains(refusal.reason()), refusal.toString());
        assertStillServing();
    }

    @ParameterizedTest(name = "length prefix 0x{0}")
    @ValueSource(strings = {"7FFFFFFF", "80000000", "FFFFFFFF", "00100001"})
    @DisplayName("a length prefix above the maximum (or negative) closes the connection before any allocation")
    void absurdLengthPrefixIsRefusedBeforeAllocating(String hex) throws Exception {
        int length = Integer.parseUnsignedInt(hex, 16);
        try (RawPeer raw = RawPeer.connect(cluster.address(ONE))) {
            raw.writeRaw(ByteBuffer.allocate(4).putInt(length).array());
            assertTrue(raw.closedByNode());
        }

        RecordingPeerEvents.Refusal refusal = cluster.events(ONE).awaitRefusal(PeerRefusal.OVERSIZED_FRAME);
        assertTrue(refusal.detail().startsWith("a frame of " + Integer.toUnsignedString(length) + " bytes announced"),
                refusal.detail());
        assertStillServing();
    }

    @Test
    @DisplayName("an authenticated peer announcing a 2 GiB frame is closed before allocation and seen disconnected")
    void authenticatedPeerWithHugeFrameIsClosed() throws Exception {
        try (RawPeer raw = RawPeer.connect(cluster.address(ONE))) {
            raw.authenticate(THREE, LoopbackCluster.SECRET);
            atOne.awaitConnected(THREE);
            raw.writeRaw(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            assertTrue(raw.closedByNode());
        }

        cluster.events(ONE).awaitRefusal(PeerRefusal.OVERSIZED_FRAME);
        atOne.await(RecordingPeerHandler.disconnectedCall(THREE)::equals, "node 1 sees the raw peer disconnected");
        assertStillServing();
    }

    @Test
    @DisplayName("a well-framed body that is not CBOR is refused as MALFORMED_FRAME")
    void malformedCborIsRefused() throws Exception {
        try (RawPeer raw = RawPeer.connect(cluster.address(ONE))) {
            raw.writeRaw(new byte[] {0, 0, 0, 5, (byte) 0xff, (byte) 0xff, (byte) 0xfe, 0x1c, 0x1d});
            raw.read(Frames.Hello.class);
            assertEquals(PeerRefusal.MALFORMED_FRAME, raw.read(Frames.Refuse.class).reason());
            assertTrue(raw.closedByNode());
        }

        cluster.events(ONE).awaitRefusal(PeerRefusal.MALFORMED_FRAME);
        assertStillServing();
    }

    @Test
    @DisplayName("an authenticated peer's message naming another sender is dropped, and its connection closed")
    void messageFromAnotherSenderIsRefused() throws Exception {
        try (RawPeer raw = RawPeer.connect(cluster.address(ONE))) {
            raw.authenticate(THREE, LoopbackCluster.SECRET);
            atOne.awaitConnected(THREE);
            raw.write(new Frames.Message(new PeerMessage.Coordinator(TWO, 99)));
            assertTrue(raw.closedByNode());
        }

        RecordingPeerEvents.Refusal refusal = cluster.events(ONE).awaitRefusal(PeerRefusal.MALFORMED_FRAME);
        assertTrue(refusal.detail().contains("a message from node-2 on the connection of node-3"), refusal.detail());
        atOne.await(RecordingPeerHandler.disconnectedCall(THREE)::equals, "node 1 sees the raw peer disconnected");
        assertTrue(atOne.messages().stream().noneMatch(m -> m.epoch() == 99), "the forged message never reached the handler");
        assertStillServing();
    }

    @Test
    @DisplayName("an authenticated peer that falls silent is closed after 5 heartbeat intervals and seen disconnected")
    void silentPeerIsClosed() throws Exception {
        try (RawPeer raw = RawPeer.connect(cluster.address(ONE))) {
            raw.authenticate(THREE, LoopbackCluster.SECRET);
            atOne.awaitConnected(THREE);
            long connected = System.nanoTime();

            atOne.await(RecordingPeerHandler.disconnectedCall(THREE)::equals, "node 1 sees the silent peer disconnected");

            long silentMillis = Duration.ofNanos(System.nanoTime() - connected).toMillis();
            assertTrue(silentMillis >= 5 * 200 - 50, "closed after " + silentMillis + " ms");
            assertTrue(raw.closedByNode());
        }
        assertTrue(cluster.events(ONE).disconnected().stream().anyMatch(d -> d.startsWith("node-3: silent for")),
                cluster.events(ONE).disconnected().toString());
        assertStillServing();
    }

    @Test
    @DisplayName("a slow-loris handshake (one byte every 100 ms) is closed at the handshake timeout")
    void slowLorisIsClosedByTheTimeout() throws Exception {
        byte[] hello = FrameCodec.encode(new Frames.Hello(Handshake.PROTOCOL_VERSION, LoopbackCluster.NAME, THREE,
                RawPeer.nonce()));
        long start = System.nanoTime();
        try (RawPeer raw = RawPeer.connect(cluster.address(ONE))) {
            Thread dribbler = new Thread(() -> {
                try {
                    for (byte b : hello) {
                        raw.writeRaw(new byte[] {b});
                        // The attack itself: a byte at a time, each well inside any per-read timeout.
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // Closed by the node: what the test expects.
                }
            }, "slow-loris");
            dribbler.start();
            assertTrue(raw.closedByNode());
            dribbler.interrupt();
            dribbler.join();
        }
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();

        cluster.events(ONE).awaitRefusal(PeerRefusal.HANDSHAKE_TIMEOUT);
        assertTrue(elapsed < hello.length * 100L, "closed after " + elapsed + " ms, before the hello was complete");
        assertStillServing();
    }

    @Test
    @DisplayName("1,000 connections opened at once are all refused or timed out; the peer is served throughout, threads and files return to normal")
    void thousandConnectionsAreDealtWith() throws Exception {
        int threadsBefore = peerThreads();
        long filesBefore = openFiles();
        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 1_000; i++) {
                Socket socket = new Socket();
                flood.add(socket);
                socket.connect(cluster.address(ONE), 5_000);
                if (i % 250 == 249) {
                    assertStillServing();
                }
            }
            RecordingPeerEvents events = cluster.events(ONE);
            awaitTrue(() -> events.count(PeerRefusal.TOO_MANY_HANDSHAKES) + events.count(PeerRefusal.HANDSHAKE_TIMEOUT) == 1_000,
                    () -> "every connection refused or timed out: " + events.count(PeerRefusal.TOO_MANY_HANDSHAKES)
                            + " refused, " + events.count(PeerRefusal.HANDSHAKE_TIMEOUT) + " timed out");
            assertTrue(events.count(PeerRefusal.TOO_MANY_HANDSHAKES) > 0, "the bound on handshakes was reached");
            // Only the connection the two nodes dialed at each other at start may have been refused besides.
            assertEquals(List.of(), events.refusals().stream().filter(r -> r.reason() != PeerRefusal.TOO_MANY_HANDSHAKES
                    && r.reason() != PeerRefusal.HANDSHAKE_TIMEOUT && r.reason() != PeerRefusal.ALREADY_CONNECTED).toList(),
                    "nothing else reported");
            assertStillServing();
        } finally {
            for (Socket socket : flood) {
                socket.close();
            }
        }
        // At most as many as before: a connection of the start-up race may still have been closing then.
        awaitTrue(() -> peerThreads() <= threadsBefore, () -> "peer threads back to " + threadsBefore + ": " + peerThreads());
        awaitTrue(() -> openFiles() <= filesBefore + 10, () -> "open files back to about " + filesBefore + ": " + openFiles());
        assertStillServing();
        assertEquals(List.of(RecordingPeerHandler.connectedCall(TWO)),
                atOne.calls().stream().filter(call -> !call.kind().equals("received")).toList(),
                "the real peer was never disconnected");
    }

    /** Node 1 and node 2 still exchange messages, both ways, on the connection they had. */
    private void assertStillServing() throws InterruptedException {
        epoch++;
        int heardAtOne = atOne.messages().size();
        int heardAtTwo = atTwo.messages().size();
        two.send(ONE, new PeerMessage.Election(TWO, epoch));
        one.send(TWO, new PeerMessage.Answer(ONE, epoch));
        assertEquals(new PeerMessage.Election(TWO, epoch), atOne.awaitMessages(heardAtOne + 1).get(heardAtOne));
        assertEquals(new PeerMessage.Answer(ONE, epoch), atTwo.awaitMessages(heardAtTwo + 1).get(heardAtTwo));
        assertTrue(one.connected().contains(TWO) && two.connected().contains(ONE));
    }

    private static int peerThreads() {
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("peer-") && thread.isAlive()).count();
    }

    private static long openFiles() {
        String[] fds = new File("/proc/self/fd").list();
        return fds == null ? 0 : fds.length;
    }

    private static void awaitTrue(BooleanSupplier condition, java.util.function.Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within 15 s: " + what.get());
            }
            Thread.sleep(10);
        }
    }

}
