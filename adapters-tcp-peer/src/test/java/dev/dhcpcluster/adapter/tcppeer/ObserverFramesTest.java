package dev.dhcpcluster.adapter.tcppeer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The observer's frames on the wire: its hello, its proof, and the view a node sends it. */
class ObserverFramesTest {

    private static final CBORMapper CBOR = new CBORMapper();
    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    private static final NodeId THREE = new NodeId(3);
    private static final byte[] SECRET = "a cluster secret of 32 bytes....".getBytes(StandardCharsets.US_ASCII);

    static PeerMessage.ObserverView view() {
        TreeMap<Integer, NodeId> buckets = new TreeMap<>();
        for (int bucket = 0; bucket < 256; bucket++) {
            if (bucket != 17) {
                buckets.put(bucket, bucket % 2 == 0 ? ONE : TWO);
            }
        }
        return new PeerMessage.ObserverView(TWO, 4, Optional.of(TWO), 4, 3, buckets, Set.of(ONE, TWO),
                Duration.ofMillis(200), Duration.ofMillis(1500));
    }

    @Test
    @DisplayName("a view round-trips: version, every held bucket, the live members and both timers")
    void viewRoundTrips() throws Exception {
        PeerMessage.ObserverView view = view();
        PeerMessage.ObserverView before = new PeerMessage.ObserverView(ONE, 0, Optional.empty(), 0, 0, new TreeMap<>(),
                Set.of(ONE), Duration.ofNanos(1), Duration.ofNanos(1));

        assertEquals(new Frames.Message(view), decode(FrameCodec.encode(new Frames.Message(view))));
        assertEquals(new Frames.Message(before), decode(FrameCodec.encode(new Frames.Message(before))));
    }

    @Test
    @DisplayName("the view of a cluster of three with every bucket held is under 1 KiB: cheap at every heartbeat")
    void viewIsSmall() {
        TreeMap<Integer, NodeId> buckets = new TreeMap<>();
        for (int bucket = 0; bucket < 256; bucket++) {
            buckets.put(bucket, new NodeId(1 + bucket % 3));
        }
        byte[] frame = FrameCodec.encode(new Frames.Message(new PeerMessage.ObserverView(THREE, 12, Optional.of(THREE),
                12, 40, buckets, Set.of(ONE, TWO, THREE), Duration.ofMillis(200), Duration.ofMillis(1000))));

        assertTrue(frame.length < 1024, frame.length + " bytes");
    }

    @Test
    @DisplayName("an observer's hello names the observer, not a node, and round-trips")
    void observerHelloRoundTrips() throws Exception {
        byte[] nonce = RawPeer.nonce();
        Frames.ObserverHello hello = (Frames.ObserverHello) decode(FrameCodec.encode(
                new Frames.ObserverHello(Handshake.PROTOCOL_VERSION, "lab", "edge-1 ünïcode", nonce)));

        assertEquals("edge-1 ünïcode", hello.observer());
        assertEquals("lab", hello.cluster());
        assertArrayEquals(nonce, hello.nonce());
    }

    @Test
    @DisplayName("a member's hello is unchanged: exactly version, cluster, node and nonce")
    void memberHelloIsUnchanged() throws Exception {
        ObjectNode map = (ObjectNode) CBOR.readTree(body(FrameCodec.encode(
                new Frames.Hello(Handshake.PROTOCOL_VERSION, "lab", ONE, RawPeer.nonce()))));

        assertEquals(Set.of("type", "version", "cluster", "node", "nonce"), Set.copyOf(iterable(map)));
        assertEquals(2, map.get("version").intValue());
    }

    @Test
    @DisplayName("an observer's proof verifies only for its own name, direction and kind of connection")
    void observerProofBindsTheName() {
        byte[] observerNonce = RawPeer.nonce();
        byte[] nodeNonce = RawPeer.nonce();
        byte[] proof = Handshake.observerProof(SECRET, "lab", "edge-1", observerNonce, ONE, nodeNonce, true);

        assertArrayEquals(proof, Handshake.observerProof(SECRET, "lab", "edge-1", observerNonce, ONE, nodeNonce, true));
        assertFalse(Arrays.equals(proof, Handshake.observerProof(SECRET, "lab", "edge-2", observerNonce, ONE, nodeNonce,
                true)), "another name");
        assertFalse(Arrays.equals(proof, Handshake.observerProof(SECRET, "lab", "edge-1", observerNonce, ONE, nodeNonce,
                false)), "the other direction");
        assertFalse(Arrays.equals(proof, Handshake.observerProof(SECRET, "lab", "edge-1", observerNonce, TWO, nodeNonce,
                true)), "another node");
        assertFalse(Arrays.equals(proof, Handshake.proof(SECRET, "lab", ONE, observerNonce, TWO, nodeNonce, true)),
                "a member's proof");
    }

    @Test
    @DisplayName("malformed: a view with an extra or missing field, a bucket twice or out of range, a member twice, "
            + "a live set without its sender, timers that cannot be; a hello with both a node and an observer")
    void malformedObserverFramesAreRefused() throws Exception {
        List<byte[]> bodies = List.of(
                cbor(m -> viewMap(m).put("extra", 1)),
                cbor(m -> viewMap(m).remove("live")),
                cbor(m -> viewMap(m).remove("leader")),
                cbor(m -> ((ArrayNode) viewMap(m).get("buckets")).add(0).add(1)),
                cbor(m -> ((ArrayNode) viewMap(m).get("buckets")).add(256).add(1)),
                cbor(m -> ((ArrayNode) viewMap(m).get("buckets")).add(9)),
                cbor(m -> ((ArrayNode) viewMap(m).get("live")).add(2)),
                cbor(m -> viewMap(m).putArray("live").add(1)),
                cbor(m -> viewMap(m).put("heartbeat-nanos", 0)),
                cbor(m -> viewMap(m).put("failure-timeout-nanos", 5)),
                cbor(m -> viewMap(m).putNull("leader")),
                cbor(m -> viewMap(m).put("sequence", 0)),
                cbor(m -> hello(m).put("node", 1)),
                cbor(m -> hello(m).put("observer", "")),
                cbor(m -> hello(m).put("observer", "bell\u0007")),
                cbor(m -> hello(m).put("observer", "x".repeat(129))),
                cbor(m -> hello(m).put("observer", 7)));

        for (byte[] body : bodies) {
            assertThrows(MalformedFrameException.class, () -> FrameCodec.decode(body),
                    () -> "decoded " + Arrays.toString(body));
        }
    }

    private static ObjectNode viewMap(ObjectNode m) {
        m.put("type", "observer-view").put("from", 2).put("epoch", 4).put("leader", 2).put("assignment-epoch", 4)
                .put("sequence", 3);
        m.putArray("buckets").add(0).add(1).add(1).add(2);
        m.putArray("live").add(1).add(2);
        m.put("heartbeat-nanos", 200_000_000L).put("failure-timeout-nanos", 1_500_000_000L);
        return m;
    }

    private static ObjectNode hello(ObjectNode m) {
        return m.put("type", "hello").put("version", Handshake.PROTOCOL_VERSION).put("cluster", "lab")
                .put("observer", "edge-1").put("nonce", RawPeer.nonce());
    }

    private static byte[] cbor(Consumer<ObjectNode> fill) throws Exception {
        ObjectNode map = CBOR.createObjectNode();
        fill.accept(map);
        return CBOR.writeValueAsBytes(map);
    }

    private static Frame decode(byte[] frame) throws MalformedFrameException {
        return FrameCodec.decode(body(frame));
    }

    private static byte[] body(byte[] frame) {
        return Arrays.copyOfRange(frame, FrameCodec.PREFIX_BYTES, frame.length);
    }

    private static List<String> iterable(ObjectNode map) {
        List<String> names = new java.util.ArrayList<>();
        map.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
