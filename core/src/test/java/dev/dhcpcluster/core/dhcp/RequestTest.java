package dev.dhcpcluster.core.dhcp;

import static dev.dhcpcluster.core.dhcp.PolicyFixture.LOCAL;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.assertDropped;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.reply;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.replyOf;
import static dev.dhcpcluster.core.dhcp.PolicyFixture.writesOf;
import static dev.dhcpcluster.core.dhcp.TestPackets.discover;
import static dev.dhcpcluster.core.dhcp.TestPackets.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RequestTest {

    private static final String MAC = "02:00:00:00:00:01";
    private static final String OTHER = "02:00:00:00:00:02";
    private static final String SERVER = TestConfigs.SERVER.toString();

    private final PolicyFixture fixture = new PolicyFixture();

    private static Ipv4Address ip(String text) {
        return Ipv4Address.parse(text);
    }

    private Ipv4Address offer(String mac) {
        return reply(fixture.decide(discover().withHardwareAddress(mac).build()), DhcpMessageType.OFFER).yiaddr();
    }

    // ------------------------------------------------------------------ SELECTING

    @Test
    @DisplayName("#18 SELECTING this server's offer binds the address and waits for the store before the ACK")
    void selectingBindsAndWaitsForTheStore() {
        Ipv4Address offered = offer(MAC);

        Decision decision = fixture.decide(request().withHardwareAddress(MAC).withRequestedAddress(offered)
                .withServerIdentifier(SERVER).withHostName("laptop").build());

        Decision.ReplyWhenDurable ack = assertInstanceOf(Decision.ReplyWhenDurable.class, decision);
        Lease lease = ack.binding();
        assertEquals(offered, lease.address());
        assertEquals(LeaseState.BOUND, lease.state());
        assertEquals(ClientKey.ofHardware(HardwareAddress.parseEthernet(MAC)), lease.clientKey());
        assertEquals(Instant.ofEpochMilli(fixture.clock.millis()).plus(TestConfigs.LEASE), lease.expiry());
        assertEquals(Optional.of("laptop"), lease.hostname());
        assertEquals(offered, reply(decision, DhcpMessageType.ACK).yiaddr());
    }

    @Test
    @DisplayName("#18 SELECTING an address another client holds is NAKed")
    void selectingATakenAddressIsNaked() {
        Ipv4Address taken = fixture.leaseAddress(OTHER);

        Decision decision = fixture.decide(request().withHardwareAddress(MAC).withRequestedAddress(taken)
                .withServerIdentifier(SERVER).build());

        reply(decision, DhcpMessageType.NAK);
    }

    @Test
    @DisplayName("#18 SELECTING after the offer lapsed still binds the address while it is free")
    void selectingAfterTheHoldBindsAFreeAddress() {
        Ipv4Address offered = offer(MAC);
        fixture.clock.advance(fixture.config.offerHold().plusSeconds(5));
        fixture.table.expire(fixture.clock.millis());

        Decision decision = fixture.decide(request().withHardwareAddress(MAC).withRequestedAddress(offered)
                .withServerIdentifier(SERVER).build());

        assertEquals(offered, reply(decision, DhcpMessageType.ACK).yiaddr());
    }

    @Test
    @DisplayName("#18 SELECTING an address other than the client's reservation is NAKed")
    void selectingAroundAReservationIsNaked() {
        PolicyFixture reserved = new PolicyFixture(TestConfigs.server(TestConfigs.subnet()
                .reserveForHardware(MAC, "198.18.0.50", null).build()).build());

        Decision decision = reserved.decide(request().withHardwareAddress(MAC).withRequestedAddress("198.18.0.12")
                .withServerIdentifier(SERVER).build());

        reply(decision, DhcpMessageType.NAK);
    }

    @Test
    @DisplayName("#19 SELECTING another server gets no reply and frees this server's offer at once")
    void selectingAnotherServerFreesTheOffer() {
        Ipv4Address offered = offer(MAC);

        Decision decision = fixture.decide(request().withHardwareAddress(MAC).withRequestedAddress("198.18.0.99")
                .withServerIdentifier("198.18.0.250").build());

        assertDropped(DropReason.OTHER_SERVER_SELECTED, decision);
        assertEquals(0, fixture.table.usage().subnets().get(0).offered());
        assertEquals(offered, reply(fixture.decide(discover().withHardwareAddress(OTHER).withRequestedAddress(offered)
                .build()), DhcpMessageType.OFFER).yiaddr(), "the freed address can go to another client");
    }

    // ------------------------------------------------------------------ INIT-REBOOT

    @Test
    @DisplayName("#20 INIT-REBOOT of the client's own address is ACKed")
    void initRebootOfTheOwnAddressIsAcked() {
        Ipv4Address bound = fixture.leaseAddress(MAC);

        Decision decision = fixture.decide(request().withHardwareAddress(MAC).withRequestedAddress(bound).build());

        assertEquals(bound, reply(decision, DhcpMessageType.ACK).yiaddr());
        assertEquals(bound, writesOf(decision).get(0).address());
    }

    @Test
    @DisplayName("#20 INIT-REBOOT of an address that is not the client's is NAKed")
    void initRebootOfAnotherAddressIsNaked() {
        fixture.leaseAddress(MAC);

        reply(fixture.decide(request().withHardwareAddress(MAC).withRequestedAddress("198.18.0.15").build()),
                DhcpMessageType.NAK);
    }

    @Test
    @DisplayName("#20 INIT-REBOOT of an address on another network is NAKed")
    void initRebootOnTheWrongNetworkIsNaked() {
        fixture.leaseAddress(MAC);

        reply(fixture.decide(request().withHardwareAddress(MAC).withRequestedAddress("198.19.1.10").build()),
                DhcpMessageType.NAK);
    }

    @Test
    @DisplayName("#20 INIT-REBOOT of a client without record gets silence")
    void initRebootOfAnUnknownClientIsSilent() {
        assertDropped(DropReason.UNKNOWN_CLIENT,
                fixture.decide(request().withHardwareAddress(MAC).withRequestedAddress("198.18.0.15").build()));
    }

    @Test
    @DisplayName("#20 INIT-REBOOT of a client without record on the wrong network is NAKed")
    void initRebootOfAnUnknownClientOnTheWrongNetworkIsNaked() {
        reply(fixture.decide(request().withHardwareAddress(MAC).withRequestedAddress("198.19.1.10").build()),
                DhcpMessageType.NAK);
    }

    @Test
    @DisplayName("#20 INIT-REBOOT through a relay of an address outside the relay's subnet is NAKed")
    void relayedInitRebootOnTheWrongSubnetIsNaked() {
        SubnetConfig remote = TestConfigs.SubnetBuilder.of("198.19.5.0", 24).pool("198.19.5.100", "198.19.5.110").build();
        PolicyFixture two = new PolicyFixture(TestConfigs.server(TestConfigs.subnet().build(), remote).build());
        Ipv4Address bound = two.leaseAddress(MAC);

        DhcpMessage nak = reply(two.decide(request().withHardwareAddress(MAC).withGiaddr("198.19.5.1")
                .withRequestedAddress(bound).build()), DhcpMessageType.NAK);

        assertEquals(ip("198.19.5.1"), nak.giaddr());
    }

    @Test
    @DisplayName("#20 INIT-REBOOT after the lease expired gets the address back while it is free")
    void initRebootAfterExpiryRebinds() {
        Ipv4Address bound = fixture.leaseAddress(MAC);
        fixture.clock.advance(TestConfigs.LEASE.plusMinutes(1));
        fixture.table.expire(fixture.clock.millis());

        assertEquals(bound, reply(fixture.decide(request().withHardwareAddress(MAC).withRequestedAddress(bound).build()),
                DhcpMessageType.ACK).yiaddr());
    }

    @Test
    @DisplayName("#20 #27 INIT-REBOOT with the same client identifier from a new hardware address is ACKed")
    void clientIdentifierSurvivesANewHardwareAddress() {
        byte[] id = {1, 2, 3, 4};
        Ipv4Address offered = reply(fixture.decide(discover().withHardwareAddress(MAC).withClientId(id).build()),
                DhcpMessageType.OFFER).yiaddr();
        reply(fixture.decide(request().withHardwareAddress(MAC).withClientId(id).withRequestedAddress(offered)
                .withServerIdentifier(SERVER).build()), DhcpMessageType.ACK);

        Decision decision = fixture.decide(request().withHardwareAddress(OTHER).withClientId(id)
                .withRequestedAddress(offered).build());

        assertEquals(offered, reply(decision, DhcpMessageType.ACK).yiaddr());
    }

    @Test
    @DisplayName("#27 a client-identifier lease follows the client to a new hardware address on DISCOVER and RENEWING")
    void clientIdentifierLeaseMatchesAfterTheHardwareAddressChanged() {
        byte[] id = {(byte) 0xff, 0, 0, 0, 7, 0, 1, 0, 1};
        Ipv4Address offered = reply(fixture.decide(discover().withHardwareAddress(MAC).withClientId(id).build()),
                DhcpMessageType.OFFER).yiaddr();
        reply(fixture.decide(request().withHardwareAddress(MAC).withClientId(id).withRequestedAddress(offered)
                .withServerIdentifier(SERVER).build()), DhcpMessageType.ACK);

        Ipv4Address offeredAgain = reply(fixture.decide(discover().withHardwareAddress(OTHER).withClientId(id).build()),
                DhcpMessageType.OFFER).yiaddr();
        Decision renewal = fixture.decide(request().withHardwareAddress(OTHER).withClientId(id)
                .withCiaddr(offered.toString()).build());

        assertEquals(offered, offeredAgain);
        assertEquals(offered, reply(renewal, DhcpMessageType.ACK).yiaddr());
        Lease lease = writesOf(renewal).get(0);
        assertEquals(ClientKey.ofClientId(id), lease.clientKey());
        assertEquals(HardwareAddress.parseEthernet(OTHER), lease.hardwareAddress());
    }

    @Test
    @DisplayName("#27 without a client identifier the lease is keyed on htype and chaddr")
    void withoutClientIdentifierTheLeaseIsKeyedOnTheHardwareAddress() {
        Decision decision = fixture.lease(MAC);

        assertEquals(ClientKey.ofHardware(HardwareAddress.parseEthernet(MAC)), writesOf(decision).get(0).clientKey());
        reply(fixture.decide(request().withHardwareAddress(OTHER).withCiaddr(writesOf(decision).get(0).address().toString())
                .build()), DhcpMessageType.NAK);
    }

    @Test
    @DisplayName("#27 client identifiers are opaque: two identifiers on one hardware address are two clients")
    void differentClientIdentifiersAreDifferentClients() {
        Ipv4Address first = reply(fixture.decide(discover().withHardwareAddress(MAC).withClientId(new byte[] {1, 1})
                .build()), DhcpMessageType.OFFER).yiaddr();
        Ipv4Address second = reply(fixture.decide(discover().withHardwareAddress(MAC).withClientId(new byte[] {1, 2})
                .build()), DhcpMessageType.OFFER).yiaddr();

        assertTrue(!first.equals(second), first + " offered to both");
    }

    // ------------------------------------------------------------------ RENEWING and REBINDING

    @Test
    @DisplayName("#21 RENEWING a known lease is ACKed with a fresh lease time")
    void renewingExtendsTheLease() {
        Ipv4Address bound = fixture.leaseAddress(MAC);
        fixture.clock.advance(Duration.ofMinutes(30));

        Decision decision = fixture.decide(request().withHardwareAddress(MAC).withCiaddr(bound.toString()).build());

        assertEquals(bound, reply(decision, DhcpMessageType.ACK).yiaddr());
        assertEquals(Instant.ofEpochMilli(fixture.clock.millis()).plus(TestConfigs.LEASE), writesOf(decision).get(0).expiry());
    }

    @Test
    @DisplayName("#21 the ACK to a RENEWING client goes by unicast to its ciaddr")
    void renewingAckIsUnicastToCiaddr() {
        Ipv4Address bound = fixture.leaseAddress(MAC);

        Decision decision = fixture.decide(request().withHardwareAddress(MAC).withCiaddr(bound.toString()).build());

        assertEquals(new Delivery.Unicast(bound, ServerConfig.DEFAULT_CLIENT_PORT), replyOf(decision).delivery());
    }

    @Test
    @DisplayName("#13 a NAK to a client that believes it has an address is broadcast, not sent to its ciaddr")
    void nakToARenewingClientIsBroadcast() {
        Ipv4Address taken = fixture.leaseAddress(OTHER);

        Decision decision = fixture.decide(request().withHardwareAddress(MAC).withCiaddr(taken.toString()).build());

        reply(decision, DhcpMessageType.NAK);
        assertEquals(new Delivery.Broadcast(ServerConfig.DEFAULT_CLIENT_PORT), replyOf(decision).delivery());
    }

    @Test
    @DisplayName("#9 #13 a NAK through a relay goes to the relay, with the broadcast bit for the relay to broadcast it")
    void relayedNakGoesToTheRelayWithTheBroadcastBit() {
        Decision decision = fixture.decide(request().withHardwareAddress(MAC).withGiaddr("198.18.0.254")
                .withRequestedAddress("198.19.9.9").build());

        DhcpMessage nak = reply(decision, DhcpMessageType.NAK);
        assertEquals(new Delivery.Unicast(ip("198.18.0.254"), ServerConfig.DEFAULT_RELAY_PORT), replyOf(decision).delivery());
        assertEquals(DhcpMessage.FLAG_BROADCAST, nak.flags() & DhcpMessage.FLAG_BROADCAST);
    }

    @Test
    @DisplayName("#21 RENEWING with a lease this server has no record of gets silence")
    void renewingAnUnknownLeaseIsSilent() {
        assertDropped(DropReason.UNKNOWN_CLIENT,
                fixture.decide(request().withHardwareAddress(MAC).withCiaddr("198.18.0.15").build()));
    }

    @Test
    @DisplayName("#22 REBINDING a lease known from the store is ACKed: a surviving node takes over")
    void rebindingAStoredLeaseIsAcked() {
        Instant now = Instant.ofEpochMilli(fixture.clock.millis());
        fixture.table.load(List.of(new Lease(ip("198.18.0.14"), ClientKey.ofHardware(HardwareAddress.parseEthernet(MAC)),
                HardwareAddress.parseEthernet(MAC), Optional.empty(), LeaseState.BOUND, now.plusSeconds(600),
                new LeaseVersion(0, 7, new NodeId(2)))), fixture.clock.millis());

        Decision decision = fixture.decide(request().withHardwareAddress(MAC).withCiaddr("198.18.0.14")
                .withBroadcastFlag().build());

        assertEquals(ip("198.18.0.14"), reply(decision, DhcpMessageType.ACK).yiaddr());
        assertEquals(new LeaseVersion(0, 8, new NodeId(1)), writesOf(decision).get(0).version(),
                "one version on, written by the node that served it");
    }

    @Test
    @DisplayName("#22 REBINDING through a relay with an address outside the relay's subnet is NAKed")
    void rebindingOnTheWrongSubnetIsNaked() {
        SubnetConfig remote = TestConfigs.SubnetBuilder.of("198.19.5.0", 24).pool("198.19.5.100", "198.19.5.110").build();
        PolicyFixture two = new PolicyFixture(TestConfigs.server(TestConfigs.subnet().build(), remote).build());
        Ipv4Address bound = two.leaseAddress(MAC);

        Decision decision = two.decide(request().withHardwareAddress(MAC).withCiaddr(bound.toString())
                .withGiaddr("198.19.5.1").build());

        reply(decision, DhcpMessageType.NAK);
    }

    @Test
    @DisplayName("#22 REBINDING an address on none of the server's networks is NAKed")
    void rebindingAForeignAddressIsNaked() {
        reply(fixture.decide(request().withHardwareAddress(MAC).withCiaddr("198.19.200.7").build()), DhcpMessageType.NAK);
    }

    @Test
    @DisplayName("#22 REBINDING an address bound to another client is NAKed")
    void rebindingAnotherClientsAddressIsNaked() {
        Ipv4Address taken = fixture.leaseAddress(OTHER);

        reply(fixture.decide(request().withHardwareAddress(MAC).withCiaddr(taken.toString()).build()),
                DhcpMessageType.NAK);
    }

    @Test
    @DisplayName("#22 REBINDING a lease whose address went to another client after it expired is NAKed")
    void rebindingALostAddressIsNaked() {
        Ipv4Address bound = fixture.leaseAddress(MAC);
        fixture.clock.advance(TestConfigs.LEASE.plusSeconds(1));
        fixture.table.expire(fixture.clock.millis());
        reply(fixture.decide(discover().withHardwareAddress(OTHER).withRequestedAddress(bound).build()),
                DhcpMessageType.OFFER);

        reply(fixture.decide(request().withHardwareAddress(MAC).withCiaddr(bound.toString()).build()),
                DhcpMessageType.NAK);
    }

    @Test
    void requestNamingNoAddressAtAllIsIgnored() {
        assertDropped(DropReason.IGNORED, fixture.decide(request().withHardwareAddress(MAC).build()));
    }

    @Test
    @DisplayName("#7 the ACK's lease time is the one granted and written")
    void ackAnnouncesTheWrittenLease() {
        Decision decision = fixture.lease(MAC);
        DhcpMessage ack = reply(decision, DhcpMessageType.ACK);
        Lease lease = writesOf(decision).get(0);

        assertEquals(lease.address(), ack.yiaddr());
        assertEquals(Optional.of(Duration.between(Instant.ofEpochMilli(fixture.clock.millis()), lease.expiry()).toSeconds()),
                ack.options().uint32(OptionCode.LEASE_TIME));
        assertEquals(LOCAL, ack.options().address(OptionCode.SERVER_IDENTIFIER).orElseThrow());
    }
}
