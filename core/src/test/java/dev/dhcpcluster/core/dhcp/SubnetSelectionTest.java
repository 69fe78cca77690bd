package dev.dhcpcluster.core.dhcp;

import static dev.dhcpcluster.core.dhcp.PolicyFixture.assertDropped;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.reply;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.replyOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.core.testing.TestConfigs.SubnetBuilder;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How a request's subnet is chosen: relay link selection (RFC 3527), giaddr, receiving interface. */
class SubnetSelectionTest {

    private static final String RELAY = "198.18.0.254";
    private static final byte[] SUBNET_B = Ipv4Address.parse("198.18.1.0").toBytes();

    private static final PolicyFixture twoSubnets() {
        return new PolicyFixture(TestConfigs.server(
                TestConfigs.subnet().build(),
                SubnetBuilder.of("198.18.1.0", 24).pool("198.18.1.10", "198.18.1.19").build()).build());
    }

    private static boolean inSubnetB(Ipv4Address address) {
        return (address.value() & 0xFFFFFF00) == Ipv4Address.parse("198.18.1.0").value();
    }

    private static boolean inSubnetA(Ipv4Address address) {
        return (address.value() & 0xFFFFFF00) == Ipv4Address.parse("198.18.0.0").value();
    }

    @Test
    @DisplayName("#15 the link selection sub-option of a relayed request chooses the subnet; the OFFER goes to giaddr")
    void linkSelectionChoosesTheSubnet() {
        PolicyFixture fixture = twoSubnets();

        Decision decision = fixture.decide(TestPackets.discover().withGiaddr(RELAY).withHops(1)
                .withRelayAgentSubOption(RelayAgentInformation.LINK_SELECTION, SUBNET_B).build());

        DhcpMessage offer = reply(decision, DhcpMessageType.OFFER);
        assertTrue(inSubnetB(offer.yiaddr()), "offered " + offer.yiaddr());
        assertEquals(new Delivery.Unicast(Ipv4Address.parse(RELAY), 67), replyOf(decision).delivery());
    }

    @Test
    @DisplayName("#33 option 82 carrying link selection is echoed unchanged as the last option")
    void linkSelectionIsEchoedInsideOption82() {
        PolicyFixture fixture = twoSubnets();
        DhcpMessage request = TestPackets.discover().withGiaddr(RELAY).withHops(1)
                .withRelayAgentSubOption(RelayAgentInformation.CIRCUIT_ID, new byte[] {7})
                .withRelayAgentSubOption(RelayAgentInformation.LINK_SELECTION, SUBNET_B).build();

        DhcpMessage offer = reply(fixture.decide(request), DhcpMessageType.OFFER);

        assertArrayEquals(request.options().get(OptionCode.RELAY_AGENT_INFORMATION).orElseThrow(),
                offer.options().get(OptionCode.RELAY_AGENT_INFORMATION).orElseThrow());
        List<Integer> codes = offer.options().codes();
        assertEquals(OptionCode.RELAY_AGENT_INFORMATION, codes.get(codes.size() - 1));
    }

    @Test
    @DisplayName("#15 link selection ranks above option 118")
    void linkSelectionBeatsSubnetSelection() {
        PolicyFixture fixture = twoSubnets();

        DhcpMessage offer = reply(fixture.decide(TestPackets.discover().withGiaddr(RELAY).withHops(1)
                .withSubnetSelection("198.18.0.0")
                .withRelayAgentSubOption(RelayAgentInformation.LINK_SELECTION, SUBNET_B).build()), DhcpMessageType.OFFER);

        assertTrue(inSubnetB(offer.yiaddr()), "offered " + offer.yiaddr());
    }

    @Test
    @DisplayName("#15 link selection in a request that was not relayed is ignored: a client cannot forge it")
    void linkSelectionWithoutGiaddrIsIgnored() {
        PolicyFixture fixture = twoSubnets();

        DhcpMessage offer = reply(fixture.decide(TestPackets.discover()
                .withRelayAgentSubOption(RelayAgentInformation.LINK_SELECTION, SUBNET_B).build()), DhcpMessageType.OFFER);

        assertTrue(inSubnetA(offer.yiaddr()), "offered " + offer.yiaddr());
    }

    @Test
    @DisplayName("#15 link selection naming a subnet the server does not serve gets no reply")
    void unservedLinkSelectionIsSilent() {
        PolicyFixture fixture = twoSubnets();

        assertDropped(DropReason.NO_SUBNET, fixture.decide(TestPackets.discover().withGiaddr(RELAY).withHops(1)
                .withRelayAgentSubOption(RelayAgentInformation.LINK_SELECTION,
                        Ipv4Address.parse("198.18.9.0").toBytes()).build()));
    }

    @Test
    @DisplayName("#22 REBINDING through a relay whose link selection names another subnet than the lease's is NAKed")
    void rebindingAgainstTheLinkSelectionIsNaked() {
        PolicyFixture fixture = twoSubnets();
        Ipv4Address address = fixture.leaseAddress("02:00:00:00:00:01");

        reply(fixture.decide(TestPackets.request().withCiaddr(address.toString()).withGiaddr(RELAY).withHops(1)
                .withRelayAgentSubOption(RelayAgentInformation.LINK_SELECTION, SUBNET_B).build()), DhcpMessageType.NAK);
    }

    /** Two subnets bound to two interfaces; the server's address (the identifier) lies in neither interface's subnet. */
    private static PolicyFixture twoInterfaces() {
        return new PolicyFixture(TestConfigs.server(
                SubnetBuilder.of("198.18.2.0", 24).pool("198.18.2.10", "198.18.2.19").interfaceName("lan-a").build(),
                SubnetBuilder.of("198.18.3.0", 24).pool("198.18.3.10", "198.18.3.19").interfaceName("lan-b").build(),
                TestConfigs.subnet().build()).build());
    }

    @Test
    @DisplayName("#15 a direct DISCOVER is served from the subnet of the interface it arrived on")
    void interfaceChoosesTheSubnet() {
        PolicyFixture fixture = twoInterfaces();

        DhcpMessage onA = reply(fixture.decide(TestPackets.discover().withHardwareAddress("02:00:00:00:00:0a").build(),
                PolicyFixture.LOCAL, "lan-a"), DhcpMessageType.OFFER);
        DhcpMessage onB = reply(fixture.decide(TestPackets.discover().withHardwareAddress("02:00:00:00:00:0b").build(),
                PolicyFixture.LOCAL, "lan-b"), DhcpMessageType.OFFER);

        assertEquals(0xC6120200, onA.yiaddr().value() & 0xFFFFFF00, "offered on lan-a: " + onA.yiaddr());
        assertEquals(0xC6120300, onB.yiaddr().value() & 0xFFFFFF00, "offered on lan-b: " + onB.yiaddr());
        assertEquals(Ipv4Address.parse("198.18.3.1"), onB.options().address(OptionCode.ROUTERS).orElseThrow());
    }

    @Test
    @DisplayName("#15 a direct DISCOVER on an interface no subnet names is served from the subnet of the receiving address")
    void unnamedInterfaceFallsBackToTheAddress() {
        PolicyFixture fixture = twoInterfaces();

        DhcpMessage offer = reply(fixture.decide(TestPackets.discover().build(), PolicyFixture.LOCAL, "lan-c"),
                DhcpMessageType.OFFER);

        assertTrue(inSubnetA(offer.yiaddr()), "offered " + offer.yiaddr());
    }

    @Test
    @DisplayName("#20 INIT-REBOOT on another interface than the lease's subnet is NAKed")
    void initRebootOnTheWrongInterfaceIsNaked() {
        PolicyFixture fixture = twoInterfaces();
        DhcpMessage offer = reply(fixture.decide(TestPackets.discover().build(), PolicyFixture.LOCAL, "lan-a"),
                DhcpMessageType.OFFER);
        reply(fixture.decide(TestPackets.request().withRequestedAddress(offer.yiaddr())
                .withServerIdentifier(PolicyFixture.LOCAL).build(), PolicyFixture.LOCAL, "lan-a"), DhcpMessageType.ACK);

        reply(fixture.decide(TestPackets.request().withRequestedAddress(offer.yiaddr()).build(),
                PolicyFixture.LOCAL, "lan-b"), DhcpMessageType.NAK);
        reply(fixture.decide(TestPackets.request().withRequestedAddress(offer.yiaddr()).build(),
                PolicyFixture.LOCAL, "lan-a"), DhcpMessageType.ACK);
    }

    @Test
    @DisplayName("#26 a direct INFORM without ciaddr is answered with the options of its interface's subnet")
    void informWithoutCiaddrUsesTheInterface() {
        PolicyFixture fixture = twoInterfaces();

        DhcpMessage ack = reply(fixture.decide(TestPackets.inform().build(), PolicyFixture.LOCAL, "lan-b"),
                DhcpMessageType.ACK);

        assertEquals(Ipv4Address.parse("198.18.3.1"), ack.options().address(OptionCode.ROUTERS).orElseThrow());
    }
}
