package dev.dhcpcluster.core.dhcp;

import static dev.dhcpcluster.core.dhcp.PolicyFixture.assertDropped;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.reply;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.replyOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.core.testing.TestConfigs.SubnetBuilder;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The subnet selection option, 118 (RFC 3011): a client (or a relay on its behalf) names the
 * subnet it wants an address on, overriding giaddr and the receiving interface.
 */
class Option118Test {

    private static final String OTHER_NETWORK = "198.18.1.0";
    private static final String UNSERVED_NETWORK = "198.18.7.0";

    /** The default subnet 198.18.0.0/24 (where the server's address lies) and 198.18.1.0/24. */
    private final PolicyFixture fixture = new PolicyFixture(TestConfigs.server(
            TestConfigs.subnet().build(),
            SubnetBuilder.of(OTHER_NETWORK, 24).pool("198.18.1.10", "198.18.1.19").build()).build());

    private static boolean inOtherSubnet(Ipv4Address address) {
        return (address.value() & 0xFFFFFF00) == Ipv4Address.parse(OTHER_NETWORK).value();
    }

    @Test
    @DisplayName("#34 option 118 selects the subnet a direct DISCOVER is served from")
    void subnetSelectionChoosesTheSubnet() {
        DhcpMessage offer = reply(fixture.decide(TestPackets.discover().withSubnetSelection(OTHER_NETWORK).build()),
                DhcpMessageType.OFFER);

        assertTrue(inOtherSubnet(offer.yiaddr()), "offered " + offer.yiaddr());
        assertEquals(Optional.of(Ipv4Address.parse("198.18.1.1")), offer.options().address(OptionCode.ROUTERS),
                "the selected subnet's router");
    }

    @Test
    @DisplayName("#15 #34 with option 118 a relayed DISCOVER gets an address of the selected subnet, not giaddr's; the OFFER goes to giaddr")
    void subnetSelectionOverridesGiaddr() {
        Decision decision = fixture.decide(TestPackets.discover().withGiaddr("198.18.0.254").withHops(1)
                .withSubnetSelection(OTHER_NETWORK).build());

        DhcpMessage offer = reply(decision, DhcpMessageType.OFFER);
        assertTrue(inOtherSubnet(offer.yiaddr()), "offered " + offer.yiaddr());
        assertEquals(new Delivery.Unicast(Ipv4Address.parse("198.18.0.254"), 67), replyOf(decision).delivery());
    }

    @Test
    @DisplayName("#15 option 118 chooses the subnet of any address in it, not only of the network address")
    void anyAddressOfTheSubnetSelectsIt() {
        DhcpMessage offer = reply(fixture.decide(TestPackets.discover().withSubnetSelection("198.18.1.200").build()),
                DhcpMessageType.OFFER);

        assertTrue(inOtherSubnet(offer.yiaddr()), "offered " + offer.yiaddr());
    }

    @Test
    @DisplayName("#34 option 118 is returned unchanged in the OFFER and in the ACK")
    void subnetSelectionIsEchoed() {
        byte[] selection = Ipv4Address.parse(OTHER_NETWORK).toBytes();
        DhcpMessage offer = reply(fixture.decide(TestPackets.discover().withSubnetSelection(OTHER_NETWORK).build()),
                DhcpMessageType.OFFER);
        assertArrayEquals(selection, offer.options().get(OptionCode.SUBNET_SELECTION).orElseThrow());

        DhcpMessage ack = reply(fixture.decide(TestPackets.request().withSubnetSelection(OTHER_NETWORK)
                .withRequestedAddress(offer.yiaddr()).withServerIdentifier(PolicyFixture.LOCAL).build()),
                DhcpMessageType.ACK);
        assertEquals(offer.yiaddr(), ack.yiaddr());
        assertArrayEquals(selection, ack.options().get(OptionCode.SUBNET_SELECTION).orElseThrow());
    }

    @Test
    @DisplayName("#34 option 118 is returned unchanged in the ACK to an INFORM")
    void subnetSelectionIsEchoedToInform() {
        DhcpMessage ack = reply(fixture.decide(TestPackets.inform().withCiaddr("198.18.1.50")
                .withSubnetSelection(OTHER_NETWORK).build()), DhcpMessageType.ACK);

        assertArrayEquals(Ipv4Address.parse(OTHER_NETWORK).toBytes(),
                ack.options().get(OptionCode.SUBNET_SELECTION).orElseThrow());
        assertEquals(Optional.of(Ipv4Address.parse("198.18.1.1")), ack.options().address(OptionCode.ROUTERS));
    }

    @Test
    @DisplayName("#34 option 118 naming a subnet the server does not serve gets no reply")
    void unknownSubnetIsSilent() {
        assertDropped(DropReason.NO_SUBNET,
                fixture.decide(TestPackets.discover().withSubnetSelection(UNSERVED_NETWORK).build()));
        assertDropped(DropReason.NO_SUBNET, fixture.decide(TestPackets.request().withSubnetSelection(UNSERVED_NETWORK)
                .withRequestedAddress("198.18.0.10").build()));
    }

    @Test
    @DisplayName("#34 option 118 naming an unserved subnet gets no reply even through a relay the server serves")
    void unknownSubnetIsSilentThroughAKnownRelay() {
        assertDropped(DropReason.NO_SUBNET, fixture.decide(TestPackets.discover().withGiaddr("198.18.0.254")
                .withHops(1).withSubnetSelection(UNSERVED_NETWORK).build()));
    }

    @Test
    @DisplayName("#34 REBINDING an address outside the subnet option 118 selects is NAKed")
    void rebindingOutsideTheSelectedSubnetIsNaked() {
        Ipv4Address address = fixture.leaseAddress("02:00:00:00:00:01");

        reply(fixture.decide(TestPackets.request().withCiaddr(address.toString()).withBroadcastFlag()
                .withSubnetSelection(OTHER_NETWORK).build()), DhcpMessageType.NAK);
    }

    @Test
    @DisplayName("#34 RENEWING with option 118 naming the lease's subnet is ACKed with the option returned")
    void renewingInTheSelectedSubnetIsAcked() {
        DhcpMessage offer = reply(fixture.decide(TestPackets.discover().withSubnetSelection(OTHER_NETWORK).build()),
                DhcpMessageType.OFFER);
        reply(fixture.decide(TestPackets.request().withSubnetSelection(OTHER_NETWORK)
                .withRequestedAddress(offer.yiaddr()).withServerIdentifier(PolicyFixture.LOCAL).build()),
                DhcpMessageType.ACK);

        DhcpMessage ack = reply(fixture.decide(TestPackets.request().withCiaddr(offer.yiaddr().toString())
                .withSubnetSelection(OTHER_NETWORK).build()), DhcpMessageType.ACK);
        assertEquals(offer.yiaddr(), ack.yiaddr());
        assertTrue(ack.options().contains(OptionCode.SUBNET_SELECTION));
    }

    @Test
    @DisplayName("#34 a malformed option 118 (not four octets) is ignored and not returned")
    void malformedSubnetSelectionIsIgnored() {
        DhcpMessage offer = reply(fixture.decide(TestPackets.discover()
                .withOption(OptionCode.SUBNET_SELECTION, new byte[] {(byte) 198, 18, 1}).build()), DhcpMessageType.OFFER);

        assertFalse(inOtherSubnet(offer.yiaddr()), "served from the receiving interface's subnet: " + offer.yiaddr());
        assertFalse(offer.options().contains(OptionCode.SUBNET_SELECTION));
    }
}
