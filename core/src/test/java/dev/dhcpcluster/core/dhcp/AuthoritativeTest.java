package dev.dhcpcluster.core.dhcp;

import static dev.dhcpcluster.core.dhcp.PolicyFixture.assertDropped;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.reply;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.writesOf;
import static dev.dhcpcluster.core.dhcp.TestPackets.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.lease.LeaseQuery;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.Delivery;
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
        Decision decision = authoritative.decide(request().withHardwareAddress(MAC)
                .withRequestedAddress("198.18.0.15").build());

        assertEquals(Ipv4Address.ZERO, reply(decision, DhcpMessageType.NAK).yiaddr());
        assertNakBroadcastWithTableUntouched(authoritative, decision);
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
        Decision decision = authoritative.decide(request().withHardwareAddress(MAC).withCiaddr("198.18.0.15").build());

        reply(decision, DhcpMessageType.NAK);
        assertNakBroadcastWithTableUntouched(authoritative, decision);
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
        Decision decision = authoritative.decide(request().withHardwareAddress(MAC).withCiaddr("198.18.0.15")
                .withBroadcastFlag().build());

        reply(decision, DhcpMessageType.NAK);
        assertNakBroadcastWithTableUntouched(authoritative, decision);
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
        for (PolicyFixture fixture : List.of(authoritative, notAuthoritative)) {
            Decision decision = fixture.decide(request().withHardwareAddress(MAC).withCiaddr("198.19.200.7").build());

            reply(decision, DhcpMessageType.NAK);
            assertNakBroadcastWithTableUntouched(fixture, decision);
        }
    }

    /**
     * A NAK to a client on the server's own link (no relay) is broadcast (RFC 2131 §4.1), waits for
     * no write, and leaves the lease table as it was: empty here.
     */
    private static void assertNakBroadcastWithTableUntouched(PolicyFixture fixture, Decision decision) {
        assertEquals(new Delivery.Broadcast(ServerConfig.DEFAULT_CLIENT_PORT), PolicyFixture.replyOf(decision).delivery());
        assertTrue(decision instanceof Decision.Reply, "a NAK is sent at once, with nothing to write: " + decision);
        assertEquals(List.of(), fixture.table.query(LeaseQuery.all(10)).leases());
    }
}
