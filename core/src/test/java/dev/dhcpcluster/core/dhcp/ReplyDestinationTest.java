package dev.dhcpcluster.core.dhcp;

import static dev.dhcpcluster.core.dhcp.TestPackets.discover;
import static dev.dhcpcluster.core.dhcp.TestPackets.inform;
import static dev.dhcpcluster.core.dhcp.TestPackets.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReplyDestinationTest {

    private static final String MAC = "02:00:00:00:00:01";
    private static final Ipv4Address YIADDR = Ipv4Address.parse("198.18.0.10");
    private final ServerConfig config = TestConfigs.server(TestConfigs.subnet().build()).relayPort(6767).build();

    private static DhcpMessage reply(DhcpMessageType type, Ipv4Address yiaddr) {
        return DhcpMessage.builder().op(DhcpMessage.BOOTREPLY).yiaddr(yiaddr)
                .options(DhcpOptions.builder().messageType(type).build()).build();
    }

    @Test
    @DisplayName("#9 a reply to a relayed request goes to giaddr on the relay port")
    void relayedRequestIsAnsweredAtTheRelay() {
        DhcpMessage relayed = discover().withHardwareAddress(MAC).withGiaddr("198.19.5.1").withCiaddr("198.19.5.20").withBroadcastFlag().build();

        assertEquals(new Delivery.Unicast(Ipv4Address.parse("198.19.5.1"), 6767),
                ReplyDestination.of(relayed, reply(DhcpMessageType.OFFER, YIADDR), config));
    }

    @Test
    @DisplayName("#9 a NAK to a relayed request also goes to the relay")
    void relayedNakGoesToTheRelay() {
        DhcpMessage relayed = request().withHardwareAddress(MAC).withGiaddr("198.19.5.1").build();

        assertEquals(new Delivery.Unicast(Ipv4Address.parse("198.19.5.1"), 6767),
                ReplyDestination.of(relayed, reply(DhcpMessageType.NAK, Ipv4Address.ZERO), config));
    }

    @Test
    @DisplayName("#10 a client with ciaddr is answered by unicast to ciaddr on port 68")
    void clientWithAnAddressGetsUnicast() {
        DhcpMessage renewing = request().withHardwareAddress(MAC).withCiaddr("198.18.0.10").withBroadcastFlag().build();

        assertEquals(new Delivery.Unicast(YIADDR, ServerConfig.DEFAULT_CLIENT_PORT),
                ReplyDestination.of(renewing, reply(DhcpMessageType.ACK, YIADDR), config));
    }

    @Test
    @DisplayName("#11 a client without address that sets the broadcast bit is answered by broadcast")
    void broadcastBitMeansBroadcast() {
        DhcpMessage request = discover().withHardwareAddress(MAC).withBroadcastFlag().build();

        assertEquals(new Delivery.Broadcast(ServerConfig.DEFAULT_CLIENT_PORT),
                ReplyDestination.of(request, reply(DhcpMessageType.OFFER, YIADDR), config));
    }

    @Test
    @DisplayName("#12 a client without address and without broadcast bit is answered at yiaddr and chaddr")
    void otherwiseUnicastToTheHardwareAddress() {
        DhcpMessage request = discover().withHardwareAddress(MAC).build();

        assertEquals(new Delivery.UnicastToHardware(YIADDR, HardwareAddress.parseEthernet(MAC),
                        ServerConfig.DEFAULT_CLIENT_PORT),
                ReplyDestination.of(request, reply(DhcpMessageType.OFFER, YIADDR), config));
    }

    @Test
    @DisplayName("#13 without a relay a NAK is always broadcast, even to a client with ciaddr")
    void directNakIsBroadcast() {
        DhcpMessage renewing = request().withHardwareAddress(MAC).withCiaddr("198.18.0.10").build();

        assertEquals(new Delivery.Broadcast(ServerConfig.DEFAULT_CLIENT_PORT),
                ReplyDestination.of(renewing, reply(DhcpMessageType.NAK, Ipv4Address.ZERO), config));
    }

    @Test
    @DisplayName("#14 the ACK to an INFORM goes straight to ciaddr")
    void informAckGoesToCiaddr() {
        DhcpMessage informing = inform().withHardwareAddress(MAC).withCiaddr("198.18.0.77").build();

        assertEquals(new Delivery.Unicast(Ipv4Address.parse("198.18.0.77"), ServerConfig.DEFAULT_CLIENT_PORT),
                ReplyDestination.of(informing, reply(DhcpMessageType.ACK, Ipv4Address.ZERO), config));
    }

    @Test
    @DisplayName("#12 a reply without yiaddr cannot be unicast to the hardware address, so it is broadcast")
    void replyWithoutYiaddrIsBroadcast() {
        DhcpMessage informing = inform().withHardwareAddress(MAC).build();

        assertEquals(new Delivery.Broadcast(ServerConfig.DEFAULT_CLIENT_PORT),
                ReplyDestination.of(informing, reply(DhcpMessageType.ACK, Ipv4Address.ZERO), config));
    }
}
