package dev.dhcpcluster.core.dhcp;

import static dev.dhcpcluster.core.dhcp.PolicyFixture.reply;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.ClassCondition;
import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.core.testing.TestConfigs.SubnetBuilder;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Client classes: which requests belong to a class, the pools a class restricts, and the options
 * it adds. The subnet has a pool for class {@code pxe} (vendor class "PXEClient...") at
 * .100-.109, listed first, and an open pool at .10-.11.
 */
class ClientClassTest {

    /** Option 66, the TFTP server name: what a PXE class typically adds. */
    private static final int TFTP_SERVER_NAME = 66;
    private static final String MEMBER_VENDOR = "PXEClient:Arch:00000";
    private static final String MAC = "02:00:00:00:00:01";
    private static final String OTHER_MAC = "02:00:00:00:00:02";
    private static final String RELAY = "198.18.0.254";
    private static final DhcpOptions PXE_OPTIONS = DhcpOptions.builder()
            .string(TFTP_SERVER_NAME, "boot.example.test").build();

    private final PolicyFixture fixture = new PolicyFixture(TestConfigs.server(SubnetBuilder.of("198.18.0.0", 24)
            .addClassPool("198.18.0.100", "198.18.0.109", "pxe")
            .addPool("198.18.0.10", "198.18.0.11", DhcpOptions.empty()).build())
            .clientClass("pxe", PXE_OPTIONS, vendorPrefix("PXEClient")).build());

    private static ClassCondition vendorPrefix(String prefix) {
        return new ClassCondition.VendorClassPrefix(Octets.of(prefix.getBytes(StandardCharsets.US_ASCII)));
    }

    private static boolean inClassPool(Ipv4Address address) {
        int last = address.value() & 0xFF;
        return last >= 100 && last <= 109;
    }

    private DhcpMessage offer(TestPackets.Packet discover) {
        return reply(fixture.decide(discover.build()), DhcpMessageType.OFFER);
    }

    /** A member binds an address of the class pool, as a PXE client does. */
    private Ipv4Address bindAsMember(String mac) {
        Ipv4Address offered = offer(TestPackets.discover().withHardwareAddress(mac).withVendorClass(MEMBER_VENDOR)).yiaddr();
        reply(fixture.decide(TestPackets.request().withHardwareAddress(mac).withVendorClass(MEMBER_VENDOR)
                .withRequestedAddress(offered).withServerIdentifier(PolicyFixture.LOCAL).build()), DhcpMessageType.ACK);
        return offered;
    }

    @Test
    @DisplayName("a member of a class is given an address of the class's pool and the class's options")
    void memberGetsTheClassPoolAndOptions() {
        DhcpMessage offer = offer(TestPackets.discover().withVendorClass(MEMBER_VENDOR));

        assertTrue(inClassPool(offer.yiaddr()), "offered " + offer.yiaddr());
        assertEquals(Optional.of("boot.example.test"), offer.options().string(TFTP_SERVER_NAME));
    }

    @Test
    @DisplayName("a client outside the class is given an address of the open pool, without the class's options")
    void nonMemberGetsTheOpenPool() {
        DhcpMessage offer = offer(TestPackets.discover().withVendorClass("MSFT 5.0"));

        assertEquals(Ipv4Address.parse("198.18.0.10"), offer.yiaddr());
        assertTrue(offer.options().string(TFTP_SERVER_NAME).isEmpty());
    }

    @Test
    @DisplayName("a client outside the class never gets the class's pool, even when the open pool is exhausted")
    void nonMemberIsExhaustedRatherThanGivenTheClassPool() {
        offer(TestPackets.discover().withHardwareAddress("02:00:00:00:01:01"));
        offer(TestPackets.discover().withHardwareAddress("02:00:00:00:01:02"));

        Decision third = fixture.decide(TestPackets.discover().withHardwareAddress("02:00:00:00:01:03").build());

        assertInstanceOf(Decision.Exhausted.class, third);
        assertTrue(inClassPool(offer(TestPackets.discover().withHardwareAddress("02:00:00:00:01:04")
                .withVendorClass(MEMBER_VENDOR)).yiaddr()), "members still get addresses");
    }

    @Test
    @DisplayName("#15 a client outside the class asking for an address of the class's pool (option 50) is offered another")
    void requestedAddressInAForbiddenPoolIsNotOffered() {
        DhcpMessage offer = offer(TestPackets.discover().withRequestedAddress("198.18.0.105"));

        assertEquals(Ipv4Address.parse("198.18.0.10"), offer.yiaddr());
    }

    @Test
    @DisplayName("#15 a client whose binding lies in a pool it may no longer use is offered an address it may use")
    void previousBindingInAForbiddenPoolIsNotOffered() {
        Ipv4Address bound = bindAsMember(MAC);

        DhcpMessage offer = offer(TestPackets.discover().withHardwareAddress(MAC));

        assertTrue(inClassPool(bound));
        assertEquals(Ipv4Address.parse("198.18.0.10"), offer.yiaddr());
    }

    @Test
    @DisplayName("#15 a member coming back gets its previous address of the class pool")
    void memberGetsItsPreviousAddressBack() {
        Ipv4Address bound = bindAsMember(MAC);

        assertEquals(bound, offer(TestPackets.discover().withHardwareAddress(MAC).withVendorClass(MEMBER_VENDOR)).yiaddr());
    }

    @Test
    @DisplayName("#18 SELECTING an address of a pool the client may not use is NAKed")
    void selectingAForbiddenPoolIsNaked() {
        reply(fixture.decide(TestPackets.request().withRequestedAddress("198.18.0.100")
                .withServerIdentifier(PolicyFixture.LOCAL).build()), DhcpMessageType.NAK);
    }

    @Test
    @DisplayName("#20 INIT-REBOOT of an address in a pool the client may no longer use is NAKed")
    void initRebootIntoAForbiddenPoolIsNaked() {
        Ipv4Address bound = bindAsMember(MAC);

        reply(fixture.decide(TestPackets.request().withHardwareAddress(MAC).withRequestedAddress(bound).build()),
                DhcpMessageType.NAK);
        reply(fixture.decide(TestPackets.request().withHardwareAddress(MAC).withVendorClass(MEMBER_VENDOR)
                .withRequestedAddress(bound).build()), DhcpMessageType.ACK);
    }

    @Test
    @DisplayName("#21 RENEWING an address in a pool the client may no longer use is NAKed; a member's renewal is ACKed")
    void renewingInAForbiddenPoolIsNaked() {
        Ipv4Address bound = bindAsMember(MAC);

        reply(fixture.decide(TestPackets.request().withHardwareAddress(MAC).withVendorClass(MEMBER_VENDOR)
                .withCiaddr(bound.toString()).build()), DhcpMessageType.ACK);
        reply(fixture.decide(TestPackets.request().withHardwareAddress(MAC).withCiaddr(bound.toString()).build()),
                DhcpMessageType.NAK);
    }

    @Test
    @DisplayName("#22 REBINDING an address in a pool the client may no longer use is NAKed")
    void rebindingInAForbiddenPoolIsNaked() {
        Ipv4Address bound = bindAsMember(MAC);

        reply(fixture.decide(TestPackets.request().withHardwareAddress(MAC).withCiaddr(bound.toString())
                .withBroadcastFlag().build()), DhcpMessageType.NAK);
    }

    // ------------------------------------------------------------------ conditions

    private static PolicyFixture withClass(ClassCondition... conditions) {
        return new PolicyFixture(TestConfigs.server(TestConfigs.subnet().build())
                .clientClass("probe", PXE_OPTIONS, conditions).build());
    }

    private static boolean isMember(PolicyFixture fixture, TestPackets.Packet discover) {
        DhcpMessage offer = reply(fixture.decide(discover.build()), DhcpMessageType.OFFER);
        return offer.options().string(TFTP_SERVER_NAME).isPresent();
    }

    @Test
    @DisplayName("vendor class condition: option 60 must begin with the prefix")
    void vendorClassPrefixCondition() {
        PolicyFixture classes = withClass(vendorPrefix("PXEClient"));

        assertTrue(isMember(classes, TestPackets.discover().withVendorClass("PXEClient:Arch:00007")));
        assertFalse(isMember(classes, TestPackets.discover().withHardwareAddress(OTHER_MAC).withVendorClass("PXE")));
        assertFalse(isMember(classes, TestPackets.discover().withHardwareAddress("02:00:00:00:00:03")));
    }

    @Test
    @DisplayName("hardware address condition: htype must match and chaddr begin with the prefix")
    void hardwareAddressPrefixCondition() {
        PolicyFixture classes = withClass(new ClassCondition.HardwareAddressPrefix(1, Octets.of(new byte[] {2, 0x1b, 0x21})));

        assertTrue(isMember(classes, TestPackets.discover().withHardwareAddress("02:1b:21:00:00:01")));
        assertFalse(isMember(classes, TestPackets.discover().withHardwareAddress("02:1b:22:00:00:01")));
        assertFalse(isMember(classes, TestPackets.discover()
                .withHardwareAddress(HardwareAddress.of(6, new byte[] {2, 0x1b, 0x21, 0, 0, 2}))), "htype 6 is not Ethernet");
    }

    @Test
    @DisplayName("relay agent condition: a relayed request's option 82 must carry the sub-option with that value")
    void relayAgentSubOptionCondition() {
        PolicyFixture classes = withClass(new ClassCondition.RelayAgentSubOption(1, Octets.of(new byte[] {'p', '7'})));

        assertTrue(isMember(classes, TestPackets.discover().withGiaddr(RELAY).withHops(1)
                .withRelayAgentSubOption(2, new byte[] {9}).withRelayAgentSubOption(1, new byte[] {'p', '7'})));
        assertFalse(isMember(classes, TestPackets.discover().withHardwareAddress(OTHER_MAC).withGiaddr(RELAY).withHops(1)
                .withRelayAgentSubOption(1, new byte[] {'p', '8'})));
        assertFalse(isMember(classes, TestPackets.discover().withHardwareAddress("02:00:00:00:00:03")
                .withRelayAgentSubOption(1, new byte[] {'p', '7'})), "a direct client cannot claim a relay's sub-option");
    }

    @Test
    @DisplayName("a request must pass every condition of a class to belong to it")
    void everyConditionMustPass() {
        PolicyFixture classes = withClass(vendorPrefix("PXEClient"),
                new ClassCondition.HardwareAddressPrefix(1, Octets.of(new byte[] {2, 0x1b})));

        assertTrue(isMember(classes, TestPackets.discover().withHardwareAddress("02:1b:00:00:00:01")
                .withVendorClass("PXEClient")));
        assertFalse(isMember(classes, TestPackets.discover().withHardwareAddress("02:1c:00:00:00:01")
                .withVendorClass("PXEClient")));
        assertFalse(isMember(classes, TestPackets.discover().withHardwareAddress("02:1b:00:00:00:02")
                .withVendorClass("MSFT 5.0")));
    }

    @Test
    @DisplayName("#33 malformed option 82 sub-options mean no sub-options: no class, no error, echoed unchanged")
    void malformedRelayAgentInformationIsHarmless() {
        PolicyFixture classes = withClass(new ClassCondition.RelayAgentSubOption(1, Octets.of(new byte[] {'p'})));
        byte[] malformed = {1, 1, 'p', 2, 9, 1};

        DhcpMessage offer = reply(classes.decide(TestPackets.discover().withGiaddr(RELAY).withHops(1)
                .withRelayAgentInformation(malformed).build()), DhcpMessageType.OFFER);

        assertTrue(offer.options().string(TFTP_SERVER_NAME).isEmpty(), "not in the class");
        assertArrayEquals(malformed, offer.options().get(OptionCode.RELAY_AGENT_INFORMATION).orElseThrow());
        assertNotEquals(Ipv4Address.ZERO, offer.yiaddr());
    }
}
