package dev.dhcpcluster.core.dhcp;

import static dev.dhcpcluster.core.dhcp.PolicyFixture.assertDropped;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.reply;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.writesOf;
import static dev.dhcpcluster.core.dhcp.TestPackets.request;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Subnets the server is authoritative for: clients it has no record of are told no rather than
 * left to another server. Each behaviour is shown in both modes.
 */
class AuthoritativeTest {

    private static final String MAC = "02:00:00:00:00:01";

    private final PolicyFixture authoritative = new PolicyFixture(
            TestConfigs.server(TestConfigs.subnet().authoritative().build()).build());
    private final PolicyFixture notAuthoritative = new PolicyFixture();

    @Test
    @DisplayName("#20 INIT-REBOOT of a client without record is NAKed in an authoritative subnet")
    void initRebootOfAnUnknownClientIsNakedWhenAuthoritative() {
        DhcpMessage nak = reply(authoritative.decide(request().withHardwareAddress(MAC)
                .withRequestedAddress("198.18.0.15").build()), DhcpMessageType.NAK);

        assertEquals(Ipv4Address.ZERO, nak.yiaddr());
    }

    @Test
    @DisplayName("#20 INIT-REBOOT of a client without record gets silence in a subnet that is not authoritative")
    void initRebootOfAnUnknownClientIsSilentWhenNotAuthoritative() {
        assertDropped(DropReason.UNKNOWN_CLIENT, notAuthoritative.decide(request().withHardwareAddress(MAC)
                .withRequestedAddress("198.18.0.15").build()));
    }

    @Test
    @DisplayName("#20 INIT-REBOOT of a known client's own address is ACKed in an authoritative subnet")
    void initRebootOfAKnownClientIsAckedWhenAuthoritative() {
        Ipv4Address bound = authoritative.leaseAddress(MAC);

        DhcpMessage ack = reply(authoritative.decide(request().withHardwareAddress(MAC).withRequestedAddress(bound)
                .build()), DhcpMessageType.ACK);

        assertEquals(bound, ack.yiaddr());
    }

    @Test
    @DisplayName("#21 RENEWING an address the server has no lease of is NAKed in an authoritative subnet")
    void renewingAnUnknownLeaseIsNakedWhenAuthoritative() {
        reply(authoritative.decide(request().withHardwareAddress(MAC).withCiaddr("198.18.0.15").build()),
                DhcpMessageType.NAK);
    }

    @Test
    @DisplayName("#21 RENEWING an address the server has no lease of gets silence in a subnet that is not authoritative")
    void renewingAnUnknownLeaseIsSilentWhenNotAuthoritative() {
        assertDropped(DropReason.UNKNOWN_CLIENT,
                notAuthoritative.decide(request().withHardwareAddress(MAC).withCiaddr("198.18.0.15").build()));
    }

    @Test
    @DisplayName("#22 REBINDING an address the server has no lease of is NAKed in an authoritative subnet")
    void rebindingAnUnknownLeaseIsNakedWhenAuthoritative() {
        reply(authoritative.decide(request().withHardwareAddress(MAC).withCiaddr("198.18.0.15").withBroadcastFlag()
                .build()), DhcpMessageType.NAK);
    }

    @Test
    @DisplayName("#22 REBINDING a lease known from the store is still ACKed in an authoritative subnet")
    void rebindingAStoredLeaseIsAckedWhenAuthoritative() {
        Instant now = Instant.ofEpochMilli(authoritative.clock.millis());
        authoritative.table.load(List.of(new Lease(Ipv4Address.parse("198.18.0.14"),
                ClientKey.ofHardware(HardwareAddress.parseEthernet(MAC)), HardwareAddress.parseEthernet(MAC),
                Optional.empty(), LeaseState.BOUND, now.plusSeconds(600), new LeaseVersion(0, 7, new NodeId(2)))),
                authoritative.clock.millis());

        Decision decision = authoritative.decide(request().withHardwareAddress(MAC).withCiaddr("198.18.0.14")
                .withBroadcastFlag().build());

        assertEquals(Ipv4Address.parse("198.18.0.14"), reply(decision, DhcpMessageType.ACK).yiaddr());
        assertEquals(new LeaseVersion(0, 8, new NodeId(1)), writesOf(decision).get(0).version());
    }

    @Test
    @DisplayName("#21 RENEWING the client's reserved address without a lease is ACKed, authoritative or not")
    void renewingAReservedAddressWithoutLeaseIsAcked() {
        for (boolean isAuthoritative : new boolean[] {true, false}) {
            TestConfigs.SubnetBuilder subnet = TestConfigs.subnet().reserveForHardware(MAC, "198.18.0.50", null);
            PolicyFixture fixture = new PolicyFixture(TestConfigs.server(
                    (isAuthoritative ? subnet.authoritative() : subnet).build()).build());

            DhcpMessage ack = reply(fixture.decide(request().withHardwareAddress(MAC).withCiaddr("198.18.0.50").build()),
                    DhcpMessageType.ACK);

            assertEquals(Ipv4Address.parse("198.18.0.50"), ack.yiaddr(), "authoritative " + isAuthoritative);
        }
    }

    @Test
    @DisplayName("#22 REBINDING an address on another server's network is NAKed in either mode")
    void rebindingAForeignAddressIsNakedInEitherMode() {
        reply(authoritative.decide(request().withHardwareAddress(MAC).withCiaddr("198.19.200.7").build()),
                DhcpMessageType.NAK);
        reply(notAuthoritative.decide(request().withHardwareAddress(MAC).withCiaddr("198.19.200.7").build()),
                DhcpMessageType.NAK);
    }
}
