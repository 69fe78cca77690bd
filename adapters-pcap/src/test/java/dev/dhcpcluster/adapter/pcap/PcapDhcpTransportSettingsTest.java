package dev.dhcpcluster.adapter.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What a pcap transport refuses before it opens a capture, so these need no privilege (the UDP
 * socket, bound first, is the one thing a start may get to).
 */
class PcapDhcpTransportSettingsTest {

    @Test
    void impossibleSettingsAreRefusedNamingTheProblem() {
        assertTrue(refused(List.of(), 67).contains("at least one interface"));
        assertTrue(refused(List.of("eth1", "eth2", "eth1"), 67).contains("\"eth1\" is named twice"));
        assertTrue(refused(List.of("eth1", " "), 67).contains("blank"));
        assertTrue(refused(Arrays.asList("eth1", null), 67).contains("blank"));
        assertTrue(refused(List.of("eth1"), 65_536).contains("65536"));
        assertTrue(refused(List.of("eth1"), -1).contains("-1"));
    }

    @Test
    void theInterfacesAreKeptInTheGivenOrder() {
        PcapDhcpTransport transport = new PcapDhcpTransport(List.of("eth2", "eth1"), 67);

        assertEquals(List.of("eth2", "eth1"), transport.interfaceNames());
    }

    @Test
    void sendBeforeStartIsAProgrammingError() {
        PcapDhcpTransport transport = new PcapDhcpTransport(List.of("eth1"), 67);

        assertThrows(IllegalStateException.class,
                () -> transport.send(new byte[1], new Delivery.Broadcast(68), Optional.of("eth1")));
        assertThrows(IllegalStateException.class, transport::localPort);
        assertThrows(IllegalStateException.class, () -> transport.localAddress("eth1"));
    }

    @Test
    void sendAfterCloseIsCountedNotThrown() {
        PcapDhcpTransport transport = new PcapDhcpTransport(List.of("eth1"), 67);
        transport.close();

        transport.send(new byte[1], new Delivery.Unicast(Ipv4Address.parse("198.18.1.2"), 68), Optional.empty());

        assertEquals(1, transport.sendFailures());
    }

    @Test
    @DisplayName("a port another socket holds fails the start, before any capture is opened, saying it is in use")
    void aPortInUseFailsTheStartSayingSo() throws Exception {
        try (DatagramSocket otherServer = new DatagramSocket(null)) {
            otherServer.setReuseAddress(true);
            otherServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = otherServer.getLocalPort();
            PcapDhcpTransport transport = new PcapDhcpTransport(List.of("lo"), Ipv4Address.parse("127.0.0.1"), port);
            try {
                IOException error = assertThrows(IOException.class, () -> transport.start(datagram -> { }));

                assertEquals("127.0.0.1:" + port + " is already in use by another process", error.getMessage());
            } finally {
                transport.close();
            }
        }
    }

    @Test
    void startAfterCloseIsRefused() {
        PcapDhcpTransport transport = new PcapDhcpTransport(List.of("eth1"), 67);
        transport.close();

        assertThrows(IllegalStateException.class, () -> transport.start(datagram -> { }));
    }

    private static String refused(List<String> interfaces, int port) {
        return assertThrows(IllegalArgumentException.class, () -> new PcapDhcpTransport(interfaces, port)).getMessage();
    }
}
