package dev.dhcpcluster.core.dhcp;

import static dev.dhcpcluster.core.dhcp.PolicyFixture.reply;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.writesOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Reservations keyed on what a relay agent adds (option 82, RFC 3046): the circuit-id (the
 * switch port) or the remote-id (the subscriber line) of a relayed request.
 */
class RelayReservationTest {

    private static final String RELAY = "198.18.0.254";
    private static final String MAC = "02:00:00:00:00:01";
    private static final byte[] PORT_7 = {'e', 't', 'h', '0', '/', '7'};
    private static final byte[] LINE_42 = {0, 0, 0, 42};
    private static final Ipv4Address PORT_7_ADDRESS = Ipv4Address.parse("198.18.0.70");
    private static final Ipv4Address LINE_42_ADDRESS = Ipv4Address.parse("198.18.0.42");

    private final PolicyFixture fixture = new PolicyFixture(TestConfigs.server(TestConfigs.subnet()
            .reserveForCircuitId(PORT_7, PORT_7_ADDRESS.toString())
            .reserveForRemoteId(LINE_42, LINE_42_ADDRESS.toString()).build()).build());

    private static TestPackets.Packet relayed(TestPackets.Packet packet) {
        return packet.withGiaddr(RELAY).withHops(1);
    }

    @Test
    @DisplayName("#33 a relayed client on a reserved circuit-id is offered the reserved address; option 82 comes back unchanged and last")
    void circuitIdReservationIsOffered() {
        DhcpMessage request = relayed(TestPackets.discover()).withRelayAgentSubOption(1, PORT_7)
                .withRelayAgentSubOption(2, new byte[] {1, 2, 3}).build();

        DhcpMessage offer = reply(fixture.decide(request), DhcpMessageType.OFFER);

        assertEquals(PORT_7_ADDRESS, offer.yiaddr());
        assertArrayEquals(request.options().get(OptionCode.RELAY_AGENT_INFORMATION).orElseThrow(),
                offer.options().get(OptionCode.RELAY_AGENT_INFORMATION).orElseThrow());
        List<Integer> codes = offer.options().codes();
        assertEquals(OptionCode.RELAY_AGENT_INFORMATION, codes.get(codes.size() - 1));
    }

    @Test
    @DisplayName("#33 a relayed client on a reserved remote-id is bound to the reserved address, the lease keyed on the client")
    void remoteIdReservationIsBound() {
        DhcpMessage offer = reply(fixture.decide(relayed(TestPackets.discover().withHardwareAddress(MAC))
                .withRelayAgentSubOption(2, LINE_42).build()), DhcpMessageType.OFFER);
        Decision ack = fixture.decide(relayed(TestPackets.request().withHardwareAddress(MAC))
                .withRelayAgentSubOption(2, LINE_42).withRequestedAddress(offer.yiaddr())
                .withServerIdentifier(PolicyFixture.LOCAL).build());

        assertEquals(LINE_42_ADDRESS, reply(ack, DhcpMessageType.ACK).yiaddr());
        assertEquals(ClientKey.ofHardware(HardwareAddress.parseEthernet(MAC)), writesOf(ack).get(0).clientKey());
        assertArrayEquals(new byte[] {2, 4, 0, 0, 0, 42},
                reply(ack, DhcpMessageType.ACK).options().get(OptionCode.RELAY_AGENT_INFORMATION).orElseThrow());
    }

    @Test
    @DisplayName("a circuit-id reservation does not match a client talking to the server directly with a forged option 82")
    void directClientCannotClaimACircuitIdReservation() {
        DhcpMessage offer = reply(fixture.decide(TestPackets.discover().withRelayAgentSubOption(1, PORT_7).build()),
                DhcpMessageType.OFFER);

        assertNotEquals(PORT_7_ADDRESS, offer.yiaddr());
        assertEquals(Ipv4Address.parse("198.18.0.10"), offer.yiaddr());
    }

    @Test
    @DisplayName("#18 an address reserved by circuit-id is refused to a client on another circuit")
    void circuitIdReservedAddressIsRefusedToOthers() {
        reply(fixture.decide(relayed(TestPackets.request()).withRelayAgentSubOption(1, new byte[] {'x'})
                .withRequestedAddress(PORT_7_ADDRESS).withServerIdentifier(PolicyFixture.LOCAL).build()),
                DhcpMessageType.NAK);
    }

    @Test
    @DisplayName("#21 a client renewing its circuit-id reserved address through the relay is ACKed")
    void circuitIdReservationIsRenewed() {
        DhcpMessage ack = reply(fixture.decide(relayed(TestPackets.request()).withRelayAgentSubOption(1, PORT_7)
                .withCiaddr(PORT_7_ADDRESS.toString()).build()), DhcpMessageType.ACK);

        assertEquals(PORT_7_ADDRESS, ack.yiaddr());
    }

    @Test
    @DisplayName("reservations are looked up by client-id, then hw-address, then circuit-id, then remote-id")
    void lookupOrder() {
        byte[] clientId = {1, 2, 0, 0, 0, 0, 9};
        PolicyFixture all = new PolicyFixture(TestConfigs.server(TestConfigs.subnet()
                .reserveForRemoteId(LINE_42, "198.18.0.44")
                .reserveForCircuitId(PORT_7, "198.18.0.43")
                .reserveForHardware(MAC, "198.18.0.42", null)
                .reserveForClientId(clientId, "198.18.0.41").build()).build());

        TestPackets.Packet everything = relayed(TestPackets.discover().withHardwareAddress(MAC).withClientId(clientId))
                .withRelayAgentSubOption(1, PORT_7).withRelayAgentSubOption(2, LINE_42);
        assertEquals(Ipv4Address.parse("198.18.0.41"), reply(all.decide(everything.build()), DhcpMessageType.OFFER).yiaddr());

        TestPackets.Packet noClientId = relayed(TestPackets.discover().withHardwareAddress(MAC))
                .withRelayAgentSubOption(1, PORT_7).withRelayAgentSubOption(2, LINE_42);
        assertEquals(Ipv4Address.parse("198.18.0.42"), reply(all.decide(noClientId.build()), DhcpMessageType.OFFER).yiaddr());

        TestPackets.Packet circuitAndRemote = relayed(TestPackets.discover().withHardwareAddress("02:00:00:00:00:05"))
                .withRelayAgentSubOption(2, LINE_42).withRelayAgentSubOption(1, PORT_7);
        assertEquals(Ipv4Address.parse("198.18.0.43"),
                reply(all.decide(circuitAndRemote.build()), DhcpMessageType.OFFER).yiaddr());

        TestPackets.Packet remoteOnly = relayed(TestPackets.discover().withHardwareAddress("02:00:00:00:00:06"))
                .withRelayAgentSubOption(2, LINE_42);
        assertEquals(Ipv4Address.parse("198.18.0.44"), reply(all.decide(remoteOnly.build()), DhcpMessageType.OFFER).yiaddr());
    }
}
