package dev.dhcpcluster.adapter.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.dhcp.AbstractUdpDhcpTransportTest;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What is particular to a transport on a UDP socket, on loopback, and to this one: the wildcard
 * bind on a named interface, broadcast replies, counters and configuration errors. Broadcasts are
 * only ever sent on the loopback interface ({@code 127.255.255.255}), never to the limited
 * broadcast, which would leave the host by its default route.
 */
class UdpDhcpTransportTest extends AbstractUdpDhcpTransportTest {

    private static final Ipv4Address LOOPBACK = Ipv4Address.parse("127.0.0.1");

    private final List<AutoCloseable> resources = new ArrayList<>();

    @Override
    protected DhcpTransport newTransport(Ipv4Address bindAddress, int port) {
        return new UdpDhcpTransport(bindAddress, port, Optional.empty());
    }

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @Test
    void wildcardOnLoopbackReportsTheInterfaceAddressAndName() throws Exception {
        UdpDhcpTransport transport = own(new UdpDhcpTransport(Ipv4Address.ZERO, 0, Optional.of("lo")));
        RecordingHandler handler = new RecordingHandler();
        transport.start(handler);

        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(inet(CLIENT), 0))) {
            client.send(new DatagramPacket(new byte[] {1, 2, 3}, 3, inet(LOOPBACK), transport.port()));

            Datagram datagram = handler.next();
            assertArrayEquals(new byte[] {1, 2, 3}, datagram.payload());
            assertEquals(CLIENT, datagram.source());
            assertEquals(LOOPBACK, datagram.localAddress());
            assertEquals(Optional.of("lo"), datagram.interfaceName());
        }
    }

    @Test
    void namedInterfaceBroadcastsToItsDirectedBroadcast() throws Exception {
        UdpDhcpTransport transport = own(new UdpDhcpTransport(Ipv4Address.ZERO, 0, Optional.of("lo")));
        transport.start(new RecordingHandler());

        assertEquals(Ipv4Address.parse("127.255.255.255"), transport.broadcastAddress());
        assertEquals(LOOPBACK, transport.localAddress());
        assertNotEquals(0, transport.port());
    }

    @Test
    void broadcastReplyReachesEverySocketOnThePort() throws Exception {
        UdpDhcpTransport transport = own(new UdpDhcpTransport(Ipv4Address.ZERO, 0, Optional.of("lo")));
        transport.start(new RecordingHandler());
        int clientPort = freePort(Ipv4Address.ZERO);
        // Two sockets on one port: the kernel gives a broadcast to both, a unicast to only one.
        DatagramSocket first = own(wildcardSocket(clientPort));
        DatagramSocket second = own(wildcardSocket(clientPort));

        transport.send(bytes("OFFER"), new Delivery.Broadcast(clientPort), Optional.empty());

        assertArrayEquals(bytes("OFFER"), receive(first));
        assertArrayEquals(bytes("OFFER"), receive(second));
    }

    @Test
    @DisplayName("#12 a transport that cannot unicast to a hardware address broadcasts the reply instead")
    void unicastToHardwareIsSentAsBroadcast() throws Exception {
        UdpDhcpTransport transport = own(new UdpDhcpTransport(Ipv4Address.ZERO, 0, Optional.of("lo")));
        transport.start(new RecordingHandler());
        int clientPort = freePort(Ipv4Address.ZERO);
        DatagramSocket first = own(wildcardSocket(clientPort));
        DatagramSocket second = own(wildcardSocket(clientPort));

        transport.send(bytes("ACK"), new Delivery.UnicastToHardware(Ipv4Address.parse("127.0.0.99"),
                HardwareAddress.parseEthernet("02:00:00:00:00:01"), clientPort), Optional.empty());

        assertArrayEquals(bytes("ACK"), receive(first));
        assertArrayEquals(bytes("ACK"), receive(second));
    }

    @Test
    void unicastBindWithoutInterfaceStartsWithTheLimitedBroadcast() throws Exception {
        UdpDhcpTransport transport = own(new UdpDhcpTransport(LOOPBACK, 0, Optional.empty()));
        transport.start(new RecordingHandler());

        assertEquals(Ipv4Address.BROADCAST, transport.broadcastAddress());
        assertEquals(LOOPBACK, transport.localAddress());
    }

    @Test
    void countsWhatItSendsReceivesAndFails() throws Exception {
        UdpDhcpTransport transport = own(new UdpDhcpTransport(SERVER, 0, Optional.empty()));
        RecordingHandler handler = new RecordingHandler();
        transport.start(datagram -> {
            if (datagram.payload().length == 0) {
                throw new IllegalStateException("a handler bug, provoked by the test");
            }
            handler.handle(datagram);
        });
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(inet(CLIENT), 0))) {
            Delivery toClient = new Delivery.Unicast(CLIENT, client.getLocalPort());

            transport.send(new byte[70_000], toClient, Optional.empty());
            transport.send(bytes("fits"), toClient, Optional.empty());
            client.send(new DatagramPacket(new byte[0], 0, inet(SERVER), transport.port()));
            client.send(new DatagramPacket(new byte[1], 1, inet(SERVER), transport.port()));
            handler.next();
        }

        assertEquals(1, transport.sendFailures());
        assertEquals(1, transport.datagramsSent());
        assertEquals(2, transport.datagramsReceived());
        assertEquals(1, transport.handlerFailures());
        assertEquals(0, transport.receiveErrors());
    }

    @Test
    @DisplayName("a handler that throws on one datagram does not stop the receive thread: the next datagrams still arrive, and the failure is counted")
    void handlerFailureDoesNotStopReceiving() throws Exception {
        UdpDhcpTransport transport = own(new UdpDhcpTransport(SERVER, 0, Optional.empty()));
        RecordingHandler handler = new RecordingHandler();
        transport.start(datagram -> {
            if (new String(datagram.payload(), StandardCharsets.US_ASCII).startsWith("poison")) {
                throw new IllegalArgumentException("a handler bug, provoked by the test");
            }
            handler.handle(datagram);
        });
        try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(inet(CLIENT), 0))) {
            for (String payload : List.of("poison-1", "after-1", "poison-2", "after-2")) {
                client.send(new DatagramPacket(bytes(payload), payload.length(), inet(SERVER), transport.port()));
            }

            assertArrayEquals(bytes("after-1"), handler.next().payload());
            assertArrayEquals(bytes("after-2"), handler.next().payload());
        }

        assertEquals(4, transport.datagramsReceived());
        assertEquals(2, transport.handlerFailures());
        assertEquals(0, transport.receiveErrors());
    }

    @Test
    void sendAfterCloseIsCountedNotThrown() throws Exception {
        UdpDhcpTransport transport = own(new UdpDhcpTransport(SERVER, 0, Optional.empty()));
        transport.start(new RecordingHandler());
        transport.close();

        transport.send(bytes("late"), new Delivery.Unicast(CLIENT, 6767), Optional.empty());

        assertEquals(1, transport.sendFailures());
    }

    @Test
    void sendBeforeStartIsAProgrammingError() {
        UdpDhcpTransport transport = own(new UdpDhcpTransport(SERVER, 0, Optional.empty()));

        assertThrows(IllegalStateException.class, () -> transport.send(bytes("early"), new Delivery.Unicast(CLIENT, 6767), Optional.empty()));
    }

    @Test
    void startAfterCloseIsRefused() {
        UdpDhcpTransport transport = own(new UdpDhcpTransport(SERVER, 0, Optional.empty()));
        transport.close();

        assertThrows(IllegalStateException.class, () -> transport.start(new RecordingHandler()));
    }

    @Test
    void portTakenByAnotherSocketFailsStartNamingTheAddress() throws Exception {
        try (DatagramSocket squatter = new DatagramSocket(null)) {
            squatter.setReuseAddress(false);
            squatter.bind(new InetSocketAddress(inet(SERVER), 0));
            UdpDhcpTransport transport = own(new UdpDhcpTransport(SERVER, squatter.getLocalPort(), Optional.empty()));

            IOException error = assertThrows(IOException.class, () -> transport.start(new RecordingHandler()));

            assertTrue(error.getMessage().contains(SERVER + ":" + squatter.getLocalPort()), error.getMessage());
        }
    }

    @Test
    @DisplayName("a second node on the same address and port does not start: the port is in use, even for a socket that allows address reuse")
    void aPortHeldByAnotherNodeFailsStartSayingItIsInUse() throws Exception {
        try (DatagramSocket otherNode = new DatagramSocket(null)) {
            // What the transport itself set until now: with it on both sockets, both would bind.
            otherNode.setReuseAddress(true);
            otherNode.bind(new InetSocketAddress(inet(SERVER), 0));
            int port = otherNode.getLocalPort();
            UdpDhcpTransport transport = own(new UdpDhcpTransport(SERVER, port, Optional.empty()));

            IOException error = assertThrows(IOException.class, () -> transport.start(new RecordingHandler()));

            assertEquals(SERVER + ":" + port + " is already in use by another process", error.getMessage());
        }
    }

    @Test
    void twoTransportsOnOneAddressAndPortDoNotBothStart() throws Exception {
        UdpDhcpTransport first = own(new UdpDhcpTransport(SERVER, 0, Optional.empty()));
        first.start(new RecordingHandler());
        UdpDhcpTransport second = own(new UdpDhcpTransport(SERVER, first.port(), Optional.empty()));

        IOException error = assertThrows(IOException.class, () -> second.start(new RecordingHandler()));

        assertEquals(SERVER + ":" + first.port() + " is already in use by another process", error.getMessage());
    }

    @Test
    @DisplayName("a node and a relay-style client on two loopback addresses share one port")
    void transportsOnDifferentUnicastAddressesShareAPort() throws Exception {
        UdpDhcpTransport node = own(new UdpDhcpTransport(LOOPBACK, 0, Optional.empty()));
        node.start(new RecordingHandler());
        try (DatagramSocket relay = new DatagramSocket(new InetSocketAddress(inet(Ipv4Address.parse("127.0.0.2")),
                node.port()))) {
            assertEquals(node.port(), relay.getLocalPort());
        }
    }

    @Test
    void unknownInterfaceFailsStartNamingIt() {
        UdpDhcpTransport transport = own(new UdpDhcpTransport(Ipv4Address.ZERO, 0, Optional.of("nosuch9")));

        IOException error = assertThrows(IOException.class, () -> transport.start(new RecordingHandler()));

        assertTrue(error.getMessage().contains("nosuch9"), error.getMessage());
    }

    @Test
    void boundAddressMissingFromTheNamedInterfaceFailsStart() {
        UdpDhcpTransport transport = own(new UdpDhcpTransport(SERVER, 0, Optional.of("lo")));

        IOException error = assertThrows(IOException.class, () -> transport.start(new RecordingHandler()));

        assertTrue(error.getMessage().contains(SERVER.toString()), error.getMessage());
    }

    @Test
    void wildcardWithoutInterfaceIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new UdpDhcpTransport(Ipv4Address.ZERO, 67, Optional.empty()));
    }

    @Test
    void impossibleSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new UdpDhcpTransport(SERVER, 65_536, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new UdpDhcpTransport(SERVER, -1, Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new UdpDhcpTransport(SERVER, 67, Optional.of(" ")));
    }

    private <T extends AutoCloseable> T own(T resource) {
        resources.add(resource);
        return resource;
    }

    private static DatagramSocket wildcardSocket(int port) throws IOException {
        DatagramSocket socket = new DatagramSocket(null);
        socket.setReuseAddress(true);
        socket.setSoTimeout(5_000);
        socket.bind(new InetSocketAddress(port));
        return socket;
    }

    private static byte[] receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
        socket.receive(packet);
        byte[] payload = new byte[packet.getLength()];
        System.arraycopy(packet.getData(), 0, payload, 0, packet.getLength());
        return payload;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
