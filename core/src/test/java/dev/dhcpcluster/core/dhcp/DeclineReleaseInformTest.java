package dev.dhcpcluster.core.dhcp;

import static dev.dhcpcluster.core.dhcp.PolicyFixture.assertDropped;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.reply;
import static dev.dhcpcluster.core.dhcp.TestPackets.decline;
import static dev.dhcpcluster.core.dhcp.TestPackets.discover;
import static dev.dhcpcluster.core.dhcp.TestPackets.inform;
import static dev.dhcpcluster.core.dhcp.TestPackets.release;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DeclineReleaseInformTest {

    private static final String MAC = "02:00:00:00:00:01";
    private static final String OTHER = "02:00:00:00:00:02";
    private static final String SERVER = TestConfigs.SERVER.toString();

    private final PolicyFixture fixture = new PolicyFixture(TestConfigs.server(TestConfigs.subnet().build())
            .declineProbation(Duration.ofMinutes(30)).build());

    private Ipv4Address offered(String mac, Ipv4Address requested) {
        return reply(fixture.decide(discover().withHardwareAddress(mac).withRequestedAddress(requested).build()),
                DhcpMessageType.OFFER).yiaddr();
    }

    @Test
    @DisplayName("#24 DECLINE quarantines the address and records it")
    void declineQuarantines() {
        Ipv4Address bound = fixture.leaseAddress(MAC);

        Decision decision = fixture.decide(decline().withHardwareAddress(MAC).withRequestedAddress(bound)
                .withServerIdentifier(SERVER).build());

        Lease lease = assertInstanceOf(Decision.Record.class, decision).lease();
        assertEquals(LeaseState.DECLINED, lease.state());
        assertEquals(bound, lease.address());
        assertNotEquals(bound, offered(OTHER, bound), "quarantined addresses are not offered");
    }

    @Test
    @DisplayName("#24 a declined address is offered again once the probation is over")
    void declinedAddressReturnsAfterProbation() {
        Ipv4Address bound = fixture.leaseAddress(MAC);
        fixture.decide(decline().withHardwareAddress(MAC).withRequestedAddress(bound).withServerIdentifier(SERVER).build());

        fixture.clock.advance(Duration.ofMinutes(30));
        fixture.table.expire(fixture.clock.millis());

        assertEquals(bound, offered(OTHER, bound));
    }

    @Test
    @DisplayName("#24 the client that declined is offered another address")
    void declinerGetsAnotherAddress() {
        Ipv4Address bound = fixture.leaseAddress(MAC);
        fixture.decide(decline().withHardwareAddress(MAC).withRequestedAddress(bound).withServerIdentifier(SERVER).build());

        assertNotEquals(bound, offered(MAC, bound));
    }

    @Test
    @DisplayName("#24 DECLINE of an address the client does not hold is ignored")
    void declineByAStrangerIsIgnored() {
        Ipv4Address bound = fixture.leaseAddress(MAC);

        assertDropped(DropReason.IGNORED, fixture.decide(decline().withHardwareAddress(OTHER)
                .withRequestedAddress(bound).withServerIdentifier(SERVER).build()));
        assertEquals(1, fixture.table.usage().subnets().get(0).bound());
    }

    @Test
    void declineWithoutTheAddressIsIgnored() {
        fixture.leaseAddress(MAC);

        assertDropped(DropReason.IGNORED,
                fixture.decide(decline().withHardwareAddress(MAC).withServerIdentifier(SERVER).build()));
    }

    @Test
    @DisplayName("#25 RELEASE frees the address and records it")
    void releaseFreesTheAddress() {
        Ipv4Address bound = fixture.leaseAddress(MAC);

        Decision decision = fixture.decide(release().withHardwareAddress(MAC).withCiaddr(bound.toString())
                .withServerIdentifier(SERVER).build());

        assertEquals(LeaseState.RELEASED, assertInstanceOf(Decision.Record.class, decision).lease().state());
        assertEquals(bound, offered(OTHER, bound));
    }

    @Test
    @DisplayName("#25 RELEASE by a client that does not hold the address changes nothing")
    void releaseByAStrangerIsIgnored() {
        Ipv4Address bound = fixture.leaseAddress(MAC);

        assertDropped(DropReason.IGNORED, fixture.decide(release().withHardwareAddress(OTHER)
                .withCiaddr(bound.toString()).withServerIdentifier(SERVER).build()));
        assertNotEquals(bound, offered(OTHER, bound));
    }

    @Test
    void releaseAddressedToAnotherServerIsIgnored() {
        Ipv4Address bound = fixture.leaseAddress(MAC);

        assertDropped(DropReason.IGNORED, fixture.decide(release().withHardwareAddress(MAC)
                .withCiaddr(bound.toString()).withServerIdentifier("198.18.0.250").build()));
    }

    @Test
    @DisplayName("#14 #26 INFORM is answered with options, yiaddr 0 and no lease")
    void informGetsOptionsOnly() {
        DhcpMessage ack = reply(fixture.decide(inform().withHardwareAddress(MAC).withCiaddr("198.18.0.77")
                .withParameterRequestList(6, 15).build()), DhcpMessageType.ACK);

        assertEquals(Ipv4Address.ZERO, ack.yiaddr());
        assertEquals(Ipv4Address.parse("198.18.0.77"), ack.ciaddr());
        assertEquals(Optional.of(TestConfigs.DNS), ack.options().address(OptionCode.DOMAIN_NAME_SERVERS));
        assertEquals(Optional.of(TestConfigs.DOMAIN), ack.options().string(OptionCode.DOMAIN_NAME));
        assertEquals(0, fixture.table.usage().subnets().get(0).bound());
    }

    @Test
    @DisplayName("#26 INFORM from an address on none of the server's networks gets no answer")
    void informFromAForeignNetworkIsDropped() {
        assertDropped(DropReason.NO_SUBNET, fixture.decide(inform().withHardwareAddress(MAC).withCiaddr("198.19.77.7")
                .build(), Ipv4Address.parse("198.19.200.1")));
        assertEquals(10, fixture.table.usage().subnets().get(0).free());
    }
}
