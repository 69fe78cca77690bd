package dev.dhcpcluster.adapter.tcppeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AbstractPeerTransportTest.RecordingPeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerRefusal;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Who is refused at the handshake, and what the operator sees: each refusal reported once for its
 * reason, naming the address and the id claimed, the connection closed, the good peer still served.
 */
class HandshakeRefusalTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    // Short, to keep the tests quick, but not so short that a loaded build machine trips it.
    private static final Duration HANDSHAKE = Duration.ofSeconds(3);

    private final List<TcpPeerTransport> transports = new ArrayList<>();
    private LoopbackCluster cluster;
    private RecordingPeerHandler atOne;
    private TcpPeerTransport one;

    @BeforeEach
    void startNodeOne() throws Exception {
        cluster = LoopbackCluster.of(Set.of(ONE, TWO), settings -> settings.withHandshakeTimeout(HANDSHAKE));
        atOne = new RecordingPeerHandler();
        one = start(cluster.transport(ONE), atOne);
    }

    @AfterEach
    void closeTransports() {
        transports.forEach(TcpPeerTransport::close);
    }

    @Test
    @DisplayName("a node with another secret is refused as WRONG_SECRET on both sides, and never connects")
    void wrongSecretIsRefusedOnBothSides() throws Exception {
        TcpPeerTransport.Settings two = cluster.settings(TWO);
        start(new TcpPeerTransport(new TcpPeerTransport.Settings(two.self(), two.clusterName(), two.listen(), two.peers(),
                "another secret, also 32 bytes...".getBytes(StandardCharsets.US_ASCII), two.tls(), two.maxFrameBytes(),
                two.handshakeTimeout(), two.heartbeatInterval(), two.maxHandshakes()), cluster.events(TWO)),
                new RecordingPeerHandler());

        RecordingPeerEvents.Refusal atNodeOne = cluster.events(ONE).awaitRefusal(PeerRefusal.WRONG_SECRET);
        cluster.events(TWO).awaitRefusal(PeerRefusal.WRONG_SECRET);

        assertTrue(atNodeOne.remote().startsWith("127.0.0.1:") && atNodeOne.remote().endsWith("(claims node-2)"),
                atNodeOne.remote());
        assertEquals(Set.of(), one.connected());
        assertEquals(List.of(), atOne.calls(), "the handler never hears of the impostor");
    }

    @Test
    @DisplayName("a wrong proof is told only \"authentication failed\", and closed")
    void wrongProofLearnsNothingMore() throws Exception {
        try (RawPeer raw = RawPeer.connect(cluster.address(ONE))) {
            byte[] nonce = RawPeer.nonce();
            Frames.Hello theirs = raw.hello(TWO, LoopbackCluster.NAME, nonce);
            byte[] wrongSecret = "not the secret, but 32 bytes....".getBytes(StandardCharsets.US_ASCII);
            raw.write(new Frames.Proof(Handshake.proof(wrongSecret, LoopbackCluster.NAME, TWO, nonce, ONE, theirs.nonce(), true)));
            raw.read(Frames.Proof.class);

            assertEquals(new Frames.Refuse(PeerRefusal.WRONG_SECRET, "authentication failed"), raw.read());
            assertTrue(raw.closedByNode());
        }
        RecordingPeerEvents.Refusal refusal = cluster.events(ONE).awaitRefusal(PeerRefusal.WRONG_SECRET);
        assertTrue(refusal.remote().endsWith("(claims node-2)"), refusal.remote());
        assertEquals(1, cluster.events(ONE).refusals().size(), "reported once");
    }

    @Test
    @DisplayName("a proof sent back to the node that made it does not verify (no reflection)")
    void reflectedProofIsRefused() throws Exception {
        try (RawPeer raw = RawPeer.connect(cluster.address(ONE))) {
            raw.hello(TWO, LoopbackCluster.NAME, RawPeer.nonce());
            Frames.Proof nodeProof = raw.read(Frames.Proof.class);
            raw.write(nodeProof);

            assertEquals(PeerRefusal.WRONG_SECRET, raw.read(Frames.Refuse.class).reason());
        }
        cluster.events(ONE).awaitRefusal(PeerRefusal.WRONG_SECRET);
    }

    @Test
    @DisplayName("a node id that is not configured is refused as UNKNOWN_NODE")
    void unknownIdIsRefused() throws Exception {
        try (RawPeer raw = RawPeer.connect(cluster.address(ONE))) {
            raw.hello(new NodeId(9), LoopbackCluster.NAME, RawPeer.nonce());

            Frames.Refuse refuse = raw.read(Frames.Refuse.class);
            assertEquals(PeerRefusal.UNKNOWN_NODE, refuse.reason());
            assertTrue(refuse.detail().contains("node-9"), refuse.detail());
            assertTrue(raw.closedByNode());
        }
        RecordingPeerEvents.Refusal refusal = cluster.events(ONE).awaitRefusal(PeerRefusal.UNKNOWN_NODE);
        assertTrue(refusal.remote().endsWith("(claims node-9)"), refusal.remote());
    }

    @Test
    @DisplayName("a peer that claims the node's own id is refused as UNKNOWN_NODE")
    void ownIdIsRefused() throws Exception {
        try (RawPeer raw = RawPeer.connect(cluster.address(ONE))) {
            raw.hello(ONE, LoopbackCluster.NAME, RawPeer.nonce());

            assertEquals(PeerRefusal.UNKNOWN_NODE, raw.read(Frames.Refuse.class).reason());
            assertTrue(raw.closedByNode());
        }
        RecordingPeerEvents.Refusal refusal = cluster.events(ONE).awaitRefusal(PeerRefusal.UNKNOWN_NODE);
        assertTrue(refusal.detail().contains("own id"), refusal.detail());
    }

    @Test
    @DisplayName("a second node with the id of a connected peer is refused as ALREADY_CONNECTED, on the lower and the higher node")
    void duplicateOfAConnectedIdIsRefused() throws Exception {
        RecordingPeerHandler atTwo = new RecordingPeerHandler();
        TcpPeerTransport two = start(cluster.transport(TWO), atTwo);
        atOne.awaitConnected(TWO);
        atTwo.awaitConnected(ONE);

        // Both impostors hold the secret (a copied configuration): only the id tells them apart.
        try (RawPeer asTwo = RawPeer.connect(cluster.address(ONE))) {
            asTwo.authenticate(TWO, LoopbackCluster.SECRET);
            assertEquals(PeerRefusal.ALREADY_CONNECTED, asTwo.read(Frames.Refuse.class).reason());
            assertTrue(asTwo.closedByNode());
        }
        try (RawPeer asOne = RawPeer.connect(cluster.address(TWO))) {
            asOne.authenticate(ONE, LoopbackCluster.SECRET);
            assertEquals(PeerRefusal.ALREADY_CONNECTED, asOne.read(Frames.Refuse.class).reason());
            assertTrue(asOne.closedByNode());
        }

        cluster.events(ONE).awaitRefusal(PeerRefusal.ALREADY_CONNECTED);
        cluster.events(TWO).awaitRefusal(PeerRefusal.ALREADY_CONNECTED);
        two.send(ONE, new PeerMessage.Election(TWO, 1));
        one.send(TWO, new PeerMessage.Answer(ONE, 1));
        assertEquals(List.of(new PeerMessage.Election(TWO, 1)), atOne.awaitMessages(1));
        assertEquals(List.of(new PeerMessage.Answer(ONE, 1)), atTwo.awaitMessages(1));
        assertEquals(List.of(RecordingPeerHandler.connectedCall(TWO), RecordingPeerHandler.receivedCall(new PeerMessage.Election(TWO, 1))),
                atOne.calls(), "the real peer stayed connected throughout");
    }

    @Test
    @DisplayName("a node of another cluster is refused as CLUSTER_MISMATCH on both sides")
    void otherClusterIsRefused() throws Exception {
        TcpPeerTransport.Settings two = cluster.settings(TWO);
        start(new TcpPeerTransport(new TcpPeerTransport.Settings(two.self(), "other-lab", two.listen(), two.peers(),
                LoopbackCluster.SECRET, two.tls(), two.maxFrameBytes(), two.handshakeTimeout(), two.heartbeatInterval(),
                two.maxHandshakes()), cluster.events(TWO)), new RecordingPeerHandler());

        RecordingPeerEvents.Refusal refusal = cluster.events(ONE).awaitRefusal(PeerRefusal.CLUSTER_MISMATCH);
        cluster.events(TWO).awaitRefusal(PeerRefusal.CLUSTER_MISMATCH);

        assertTrue(refusal.detail().contains("\"other-lab\""), refusal.detail());
        assertEquals(Set.of(), one.connected());
    }

    @Test
    @DisplayName("a client speaking another protocol version is refused as VERSION_MISMATCH and told the node's version")
    void otherVersionIsRefused() throws Exception {
        CBORMapper cbor = new CBORMapper();
        try (Socket socket = new Socket()) {
            socket.connect(cluster.address(ONE), 5_000);
            socket.setSoTimeout(10_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            ObjectNode hello = cbor.createObjectNode();
            hello.put("type", "hello");
            hello.put("version", 1); // the protocol before the binary lease frames
            hello.put("cluster", LoopbackCluster.NAME);
            hello.put("node", 2);
            hello.put("nonce", new byte[32]);
            hello.put("features", "whatever else version 1 said");
            byte[] body = cbor.writeValueAsBytes(hello);
            out.writeInt(body.length);
            out.write(body);
            out.flush();

            JsonNode nodeHello = readMap(cbor, in);
            assertEquals("hello", nodeHello.get("type").textValue());
            assertEquals(Handshake.PROTOCOL_VERSION, nodeHello.get("version").intValue());
            JsonNode refuse = readMap(cbor, in);
            assertEquals("refuse", refuse.get("type").textValue());
            assertEquals("VERSION_MISMATCH", refuse.get("reason").textValue());
            assertEquals(-1, in.read(), "closed after the refusal");
        }
        RecordingPeerEvents.Refusal refusal = cluster.events(ONE).awaitRefusal(PeerRefusal.VERSION_MISMATCH);
        assertTrue(refusal.detail().contains("version 1"), refusal.detail());
    }

    @Test
    @DisplayName("a client that connects and says nothing is closed at the handshake timeout, as HANDSHAKE_TIMEOUT")
    void silentClientTimesOut() throws Exception {
        long start = System.nanoTime();
        try (RawPeer raw = RawPeer.connect(cluster.address(ONE))) {
            assertTrue(raw.closedByNode(), "closed by the node");
        }
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();

        cluster.events(ONE).awaitRefusal(PeerRefusal.HANDSHAKE_TIMEOUT);
        assertTrue(elapsed >= HANDSHAKE.toMillis() - 50 && elapsed < 5_000, elapsed + " ms");
        assertEquals(1, cluster.events(ONE).refusals().size(), "reported once");
    }

    @Test
    @DisplayName("the refusal a dialer receives is reported by the dialer too")
    void dialerReportsTheRefusalItGot() throws Exception {
        // Node 2 is configured with a peer list that lacks node 1's id for the address it dials:
        // node 1 answers as node-1, but node 2 expects node-3 there.
        NodeId three = new NodeId(3);
        TcpPeerTransport.Settings two = cluster.settings(TWO);
        start(new TcpPeerTransport(new TcpPeerTransport.Settings(two.self(), two.clusterName(), two.listen(),
                java.util.Map.of(three, cluster.address(ONE)), LoopbackCluster.SECRET, two.tls(), two.maxFrameBytes(),
                two.handshakeTimeout(), two.heartbeatInterval(), two.maxHandshakes()), cluster.events(TWO)),
                new RecordingPeerHandler());

        // Node 2 refuses what answered its dial, and what node 1 dials in (node-1 is no peer of node 2's).
        cluster.events(TWO).awaitRefusal(r -> r.reason() == PeerRefusal.UNKNOWN_NODE
                && r.detail().equals("dialed node-3 at " + LoopbackCluster.describe(cluster.address(ONE)) + ", but node-1 answered"),
                "node 2 refuses the wrong node at the address it dialed");
        // Node 1 reports both refusals it was told of, with the reason node 2 gave.
        cluster.events(ONE).awaitRefusal(r -> r.reason() == PeerRefusal.UNKNOWN_NODE
                && r.detail().equals("refused by the other side: you answered as node-1 where node-3 was expected"),
                "node 1 reports being refused as the wrong node");
        cluster.events(ONE).awaitRefusal(r -> r.reason() == PeerRefusal.UNKNOWN_NODE
                && r.detail().equals("refused by the other side: node-1 is not a member in this node's configuration"),
                "node 1 reports being refused as an unknown node");
        assertFalse(one.connected().contains(TWO));
    }

    private static JsonNode readMap(CBORMapper cbor, DataInputStream in) throws Exception {
        int length = in.readInt();
        byte[] body = new byte[length];
        in.readFully(body);
        return cbor.readTree(body);
    }

    private TcpPeerTransport start(TcpPeerTransport transport, RecordingPeerHandler handler) throws Exception {
        transports.add(transport);
        transport.start(handler);
        return transport;
    }
}
