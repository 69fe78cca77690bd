package dev.dhcpcluster.core.relay;

import static dev.dhcpcluster.core.relay.RelayFixture.ETH1;
import static dev.dhcpcluster.core.relay.RelayFixture.ETH1_OPTION;
import static dev.dhcpcluster.core.relay.RelayFixture.ETH2;
import static dev.dhcpcluster.core.relay.RelayFixture.SERVER_1;
import static dev.dhcpcluster.core.relay.RelayFixture.SERVER_2;
import static dev.dhcpcluster.core.relay.RelayFixture.SETTINGS;
import static dev.dhcpcluster.core.relay.RelayFixture.agent;
import static dev.dhcpcluster.core.relay.RelayFixture.assertDropped;
import static dev.dhcpcluster.core.relay.RelayFixture.delivered;
import static dev.dhcpcluster.core.relay.RelayFixture.forwarded;
import static dev.dhcpcluster.core.relay.RelayFixture.golden;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.MalformedPacketException;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.core.dhcp.TestPackets;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A server's reply on its way back to the client (RFC 1542 §4.1.2 and §5.4, RFC 2131 §4.1, RFC
 * 3046 §2.2): which interface it leaves by, where it goes, what the client receives, and which
 * replies the relay refuses.
 */
class RelayAgentReplyTest {

    private static final byte[] ETH1_VALUE = Arrays.copyOfRange(ETH1_OPTION, 2, ETH1_OPTION.length);
    private static final String YIADDR = "198.18.1.10";

    /** An OFFER to 02:00:00:00:00:01 through eth1, as a server sends it. */
    private static TestPackets.Packet offer() {
        return TestPackets.ofType(DhcpMessageType.OFFER).withOp(DhcpMessage.BOOTREPLY)
                .withGiaddr(RelayFixture.ETH1_ADDRESS.toString()).withHops(1).withYiaddr(YIADDR)
                .withServerIdentifier(SERVER_1).withRequestedLeaseTime(600);
    }

    @Test
    @DisplayName("an OFFER leaves by the giaddr's interface to yiaddr at chaddr, without the option 82 the relay added")
    void offerGoesToTheClientWithoutOurOption() {
        byte[] reply = offer().withRelayAgentInformation(ETH1_VALUE).encode();

        RelayDecision.ToClient delivery = delivered(agent().fromServer(reply, SERVER_1));

        assertEquals(ETH1, delivery.via());
        assertEquals(new Delivery.UnicastToHardware(Ipv4Address.parse(YIADDR), TestPackets.DEFAULT_MAC, 68),
                delivery.delivery());
        assertArrayEquals(offer().encode(), delivery.packet(), "exactly the reply a server writes without option 82");
    }

    @Test
    @DisplayName("option 82 is removed wherever it stands among the options; those after it move up, the length stays")
    void optionInTheMiddleIsRemoved() {
        byte[] reply = withOptions(53, 1, 2, 82, 6, 1, 4, 'e', 't', 'h', '1', 51, 4, 0, 0, 2, 88, 255);

        byte[] out = delivered(agent().fromServer(reply, SERVER_2)).packet();

        assertEquals(reply.length, out.length);
        assertArrayEquals(Arrays.copyOfRange(reply, 0, 240), Arrays.copyOfRange(out, 0, 240));
        assertArrayEquals(new byte[] {53, 1, 2, 51, 4, 0, 0, 2, 88, (byte) 255}, Arrays.copyOfRange(out, 240, 250));
        assertArrayEquals(new byte[out.length - 250], Arrays.copyOfRange(out, 250, out.length));
    }

    @Test
    @DisplayName("an option 82 the relay did not add (a trusted switch's) stays for the switch to remove (RFC 3046 §2.2)")
    void someoneElsesOptionStays() {
        byte[] fromSwitch = offer().withRelayAgentSubOption(1, new byte[] {'s', 'w', '1'}).encode();
        byte[] otherInterface = offer().withRelayAgentSubOption(1, new byte[] {'e', 't', 'h', '2'}).encode();

        assertArrayEquals(fromSwitch, delivered(agent().fromServer(fromSwitch, SERVER_1)).packet());
        assertArrayEquals(otherInterface, delivered(agent().fromServer(otherInterface, SERVER_1)).packet());
    }

    @Test
    @DisplayName("a request relayed with a remote-id comes back without the option the server echoed")
    void roundTripWithRemoteId() throws MalformedPacketException {
        RelayAgent agent = new RelayAgent(SETTINGS.withRemoteId(Optional.of(Octets.of(new byte[] {1, 2, 3, 4}))));
        byte[] relayed = forwarded(agent.fromClient(golden("udhcpc-discover"), "eth2")).packet();
        DhcpMessage request = DhcpCodec.decode(relayed);
        byte[] echoed = request.options().get(OptionCode.RELAY_AGENT_INFORMATION).orElseThrow();
        byte[] reply = TestPackets.ofType(DhcpMessageType.OFFER).withOp(DhcpMessage.BOOTREPLY)
                .withXid(request.xid()).withHardwareAddress(request.hardwareAddress())
                .withGiaddr(request.giaddr().toString()).withYiaddr("198.18.2.20")
                .withRelayAgentInformation(echoed).encode();

        RelayDecision.ToClient delivery = delivered(agent.fromServer(reply, SERVER_2));

        assertEquals(ETH2, delivery.via());
        assertFalse(DhcpCodec.decode(delivery.packet()).options().contains(OptionCode.RELAY_AGENT_INFORMATION));
        assertEquals(new Delivery.UnicastToHardware(Ipv4Address.parse("198.18.2.20"),
                HardwareAddress.parseEthernet("02:dc:00:00:00:02"), 68), delivery.delivery());
    }

    @Test
    @DisplayName("the broadcast flag set: broadcast (RFC 2131 §4.1)")
    void broadcastFlag() {
        byte[] reply = offer().withBroadcastFlag().encode();

        assertEquals(new Delivery.Broadcast(68), delivered(agent().fromServer(reply, SERVER_1)).delivery());
    }

    @Test
    @DisplayName("a NAK is broadcast even without the flag: the client's address is wrong")
    void nakIsBroadcast() {
        byte[] reply = TestPackets.ofType(DhcpMessageType.NAK).withOp(DhcpMessage.BOOTREPLY)
                .withGiaddr(RelayFixture.ETH1_ADDRESS.toString()).withCiaddr("198.18.1.77").encode();

        assertEquals(new Delivery.Broadcast(68), delivered(agent().fromServer(reply, SERVER_1)).delivery());
    }

    @Test
    @DisplayName("ciaddr set (a rebinding client): unicast to ciaddr")
    void ciaddrIsUnicast() {
        byte[] reply = TestPackets.ofType(DhcpMessageType.ACK).withOp(DhcpMessage.BOOTREPLY)
                .withGiaddr(RelayFixture.ETH1_ADDRESS.toString()).withCiaddr("198.18.1.77").withYiaddr("198.18.1.77")
                .encode();

        assertEquals(new Delivery.Unicast(Ipv4Address.parse("198.18.1.77"), 68),
                delivered(agent().fromServer(reply, SERVER_1)).delivery());
    }

    @Test
    @DisplayName("no yiaddr, or no hardware address to frame to: broadcast")
    void nothingToUnicastTo() {
        byte[] noYiaddr = TestPackets.ofType(DhcpMessageType.ACK).withOp(DhcpMessage.BOOTREPLY)
                .withGiaddr(RelayFixture.ETH1_ADDRESS.toString()).encode();
        byte[] noHardwareAddress = offer().withHlen(0).encode();

        assertEquals(new Delivery.Broadcast(68), delivered(agent().fromServer(noYiaddr, SERVER_1)).delivery());
        assertEquals(new Delivery.Broadcast(68), delivered(agent().fromServer(noHardwareAddress, SERVER_1)).delivery());
    }

    @Test
    @DisplayName("replies go to the configured client port")
    void clientPort() {
        RelayAgent agent = new RelayAgent(SETTINGS.withPorts(1067, 1068));

        assertEquals(new Delivery.Broadcast(1068),
                delivered(agent.fromServer(offer().withBroadcastFlag().encode(), SERVER_1)).delivery());
        assertEquals(1067, forwarded(agent.fromClient(golden("dhclient-discover"), "eth1")).servers().get(0).port());
    }

    @Test
    @DisplayName("a reply from a source that is not a configured server is dropped as spoofed")
    void spoofedReply() {
        assertDropped(RelayDropReason.SPOOFED_REPLY, agent().fromServer(offer().encode(), Ipv4Address.parse("198.18.100.9")));
    }

    @Test
    @DisplayName("a reply whose giaddr is not one of the relay's addresses, or zero, is not for this relay (RFC 1542 §4.1.2)")
    void foreignGiaddr() {
        byte[] foreign = offer().withGiaddr("198.18.3.1").encode();
        byte[] zero = offer().withGiaddr("0.0.0.0").encode();

        assertDropped(RelayDropReason.NOT_FOR_THIS_RELAY, agent().fromServer(foreign, SERVER_1));
        assertDropped(RelayDropReason.NOT_FOR_THIS_RELAY, agent().fromServer(zero, SERVER_1));
    }

    @Test
    @DisplayName("a BOOTREQUEST from a server is dropped; a malformed reply is dropped as MALFORMED")
    void badReplies() {
        byte[] request = TestPackets.discover().withGiaddr(RelayFixture.ETH1_ADDRESS.toString()).encode();
        byte[] truncated = Arrays.copyOf(offer().encode(), 250);
        truncated[241] = (byte) 200;

        assertDropped(RelayDropReason.NOT_A_REPLY, agent().fromServer(request, SERVER_1));
        assertDropped(RelayDropReason.MALFORMED, agent().fromServer(truncated, SERVER_1));
        assertDropped(RelayDropReason.MALFORMED, agent().fromServer(new byte[10], SERVER_1));
    }

    @Test
    @DisplayName("the received reply array is never changed")
    void inputIsNotModified() {
        byte[] reply = offer().withRelayAgentInformation(ETH1_VALUE).encode();
        byte[] copy = reply.clone();

        agent().fromServer(reply, SERVER_1);

        assertArrayEquals(copy, reply);
    }

    /** A 300-octet BOOTREPLY through eth1 whose options field holds {@code options}. */
    private static byte[] withOptions(int... options) {
        byte[] packet = RelayAgentRequestTest.withOptions(options);
        packet[0] = DhcpMessage.BOOTREPLY;
        RelayFixture.ETH1_ADDRESS.writeTo(packet, 24);
        return packet;
    }
}
