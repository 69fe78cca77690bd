package dev.dhcpcluster.core.dhcp;

import static dev.dhcpcluster.core.dhcp.PolicyFixture.reply;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.replyOf;
import static dev.dhcpcluster.core.dhcp.TestPackets.discover;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.dhcpcluster.core.config.LeaseTimes;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReplyOptionsTest {

    private static final String MAC = "02:00:00:00:00:01";
    private static final int NTP = OptionCode.NTP_SERVERS;

    private final PolicyFixture fixture = new PolicyFixture(TestConfigs.server(TestConfigs.subnet()
            .option(NTP, Ipv4Address.parse("198.18.0.4").toBytes()).build()).build());

    private DhcpMessage offerFor(DhcpMessage discover) {
        return reply(fixture.decide(discover), DhcpMessageType.OFFER);
    }

    @Test
    @DisplayName("#28 requested options follow 53, 54, 51, 58, 59 in the client's order, then the rest")
    void parameterRequestListOrdersTheOptions() {
        DhcpMessage offer = offerFor(discover().withHardwareAddress(MAC).withParameterRequestList(15, 6, 3, 1).build());

        assertEquals(List.of(53, 54, 51, 58, 59, 15, 6, 3, 1, NTP), offer.options().codes());
    }

    @Test
    @DisplayName("#28 an option requested twice is supplied once")
    void repeatedRequestGivesOneOption() {
        DhcpMessage offer = offerFor(discover().withHardwareAddress(MAC).withParameterRequestList(6, 6, 3, 6).build());

        assertEquals(List.of(53, 54, 51, 58, 59, 6, 3, 1, 15, NTP), offer.options().codes());
    }

    @Test
    @DisplayName("#28 a requested option the server does not have is left out")
    void unknownRequestedOptionIsSkipped() {
        DhcpMessage offer = offerFor(discover().withHardwareAddress(MAC).withParameterRequestList(119, 3).build());

        assertFalse(offer.options().contains(119));
        assertEquals(List.of(53, 54, 51, 58, 59, 3, 1, 6, 15, NTP), offer.options().codes());
    }

    @Test
    @DisplayName("#28 the subnet mask comes from the subnet's prefix")
    void subnetMaskFromThePrefix() {
        DhcpMessage offer = offerFor(discover().withHardwareAddress(MAC).withParameterRequestList(1).build());

        assertEquals(Optional.of(Ipv4Address.parse("255.255.255.0")), offer.options().address(OptionCode.SUBNET_MASK));
    }

    @Test
    @DisplayName("#28 routers, DNS servers and domain name come from the subnet's options")
    void configuredOptionsAreSupplied() {
        DhcpMessage offer = offerFor(discover().withHardwareAddress(MAC).withParameterRequestList(3, 6, 15).build());

        assertEquals(Optional.of(TestConfigs.ROUTER), offer.options().address(OptionCode.ROUTERS));
        assertEquals(Optional.of(TestConfigs.DNS), offer.options().address(OptionCode.DOMAIN_NAME_SERVERS));
        assertEquals(Optional.of(TestConfigs.DOMAIN), offer.options().string(OptionCode.DOMAIN_NAME));
    }

    @Test
    @DisplayName("#28 a reservation's host name is given in option 12")
    void reservedHostNameIsSupplied() {
        PolicyFixture reserved = new PolicyFixture(TestConfigs.server(TestConfigs.subnet()
                .reserveForHardware(MAC, "198.18.0.50", "printer").build()).build());

        DhcpMessage offer = reply(reserved.decide(discover().withHardwareAddress(MAC).withParameterRequestList(12).build()), DhcpMessageType.OFFER);

        assertEquals(Optional.of("printer"), offer.options().string(OptionCode.HOST_NAME));
    }

    @Test
    @DisplayName("#23 T1 and T2 default to half and seven eighths of the lease")
    void renewalTimesDefaultToTheRfcFractions() {
        DhcpMessage offer = offerFor(discover().withHardwareAddress(MAC).build());

        assertEquals(Optional.of(1800L), offer.options().uint32(OptionCode.RENEWAL_TIME));
        assertEquals(Optional.of(3150L), offer.options().uint32(OptionCode.REBINDING_TIME));
    }

    @Test
    @DisplayName("#23 T1 < T2 < lease time holds for a granted lease shorter than the default")
    void renewalTimesScaleWithTheGrantedLease() {
        PolicyFixture flexible = new PolicyFixture(TestConfigs.server(TestConfigs.subnet().leaseTimes(new LeaseTimes(
                Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofHours(2), Duration.ofMinutes(30),
                Duration.ofMinutes(45))).build()).build());

        DhcpMessage offer = reply(flexible.decide(discover().withHardwareAddress(MAC).withRequestedLeaseTime(1200).build()), DhcpMessageType.OFFER);

        assertEquals(Optional.of(1200L), offer.options().uint32(OptionCode.LEASE_TIME));
        assertEquals(Optional.of(600L), offer.options().uint32(OptionCode.RENEWAL_TIME));
        assertEquals(Optional.of(900L), offer.options().uint32(OptionCode.REBINDING_TIME));
    }

    @Test
    @DisplayName("#29 without option 57 a reply must fit in 576 octets")
    void defaultMaximumIs576() {
        assertEquals(576, replyOf(fixture.decide(discover().withHardwareAddress(MAC).build())).maxLength());
    }

    @Test
    @DisplayName("#29 option 57 of at least 576 is honoured")
    void maximumMessageSizeIsHonoured() {
        assertEquals(1000, replyOf(fixture.decide(discover().withHardwareAddress(MAC).withMaxMessageSize(1000).build())).maxLength());
    }

    @Test
    @DisplayName("#29 option 57 below 576 is raised to 576")
    void maximumBelowTheMinimumIsRaised() {
        assertEquals(576, replyOf(fixture.decide(discover().withHardwareAddress(MAC).withMaxMessageSize(300).build())).maxLength());
    }

    @Test
    @DisplayName("#29 option 57 above the Ethernet MTU is capped at 1500")
    void maximumAboveTheMtuIsCapped() {
        assertEquals(1500, replyOf(fixture.decide(discover().withHardwareAddress(MAC).withMaxMessageSize(9000).build())).maxLength());
    }

    @Test
    @DisplayName("#29 a reply too large loses optional options from the end, never 53, 54, 51 or 61")
    void trimmingDropsOptionalOptionsFromTheEnd() {
        DhcpMessage offer = offerFor(discover().withHardwareAddress(MAC).withClientId(new byte[] {1, 2}).withParameterRequestList(3).build());

        DhcpMessage once = ReplyBuilder.withoutLastOptional(offer);
        assertEquals(List.of(53, 54, 51, 58, 59, 61, 3, 1, 6, 15), once.options().codes());

        DhcpMessage trimmed = offer;
        DhcpMessage next;
        while ((next = ReplyBuilder.withoutLastOptional(trimmed)) != null) {
            trimmed = next;
        }
        assertEquals(List.of(53, 54, 51, 61), trimmed.options().codes());
        assertNull(ReplyBuilder.withoutLastOptional(trimmed));
    }

    @Test
    @DisplayName("#33 relay agent information is the last option given up to fit a reply")
    void relayAgentInformationIsTrimmedLast() {
        DhcpMessage offer = offerFor(discover().withHardwareAddress(MAC).withGiaddr("198.18.0.254")
                .withOption(OptionCode.RELAY_AGENT_INFORMATION, new byte[] {1, 1, 9}).build());

        DhcpMessage trimmed = offer;
        for (int i = 0; i < 7; i++) { // 58, 59, 1, 3, 6, 15 and 42
            trimmed = ReplyBuilder.withoutLastOptional(trimmed);
        }
        assertEquals(List.of(53, 54, 51, 82), trimmed.options().codes());
        assertEquals(List.of(53, 54, 51), ReplyBuilder.withoutLastOptional(trimmed).options().codes());
    }
}
