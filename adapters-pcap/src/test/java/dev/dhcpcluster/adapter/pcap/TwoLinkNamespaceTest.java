package dev.dhcpcluster.adapter.pcap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.adapter.pcap.RawNetworkPrerequisites.NeedsRawNetwork;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One transport serving two links at once, in network namespaces the test builds: a server
 * namespace with {@code srv1} (198.18.1.1/24) and {@code srv2} (198.18.2.1/24), each a veth pair
 * into a client namespace whose {@code eth0} is 198.18.1.2/24 or 198.18.2.2/24. The transport is
 * started on a thread inside the server namespace, and each client's UDP socket is opened inside
 * its own; a real DHCP client (udhcpc) proves the same for a client without an address.
 */
@NeedsRawNetwork(programs = {"ip", "udhcpc"})
class TwoLinkNamespaceTest {

    private static final int SERVER_PORT = 67;
    private static final int CLIENT_PORT = 68;
    private static final Ipv4Address SERVER_1 = Ipv4Address.parse("198.18.1.1");
    private static final Ipv4Address SERVER_2 = Ipv4Address.parse("198.18.2.1");
    private static final Ipv4Address CLIENT_1 = Ipv4Address.parse("198.18.1.2");
    private static final Ipv4Address CLIENT_2 = Ipv4Address.parse("198.18.2.2");
    /** How long a client listens to be sure that a reply meant for the other link did not come. */
    private static final int SILENCE_MILLIS = 1_000;

    private static Lab lab;
    private static String server;
    private static String client1;
    private static String client2;
    private static PcapDhcpTransport transport;
    private static DatagramSocket probe1;
    private static DatagramSocket probe2;
    private static final BlockingQueue<Datagram> RECEIVED = new LinkedBlockingQueue<>();

    @BeforeEach
    void buildTheLinksOnce() throws Exception {
        RECEIVED.clear();
        if (lab != null) {
            drain(probe1);
            drain(probe2);
            return;
        }
        lab = new Lab();
        server = lab.namespace("srv");
        client1 = lab.namespace("c1");
        client2 = lab.namespace("c2");
        lab.veth(server, "srv1", client1, "eth0");
        lab.veth(server, "srv2", client2, "eth0");
        lab.ipIn(server, "addr", "add", SERVER_1 + "/24", "dev", "srv1");
        lab.ipIn(server, "addr", "add", SERVER_2 + "/24", "dev", "srv2");
        lab.ipIn(client1, "addr", "add", CLIENT_1 + "/24", "dev", "eth0");
        lab.ipIn(client2, "addr", "add", CLIENT_2 + "/24", "dev", "eth0");
        // A client sends to 255.255.255.255 by its default route.
        lab.ipIn(client1, "route", "add", "default", "via", SERVER_1.toString());
        lab.ipIn(client2, "route", "add", "default", "via", SERVER_2.toString());

        transport = lab.inside(server, () -> {
            PcapDhcpTransport started = new PcapDhcpTransport(List.of("srv1", "srv2"), SERVER_PORT);
            started.start(RECEIVED::add);
            return started;
        });
        probe1 = lab.inside(client1, TwoLinkNamespaceTest::clientSocket);
        probe2 = lab.inside(client2, TwoLinkNamespaceTest::clientSocket);
    }

    @AfterAll
    static void tearDown() {
        if (transport != null) {
            transport.close();
        }
        if (probe1 != null) {
            probe1.close();
        }
        if (probe2 != null) {
            probe2.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void aBroadcastFromEachLinkIsDeliveredWithThatLinksNameAndAddress() throws Exception {
        broadcastFrom(probe1, "from-link-1");
        Datagram first = next();
        broadcastFrom(probe2, "from-link-2");
        Datagram second = next();

        assertArrayEquals(bytes("from-link-1"), first.payload());
        assertEquals(Optional.of("srv1"), first.interfaceName());
        assertEquals(SERVER_1, first.localAddress());
        assertEquals(CLIENT_1, first.source());
        assertEquals(CLIENT_PORT, first.sourcePort());

        assertArrayEquals(bytes("from-link-2"), second.payload());
        assertEquals(Optional.of("srv2"), second.interfaceName());
        assertEquals(SERVER_2, second.localAddress());
        assertEquals(CLIENT_2, second.source());
    }

    @Test
    void aUnicastRequestToTheServersAddressIsDeliveredWithThatAddress() throws Exception {
        probe2.send(new DatagramPacket(bytes("renew"), 5, inet(SERVER_2), SERVER_PORT));

        Datagram datagram = next();
        assertEquals(Optional.of("srv2"), datagram.interfaceName());
        assertEquals(SERVER_2, datagram.localAddress());
        assertEquals(CLIENT_2, datagram.source());
    }

    @Test
    @DisplayName("#12 a real client without an address is heard on its own link")
    void aRealClientsDiscoverArrivesOnItsLink() throws Exception {
        Process udhcpc = lab.start(client2, Lab.findProgram("udhcpc").orElseThrow().toString(),
                "-f", "-q", "-n", "-t", "3", "-T", "1", "-i", "eth0", "-s", "/bin/true");
        try {
            Datagram discover = next();
            assertEquals(Optional.of("srv2"), discover.interfaceName());
            assertEquals(SERVER_2, discover.localAddress());
            assertEquals(Ipv4Address.ZERO, discover.source());
            assertEquals(CLIENT_PORT, discover.sourcePort());
            assertTrue(discover.payload().length >= 240, "a BOOTP message");
            assertEquals(1, discover.payload()[0], "op is BOOTREQUEST");
        } finally {
            udhcpc.destroy();
            udhcpc.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBroadcastReplyLeavesByTheNamedLinkOnly() throws Exception {
        transport.send(bytes("OFFER-2"), new Delivery.Broadcast(CLIENT_PORT), Optional.of("srv2"));

        DatagramPacket packet = receive(probe2);
        assertArrayEquals(bytes("OFFER-2"), payloadOf(packet));
        assertEquals(inet(SERVER_2), packet.getAddress());
        assertEquals(SERVER_PORT, packet.getPort());
        assertNull(receiveWithin(probe1, SILENCE_MILLIS), "the other link heard nothing");
    }

    @Test
    @DisplayName("#12 a reply to yiaddr at chaddr reaches the client on the named link only")
    void aHardwareUnicastReplyReachesTheClientOnTheNamedLink() throws Exception {
        HardwareAddress client1Mac = HardwareAddress.parseEthernet(lab.macOf(client1, "eth0"));

        transport.send(bytes("ACK-1"), new Delivery.UnicastToHardware(CLIENT_1, client1Mac, CLIENT_PORT),
                Optional.of("srv1"));

        DatagramPacket packet = receive(probe1);
        assertArrayEquals(bytes("ACK-1"), payloadOf(packet));
        assertEquals(inet(SERVER_1), packet.getAddress());
        assertEquals(SERVER_PORT, packet.getPort());
        assertNull(receiveWithin(probe2, SILENCE_MILLIS), "the other link heard nothing");
    }

    @Test
    void aHardwareUnicastFrameIsAddressedToThatHardwareAddressAlone() throws Exception {
        // The client's interface is not promiscuous: a frame to another Ethernet address never
        // reaches its socket, which a broadcast would.
        HardwareAddress someoneElse = HardwareAddress.parseEthernet("02:00:00:00:00:99");
        long sentBefore = transport.datagramsSent();

        transport.send(bytes("not-yours"), new Delivery.UnicastToHardware(CLIENT_1, someoneElse, CLIENT_PORT),
                Optional.of("srv1"));

        assertEquals(sentBefore + 1, transport.datagramsSent(), "the frame was sent");
        assertNull(receiveWithin(probe1, SILENCE_MILLIS), "and did not reach the client");
    }

    @Test
    void aRoutedUnicastReplyGoesThroughTheKernel() throws Exception {
        transport.send(bytes("to-relay"), new Delivery.Unicast(CLIENT_1, CLIENT_PORT), Optional.of("srv2"));

        DatagramPacket packet = receive(probe1);
        assertArrayEquals(bytes("to-relay"), payloadOf(packet));
        assertEquals(inet(SERVER_1), packet.getAddress(), "the kernel chose the source by its route");
    }

    @Test
    void aReplyForNoKnownLinkIsCountedNotSent() throws Exception {
        long failuresBefore = transport.sendFailures();

        transport.send(bytes("where?"), new Delivery.Broadcast(CLIENT_PORT), Optional.empty());
        transport.send(bytes("where?"), new Delivery.Broadcast(CLIENT_PORT), Optional.of("eth9"));

        assertEquals(failuresBefore + 2, transport.sendFailures());
        assertNull(receiveWithin(probe1, SILENCE_MILLIS));
        assertNull(receiveWithin(probe2, 100));
    }

    @Test
    void aReplyLargerThanTheLinksMtuIsCountedNotSent() throws Exception {
        long failuresBefore = transport.sendFailures();

        transport.send(new byte[1_500], new Delivery.Broadcast(CLIENT_PORT), Optional.of("srv1"));

        assertEquals(failuresBefore + 1, transport.sendFailures());
        assertNull(receiveWithin(probe1, SILENCE_MILLIS));
    }

    @Test
    void anInterfaceThatDoesNotExistFailsStartNamingIt() throws Exception {
        PcapDhcpTransport missing = new PcapDhcpTransport(List.of("srv1", "nosuch9"), 6767);
        try {
            IOException error = assertThrows(IOException.class,
                    () -> lab.inside(server, () -> {
                        missing.start(RECEIVED::add);
                        return null;
                    }));
            assertTrue(error.getMessage().contains("nosuch9"), error.getMessage());
        } finally {
            missing.close();
        }
    }

    private static DatagramSocket clientSocket() throws IOException {
        DatagramSocket socket = new DatagramSocket(null);
        socket.setReuseAddress(true);
        socket.setBroadcast(true);
        socket.bind(new InetSocketAddress(CLIENT_PORT));
        return socket;
    }

    private static void broadcastFrom(DatagramSocket probe, String text) throws IOException {
        byte[] payload = bytes(text);
        probe.send(new DatagramPacket(payload, payload.length, inet(Ipv4Address.BROADCAST), SERVER_PORT));
    }

    private static Datagram next() throws InterruptedException {
        Datagram datagram = RECEIVED.poll(10, TimeUnit.SECONDS);
        assertNotNull(datagram, "nothing reached the handler within 10 s");
        return datagram;
    }

    private static DatagramPacket receive(DatagramSocket socket) throws IOException {
        DatagramPacket packet = receiveWithin(socket, 5_000);
        assertNotNull(packet, "nothing reached the client within 5 s");
        return packet;
    }

    private static DatagramPacket receiveWithin(DatagramSocket socket, int millis) throws IOException {
        socket.setSoTimeout(millis);
        DatagramPacket packet = new DatagramPacket(new byte[1500], 1500);
        try {
            socket.receive(packet);
            return packet;
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    private static void drain(DatagramSocket socket) throws IOException {
        while (receiveWithin(socket, 1) != null) {
            // left over from an earlier test
        }
    }

    private static byte[] payloadOf(DatagramPacket packet) {
        byte[] payload = new byte[packet.getLength()];
        System.arraycopy(packet.getData(), packet.getOffset(), payload, 0, packet.getLength());
        return payload;
    }

    private static InetAddress inet(Ipv4Address address) throws IOException {
        return InetAddress.getByAddress(address.toBytes());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
