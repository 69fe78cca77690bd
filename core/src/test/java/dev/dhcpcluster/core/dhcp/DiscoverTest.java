package dev.dhcpcluster.core.dhcp;

import static dev.dhcpcluster.core.dhcp.PolicyFixture.assertDropped;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.reply;
import static dev.dhcpcluster.core.dhcp.TestPackets.discover;
import static dev.dhcpcluster.core.dhcp.TestPackets.release;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.LeaseTimes;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DiscoverTest {

    private static final String MAC = "02:00:00:00:00:01";
    private static final String OTHER = "02:00:00:00:00:02";

    private final PolicyFixture fixture = new PolicyFixture();

    private Ipv4Address offered(PolicyFixture on, DhcpMessage discover) {
        return reply(on.decide(discover), DhcpMessageType.OFFER).yiaddr();
    }

    private Ipv4Address offered(DhcpMessage discover) {
        return offered(fixture, discover);
    }

    private static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }

    @Test
    @DisplayName("#15 a new client is offered a free address of the pool")
    void newClientGetsAPoolAddress() {
        assertEquals(ip("198.18.0.10"), offered(discover().withHardwareAddress(MAC).build()));
    }

    @Test
    @DisplayName("#15 a bound client is offered its current binding")
    void boundClientGetsItsBinding() {
        fixture.leaseAddress(OTHER);
        Ipv4Address bound = fixture.leaseAddress(MAC);

        assertEquals(bound, offered(discover().withHardwareAddress(MAC).withRequestedAddress("198.18.0.17").build()));
    }

    @Test
    @DisplayName("#15 a client whose lease expired is offered its previous address while it is free")
    void returningClientGetsItsPreviousAddress() {
        Ipv4Address before = fixture.leaseAddress(MAC);
        fixture.clock.advance(TestConfigs.LEASE.plusHours(3));
        fixture.table.expire(fixture.clock.millis());

        assertEquals(before, offered(discover().withHardwareAddress(MAC).build()));
    }

    @Test
    @DisplayName("#15 a returning client's previous address comes before the address it asks for")
    void previousAddressComesBeforeTheRequestedOne() {
        Ipv4Address before = fixture.leaseAddress(MAC);
        fixture.clock.advance(TestConfigs.LEASE.plusMinutes(5));
        fixture.table.expire(fixture.clock.millis());

        assertEquals(before, offered(discover().withHardwareAddress(MAC).withRequestedAddress("198.18.0.17").build()));
    }

    @Test
    @DisplayName("#15 a client whose previous address went to another client gets a new one")
    void previousAddressTakenMeansANewOne() {
        Ipv4Address before = fixture.leaseAddress(MAC);
        fixture.clock.advance(TestConfigs.LEASE.plusSeconds(1));
        fixture.table.expire(fixture.clock.millis());
        Ipv4Address taken = offered(discover().withHardwareAddress(OTHER).withRequestedAddress(before.toString()).build());
        assertEquals(before, taken, "the expired address is free for others");

        assertNotEquals(before, offered(discover().withHardwareAddress(MAC).build()));
    }

    @Test
    @DisplayName("#15 the requested address (50) is offered when it is valid and free")
    void requestedAddressIsOfferedWhenFree() {
        assertEquals(ip("198.18.0.17"), offered(discover().withHardwareAddress(MAC).withRequestedAddress("198.18.0.17").build()));
    }

    @Test
    @DisplayName("#15 a requested address held by another client is not offered")
    void requestedAddressInUseIsNotOffered() {
        Ipv4Address taken = fixture.leaseAddress(OTHER);

        Ipv4Address offer = offered(discover().withHardwareAddress(MAC).withRequestedAddress(taken.toString()).build());

        assertNotEquals(taken, offer);
    }

    @Test
    @DisplayName("#15 a requested address outside the pool is not offered")
    void requestedAddressOutsideThePoolIsNotOffered() {
        assertEquals(ip("198.18.0.10"), offered(discover().withHardwareAddress(MAC).withRequestedAddress("198.18.0.100").build()));
    }

    @Test
    @DisplayName("#15 the router and server addresses are never offered, even when requested")
    void infrastructureIsNeverOffered() {
        PolicyFixture wide = new PolicyFixture(TestConfigs.server(TestConfigs.subnet()
                .pool("198.18.0.1", "198.18.0.20").build()).build());

        assertEquals(ip("198.18.0.3"), offered(wide, discover().withHardwareAddress(MAC).withRequestedAddress("198.18.0.1").build()));
        assertEquals(ip("198.18.0.4"), offered(wide, discover().withHardwareAddress(OTHER).withRequestedAddress("198.18.0.2").build()));
    }

    @Test
    @DisplayName("#15 a client with a reservation is offered its reserved address first of all")
    void reservationComesFirst() {
        PolicyFixture reserved = new PolicyFixture(TestConfigs.server(TestConfigs.subnet()
                .reserveForHardware(MAC, "198.18.0.50", null).build()).build());

        assertEquals(ip("198.18.0.50"), offered(reserved, discover().withHardwareAddress(MAC).withRequestedAddress("198.18.0.12").build()));
    }

    @Test
    @DisplayName("#27 a reservation by client identifier matches whatever the hardware address")
    void clientIdReservationMatches() {
        byte[] id = {0, 'h', 'o', 's', 't'};
        PolicyFixture reserved = new PolicyFixture(TestConfigs.server(TestConfigs.subnet()
                .reserveForClientId(id, "198.18.0.60").build()).build());

        assertEquals(ip("198.18.0.60"), offered(reserved, discover().withHardwareAddress(OTHER).withClientId(id).build()));
    }

    @Test
    @DisplayName("#15 a reserved address is never offered to another client")
    void reservedAddressIsNotOfferedToOthers() {
        PolicyFixture reserved = new PolicyFixture(TestConfigs.server(TestConfigs.subnet()
                .reserveForHardware(MAC, "198.18.0.10", null).build()).build());

        assertEquals(ip("198.18.0.11"), offered(reserved, discover().withHardwareAddress(OTHER).withRequestedAddress("198.18.0.10").build()));
    }

    @Test
    @DisplayName("#15 a relayed request is served from the subnet of giaddr")
    void relayedRequestUsesTheRelaySubnet() {
        SubnetConfig remote = TestConfigs.SubnetBuilder.of("198.19.5.0", 24).pool("198.19.5.100", "198.19.5.110").build();
        PolicyFixture two = new PolicyFixture(TestConfigs.server(TestConfigs.subnet().build(), remote).build());

        assertEquals(ip("198.19.5.100"), offered(two, discover().withHardwareAddress(MAC).withGiaddr("198.19.5.1").build()));
    }

    @Test
    @DisplayName("#15 a relay address listed for a subnet selects it even outside the subnet")
    void listedRelayAddressSelectsTheSubnet() {
        SubnetConfig remote = TestConfigs.SubnetBuilder.of("198.19.5.0", 24).pool("198.19.5.100", "198.19.5.110")
                .relay("198.19.200.1").build();
        PolicyFixture two = new PolicyFixture(TestConfigs.server(TestConfigs.subnet().build(), remote).build());

        assertEquals(ip("198.19.5.100"), offered(two, discover().withHardwareAddress(MAC).withGiaddr("198.19.200.1").build()));
    }

    @Test
    @DisplayName("#15 a direct request is served from the subnet of the receiving interface")
    void directRequestUsesTheInterfaceSubnet() {
        SubnetConfig second = TestConfigs.SubnetBuilder.of("198.19.5.0", 24).pool("198.19.5.100", "198.19.5.110").build();
        PolicyFixture two = new PolicyFixture(TestConfigs.server(TestConfigs.subnet().build(), second).build());

        assertEquals(ip("198.19.5.100"), reply(two.decide(discover().withHardwareAddress(MAC).build(), ip("198.19.5.2")),
                DhcpMessageType.OFFER).yiaddr());
    }

    @Test
    void requestFromALinkWithoutSubnetIsDropped() {
        assertDropped(DropReason.NO_SUBNET, fixture.decide(discover().withHardwareAddress(MAC).build(), ip("198.19.77.1")));
        assertDropped(DropReason.NO_SUBNET, fixture.decide(discover().withHardwareAddress(MAC).withGiaddr("198.19.77.1").build()));
    }

    @Test
    @DisplayName("#17 a repeated DISCOVER gets the address already offered")
    void repeatedDiscoverGetsTheSameOffer() {
        Ipv4Address first = offered(discover().withHardwareAddress(MAC).build());

        assertEquals(first, offered(discover().withHardwareAddress(MAC).build()));
        assertEquals(1, fixture.table.usage().subnets().get(0).offered());
    }

    @Test
    @DisplayName("#17 an offered address is not offered to another client during the hold")
    void offeredAddressIsHeld() {
        Ipv4Address first = offered(discover().withHardwareAddress(MAC).build());

        assertNotEquals(first, offered(discover().withHardwareAddress(OTHER).withRequestedAddress(first.toString()).build()));
    }

    @Test
    @DisplayName("#17 an offered address is free again once the hold has passed without a REQUEST")
    void offerLapses() {
        Ipv4Address first = offered(discover().withHardwareAddress(MAC).build());
        fixture.clock.advance(fixture.config.offerHold());
        fixture.table.expire(fixture.clock.millis());

        assertEquals(first, offered(discover().withHardwareAddress(OTHER).withRequestedAddress(first.toString()).build()));
    }

    @Test
    void exhaustedPoolDropsTheDiscoverAndReportsOncePerInterval() {
        PolicyFixture tiny = new PolicyFixture(TestConfigs.server(TestConfigs.subnet()
                .pool("198.18.0.10", "198.18.0.10").build()).build());
        offered(tiny, discover().withHardwareAddress(MAC).build());

        Decision first = tiny.decide(discover().withHardwareAddress(OTHER).build());
        Decision second = tiny.decide(discover().withHardwareAddress("02:00:00:00:00:03").build());
        tiny.clock.advance(DhcpPolicy.EXHAUSTION_REPORT_INTERVAL);
        Decision later = tiny.decide(discover().withHardwareAddress("02:00:00:00:00:04").build());

        assertTrue(assertInstanceOf(Decision.Exhausted.class, first).reportDue());
        assertFalse(assertInstanceOf(Decision.Exhausted.class, second).reportDue());
        assertTrue(assertInstanceOf(Decision.Exhausted.class, later).reportDue());
    }

    @Test
    @DisplayName("#16 without a requested lease time the configured lifetime is offered")
    void configuredLifetimeByDefault() {
        DhcpMessage offer = reply(fixture.decide(discover().withHardwareAddress(MAC).build()), DhcpMessageType.OFFER);

        assertEquals(Optional.of(3600L), offer.options().uint32(OptionCode.LEASE_TIME));
    }

    @Test
    @DisplayName("#16 a requested lease time is granted within the configured bounds")
    void requestedLeaseTimeIsClamped() {
        PolicyFixture flexible = new PolicyFixture(TestConfigs.server(TestConfigs.subnet().leaseTimes(new LeaseTimes(
                Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofHours(2), Duration.ofMinutes(30),
                Duration.ofMinutes(45))).build()).build());

        assertEquals(Optional.of(1800L), reply(flexible.decide(discover().withHardwareAddress(MAC).withRequestedLeaseTime(1800).build()),
                DhcpMessageType.OFFER).options().uint32(OptionCode.LEASE_TIME));
        assertEquals(Optional.of(600L), reply(flexible.decide(discover().withHardwareAddress(MAC).withRequestedLeaseTime(5).build()),
                DhcpMessageType.OFFER).options().uint32(OptionCode.LEASE_TIME));
        assertEquals(Optional.of(7200L), reply(flexible.decide(discover().withHardwareAddress(MAC).withRequestedLeaseTime(0xFFFFFFFFL).build()),
                DhcpMessageType.OFFER).options().uint32(OptionCode.LEASE_TIME));
    }

    @Test
    @DisplayName("#16 a bound client that asks for no lease time is offered what is left of its lease")
    void boundClientIsOfferedItsRemainingTime() {
        fixture.leaseAddress(MAC);
        fixture.clock.advance(Duration.ofMinutes(20));

        DhcpMessage offer = reply(fixture.decide(discover().withHardwareAddress(MAC).build()), DhcpMessageType.OFFER);

        assertEquals(Optional.of(2400L), offer.options().uint32(OptionCode.LEASE_TIME));
    }

    @Test
    @DisplayName("#25 a client that released its address is offered it again")
    void releasedAddressComesBack() {
        Ipv4Address bound = fixture.leaseAddress(MAC);
        fixture.decide(release().withHardwareAddress(MAC).withCiaddr(bound.toString()).withServerIdentifier(TestConfigs.SERVER.toString()).build());
        fixture.leaseAddress(OTHER);

        assertEquals(bound, offered(discover().withHardwareAddress(MAC).build()));
    }
}
