package dev.dhcpcluster.bootstrap.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The port a node shares with its relay: which side gets each datagram, and the loop between them. */
class SharedPortTest {

    private static final int PORT = 67;
    private static final Ipv4Address GIADDR = Ipv4Address.parse("198.18.64.1");
    private static final Ipv4Address OWN = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address OTHER_NODE = Ipv4Address.parse("198.18.0.2");
    private static final Ipv4Address CLIENT = Ipv4Address.parse("198.18.64.20");

    /** What the underlying transport was asked to send. */
    record Sent(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
    }

    /** The underlying transport: keeps the dispatcher it is started with, records what it sends. */
    static final class Underlying implements DhcpTransport {
        DhcpHandler handler;
        boolean closed;
        final List<Sent> sent = new CopyOnWriteArrayList<>();

        @Override
        public void start(DhcpHandler handler) {
            this.handler = handler;
        }

        @Override
        public void send(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
            sent.add(new Sent(payload, delivery, interfaceName));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private final Underlying underlying = new Underlying();
    private final List<Datagram> toNode = new CopyOnWriteArrayList<>();
    private final List<Datagram> toRelay = new CopyOnWriteArrayList<>();
    private SharedPort port;

    @BeforeEach
    void startNode() throws IOException {
        port = new SharedPort(underlying, List.of("lan1"), Set.of(GIADDR), PORT,
                () -> Set.of(OWN, GIADDR, Ipv4Address.parse("127.0.0.1")));
        port.nodeSide().start(toNode::add);
    }

    /** A DHCP message of {@code op} (1 request, 2 reply) with giaddr set, padded to the minimum length. */
    private static byte[] message(int op, Ipv4Address giaddr) {
        byte[] payload = new byte[300];
        payload[0] = (byte) op;
        System.arraycopy(giaddr.toBytes(), 0, payload, 24, 4);
        return payload;
    }

    private static Datagram captured(int op, String face) {
        return new Datagram(message(op, Ipv4Address.ZERO), CLIENT, 68, GIADDR, Optional.of(face));
    }

    private static Datagram fromSocket(int op, Ipv4Address source) {
        return new Datagram(message(op, GIADDR), source, PORT, GIADDR, Optional.empty());
    }

    @Test
    @DisplayName("a request captured on a relay interface goes to the relay, not the node")
    void requestOnARelayInterfaceGoesToTheRelay() throws IOException {
        port.relaySide().start(toRelay::add);

        underlying.handler.handle(captured(1, "lan1"));

        assertEquals(1, toRelay.size());
        assertEquals(Optional.of("lan1"), toRelay.get(0).interfaceName());
        assertTrue(toNode.isEmpty());
    }

    @Test
    @DisplayName("a request captured on a node interface goes to the node, not the relay")
    void requestOnANodeInterfaceGoesToTheNode() throws IOException {
        port.relaySide().start(toRelay::add);

        underlying.handler.handle(captured(1, "eth0"));

        assertEquals(1, toNode.size());
        assertTrue(toRelay.isEmpty());
    }

    @Test
    @DisplayName("a reply from the socket goes to the relay, not the node")
    void replyFromTheSocketGoesToTheRelay() throws IOException {
        port.relaySide().start(toRelay::add);

        underlying.handler.handle(fromSocket(2, OTHER_NODE));

        assertEquals(1, toRelay.size());
        assertEquals(OTHER_NODE, toRelay.get(0).source());
        assertTrue(toNode.isEmpty());
    }

    @Test
    @DisplayName("a captured reply goes to nobody: the socket delivers the same one")
    void capturedReplyGoesToNobody() throws IOException {
        port.relaySide().start(toRelay::add);

        underlying.handler.handle(captured(2, "lan1"));
        underlying.handler.handle(captured(2, "eth0"));

        assertTrue(toRelay.isEmpty());
        assertTrue(toNode.isEmpty());
        assertEquals(0, port.droppedForRelay());
    }

    @Test
    @DisplayName("the relay's traffic is dropped until its side starts and after it closes, and never reaches the node")
    void relayTrafficIsDroppedWhileTheRelayIsNotRegistered() throws IOException {
        underlying.handler.handle(captured(1, "lan1"));
        port.relaySide().start(toRelay::add);
        port.relaySide().close();
        underlying.handler.handle(fromSocket(2, OTHER_NODE));

        assertTrue(toRelay.isEmpty());
        assertTrue(toNode.isEmpty());
        assertEquals(2, port.droppedForRelay());
        assertFalse(underlying.closed, "the relay's close leaves the node's transport open");
    }

    @Test
    @DisplayName("the relay's forward to this host's node is handed to the node from giaddr, and never sent")
    void forwardToTheOwnNodeStaysInProcess() throws IOException {
        port.relaySide().start(toRelay::add);
        byte[] forward = message(1, GIADDR);

        port.relaySide().send(forward, new Delivery.Unicast(OWN, PORT), Optional.empty());

        assertTrue(underlying.sent.isEmpty());
        assertEquals(1, toNode.size());
        Datagram handed = toNode.get(0);
        assertArrayEquals(forward, handed.payload());
        assertEquals(GIADDR, handed.source());
        assertEquals(PORT, handed.sourcePort());
        assertEquals(OWN, handed.localAddress());
        assertEquals(Optional.empty(), handed.interfaceName());
        assertTrue(toRelay.isEmpty());
    }

    @Test
    @DisplayName("the relay's forward to another node, or to this host at another port, goes out through the transport")
    void forwardToAnotherServerGoesOut() throws IOException {
        port.relaySide().start(toRelay::add);

        port.relaySide().send(message(1, GIADDR), new Delivery.Unicast(OTHER_NODE, PORT), Optional.empty());
        port.relaySide().send(message(1, GIADDR), new Delivery.Unicast(OWN, 6767), Optional.empty());
        port.relaySide().send(message(2, GIADDR), new Delivery.Broadcast(68), Optional.of("lan1"));

        assertEquals(3, underlying.sent.size());
        assertEquals(new Delivery.Unicast(OTHER_NODE, PORT), underlying.sent.get(0).delivery());
        assertEquals(Optional.of("lan1"), underlying.sent.get(2).interfaceName());
        assertTrue(toNode.isEmpty());
    }

    @Test
    @DisplayName("the node's reply to the relay's giaddr is handed to the relay from the address it forwarded to")
    void replyToTheRelayStaysInProcess() throws IOException {
        port.relaySide().start(toRelay::add);
        port.relaySide().send(message(1, GIADDR), new Delivery.Unicast(OWN, PORT), Optional.empty());
        byte[] reply = message(2, GIADDR);

        port.nodeSide().send(reply, new Delivery.Unicast(GIADDR, PORT), Optional.empty());

        assertTrue(underlying.sent.isEmpty());
        assertEquals(1, toRelay.size());
        Datagram handed = toRelay.get(0);
        assertArrayEquals(reply, handed.payload());
        assertEquals(OWN, handed.source());
        assertEquals(PORT, handed.sourcePort());
        assertEquals(GIADDR, handed.localAddress());
        assertEquals(Optional.empty(), handed.interfaceName());
    }

    @Test
    @DisplayName("the node's other sends go out through the transport as they would without a relay")
    void nodeSendsGoOut() throws IOException {
        port.relaySide().start(toRelay::add);

        port.nodeSide().send(message(2, Ipv4Address.ZERO), new Delivery.Broadcast(68), Optional.of("eth0"));
        port.nodeSide().send(message(2, Ipv4Address.ZERO), new Delivery.Unicast(CLIENT, 68), Optional.empty());
        port.nodeSide().send(message(2, Ipv4Address.parse("198.18.99.1")),
                new Delivery.Unicast(Ipv4Address.parse("198.18.99.1"), PORT), Optional.empty());

        assertEquals(3, underlying.sent.size());
        assertTrue(toRelay.isEmpty());
    }

    @Test
    @DisplayName("the relay's side starts only once the node's runs, and the node's close closes the transport")
    void lifeCycle() throws IOException {
        SharedPort fresh = new SharedPort(new Underlying(), List.of("lan1"), Set.of(GIADDR), PORT, Set::of);
        assertThrows(IOException.class, () -> fresh.relaySide().start(toRelay::add));

        port.nodeSide().close();

        assertTrue(underlying.closed);
    }
}
