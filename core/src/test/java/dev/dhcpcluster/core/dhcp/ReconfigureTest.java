package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.LeaseTimes;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.pool.SubnetUsage;
import dev.dhcpcluster.core.testing.ControlledLeaseStore;
import dev.dhcpcluster.core.testing.ControlledLeaseStore.Mode;
import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.ManualScheduler;
import dev.dhcpcluster.core.testing.RecordingEvents;
import dev.dhcpcluster.core.testing.RecordingTransport;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.LeaseState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A running server given a new configuration ({@link DhcpServer#reconfigure}): what a reload of
 * the node's file does to the DHCP service, on the virtual clock.
 */
class ReconfigureTest {

    private static final String MAC = "02:00:00:00:00:01";
    private static final String OTHER = "02:00:00:00:00:02";
    private static final String THIRD = "02:00:00:00:00:03";
    private static final Ipv4Address LOCAL = TestConfigs.SERVER;
    private static final Ipv4Address NEW_DNS = Ipv4Address.parse("198.18.0.53");

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final RecordingTransport transport = new RecordingTransport();
    private final RecordingEvents events = new RecordingEvents();
    private final ControlledLeaseStore store = new ControlledLeaseStore(Mode.IMMEDIATE);
    private DhcpServer server;

    private void start(ServerConfig config) {
        server = new DhcpServer(config, transport, store, clock, scheduler, events);
        server.load(List.of());
    }

    private void receive(TestPackets.Packet packet) {
        server.handle(new Datagram(packet.encode(), Ipv4Address.ZERO, ServerConfig.DEFAULT_CLIENT_PORT, LOCAL,
                Optional.empty()));
        scheduler.runDue();
    }

    private DhcpMessage lastReply() throws MalformedPacketException {
        return DhcpCodec.decode(transport.last().payload());
    }

    private DhcpMessage reply(TestPackets.Packet packet) throws MalformedPacketException {
        int before = transport.sent().size();
        receive(packet);
        assertEquals(before + 1, transport.sent().size(), "one reply");
        return lastReply();
    }

    private Ipv4Address offer(String mac) throws MalformedPacketException {
        DhcpMessage offer = reply(TestPackets.discover().withHardwareAddress(mac));
        assertEquals(Optional.of(DhcpMessageType.OFFER), offer.messageType());
        return offer.yiaddr();
    }

    private DhcpMessage select(String mac, Ipv4Address address) throws MalformedPacketException {
        return reply(TestPackets.request().withHardwareAddress(mac).withRequestedAddress(address)
                .withServerIdentifier(LOCAL));
    }

    private Ipv4Address lease(String mac) throws MalformedPacketException {
        Ipv4Address offered = offer(mac);
        DhcpMessage ack = select(mac, offered);
        assertEquals(Optional.of(DhcpMessageType.ACK), ack.messageType());
        return ack.yiaddr();
    }

    private DhcpMessage renew(String mac, Ipv4Address address) throws MalformedPacketException {
        return reply(TestPackets.request().withHardwareAddress(mac).withCiaddr(address.toString()));
    }

    private static ServerConfig config(SubnetConfig subnet) {
        return TestConfigs.server(subnet).build();
    }

    private SubnetUsage usage() {
        return server.usage().subnets().get(0);
    }

    @Test
    @DisplayName("bound, released and declined leases survive a new configuration, and the store is not rewritten")
    void leasesSurvive() throws Exception {
        start(config(TestConfigs.subnet().build()));
        Ipv4Address kept = lease(MAC);
        Ipv4Address released = lease(OTHER);
        receive(TestPackets.release().withHardwareAddress(OTHER).withCiaddr(released.toString())
                .withServerIdentifier(LOCAL));
        Ipv4Address declined = lease(THIRD);
        receive(TestPackets.decline().withHardwareAddress(THIRD).withRequestedAddress(declined)
                .withServerIdentifier(LOCAL));
        int writes = store.written().size();

        server.reconfigure(config(TestConfigs.subnet().option(OptionCode.DOMAIN_NAME_SERVERS, NEW_DNS.toBytes())
                .build()));

        assertEquals(writes, store.written().size(), "a reconfigure writes nothing");
        assertEquals(1, usage().bound());
        assertEquals(1, usage().declined());
        DhcpMessage renewal = renew(MAC, kept);
        assertEquals(Optional.of(DhcpMessageType.ACK), renewal.messageType());
        assertEquals(kept, renewal.yiaddr());
        assertEquals(released, offer(OTHER), "the released lease is remembered for its client");
        assertNotEquals(declined, offer(THIRD), "the declined address is still in quarantine");
    }

    @Test
    @DisplayName("an option added to the configuration is in the next ACK")
    void newOptionInNextAck() throws Exception {
        start(config(TestConfigs.subnet().build()));
        Ipv4Address address = lease(MAC);
        assertArrayEquals(TestConfigs.DNS.toBytes(),
                lastReply().options().get(OptionCode.DOMAIN_NAME_SERVERS).orElseThrow());

        server.reconfigure(config(TestConfigs.subnet().option(OptionCode.DOMAIN_NAME_SERVERS, NEW_DNS.toBytes())
                .option(OptionCode.NTP_SERVERS, TestConfigs.ROUTER.toBytes()).build()));
        DhcpMessage ack = renew(MAC, address);

        assertEquals(Optional.of(DhcpMessageType.ACK), ack.messageType());
        assertArrayEquals(NEW_DNS.toBytes(), ack.options().get(OptionCode.DOMAIN_NAME_SERVERS).orElseThrow());
        assertArrayEquals(TestConfigs.ROUTER.toBytes(), ack.options().get(OptionCode.NTP_SERVERS).orElseThrow());
    }

    @Test
    @DisplayName("a new lease time applies to the next ACK")
    void newLeaseTime() throws Exception {
        start(config(TestConfigs.subnet().build()));
        Ipv4Address address = lease(MAC);

        server.reconfigure(config(TestConfigs.subnet()
                .leaseTimes(LeaseTimes.of(Duration.ofMinutes(20))).build()));

        assertEquals(Optional.of(1200L), renew(MAC, address).options().uint32(OptionCode.LEASE_TIME));
    }

    @Test
    @DisplayName("a pool added to a full subnet is used for the next client")
    void newPoolIsUsed() throws Exception {
        start(config(TestConfigs.subnet().pool("198.18.0.10", "198.18.0.10").build()));
        lease(MAC);
        receive(TestPackets.discover().withHardwareAddress(OTHER));
        assertEquals(1, events.exhausted().size(), "the one address is taken");

        server.reconfigure(config(TestConfigs.subnet().pool("198.18.0.10", "198.18.0.10")
                .addPool("198.18.0.100", "198.18.0.100").build()));

        assertEquals(Ipv4Address.parse("198.18.0.100"), lease(OTHER));
        assertEquals(2, usage().bound());
    }

    @Test
    @DisplayName("a subnet added to the configuration serves its relay's clients")
    void newSubnetServes() throws Exception {
        start(config(TestConfigs.subnet().build()));
        lease(MAC);
        SubnetConfig added = TestConfigs.SubnetBuilder.of("198.18.4.0", 24).pool("198.18.4.10", "198.18.4.19").build();

        server.reconfigure(TestConfigs.server(TestConfigs.subnet().build(), added).build());

        DhcpMessage offer = reply(TestPackets.discover().withHardwareAddress(OTHER).withGiaddr("198.18.4.1"));
        assertEquals(Ipv4Address.parse("198.18.4.10"), offer.yiaddr());
        assertEquals(1, server.usage().subnets().get(0).bound(), "the old subnet's lease is still bound");
    }

    @Test
    @DisplayName("a lease in a removed pool stays bound until it ends; its renewal is NAKed and the client moves")
    void leaseInRemovedPool() throws Exception {
        start(config(TestConfigs.subnet().pool("198.18.0.10", "198.18.0.10").addPool("198.18.0.20", "198.18.0.29")
                .build()));
        Ipv4Address old = lease(MAC);
        assertEquals(Ipv4Address.parse("198.18.0.10"), old);

        server.reconfigure(config(TestConfigs.subnet().pool("198.18.0.20", "198.18.0.29").build()));

        assertEquals(1, usage().bound(), "the lease outside the new pools still holds its address");
        assertEquals(LeaseState.BOUND, store.storedAt(old).state());
        DhcpMessage renewal = renew(MAC, old);
        assertEquals(Optional.of(DhcpMessageType.NAK), renewal.messageType());
        assertEquals(LeaseState.BOUND, store.storedAt(old).state(), "a NAK does not end the lease");
        Ipv4Address moved = lease(MAC);
        assertEquals(Ipv4Address.parse("198.18.0.20"), moved);
        assertEquals(LeaseState.EXPIRED, store.storedAt(old).state(), "the client holds one address at a time");
        assertEquals(1, usage().bound());
    }

    @Test
    @DisplayName("a lease of a removed subnet is kept, and serves again when the subnet comes back")
    void leaseOfRemovedSubnet() throws Exception {
        SubnetConfig second = TestConfigs.SubnetBuilder.of("198.18.4.0", 24).pool("198.18.4.10", "198.18.4.19").build();
        start(TestConfigs.server(TestConfigs.subnet().build(), second).build());
        DhcpMessage offer = reply(TestPackets.discover().withHardwareAddress(MAC).withGiaddr("198.18.4.1"));
        receive(TestPackets.request().withHardwareAddress(MAC).withRequestedAddress(offer.yiaddr())
                .withServerIdentifier(LOCAL).withGiaddr("198.18.4.1"));
        Ipv4Address address = lastReply().yiaddr();

        server.reconfigure(config(TestConfigs.subnet().build()));
        int sent = transport.sent().size();
        receive(TestPackets.request().withHardwareAddress(MAC).withCiaddr(address.toString()).withGiaddr("198.18.4.1"));
        assertEquals(sent, transport.sent().size(), "no subnet serves that relay now: no answer");
        assertEquals(LeaseState.BOUND, store.storedAt(address).state(), "the store keeps the lease");

        server.reconfigure(TestConfigs.server(TestConfigs.subnet().build(), second).build());
        assertEquals(1, server.usage().subnets().get(1).bound());
        DhcpMessage renewal = reply(TestPackets.request().withHardwareAddress(MAC).withCiaddr(address.toString())
                .withGiaddr("198.18.4.1"));
        assertEquals(Optional.of(DhcpMessageType.ACK), renewal.messageType());
        assertEquals(address, renewal.yiaddr());
    }

    @Test
    @DisplayName("an offer pending at the swap keeps its address for its client")
    void pendingOfferIsKept() throws Exception {
        start(config(TestConfigs.subnet().build()));
        Ipv4Address offered = offer(MAC);

        server.reconfigure(config(TestConfigs.subnet().option(OptionCode.DOMAIN_NAME_SERVERS, NEW_DNS.toBytes())
                .build()));

        assertEquals(1, usage().offered());
        assertNotEquals(offered, offer(OTHER), "the address is still held for the first client");
        DhcpMessage ack = select(MAC, offered);
        assertEquals(Optional.of(DhcpMessageType.ACK), ack.messageType());
        assertArrayEquals(NEW_DNS.toBytes(), ack.options().get(OptionCode.DOMAIN_NAME_SERVERS).orElseThrow());
    }

    @Test
    @DisplayName("an offer whose address left the pools is dropped; the client's REQUEST is NAKed")
    void offerOutsideNewPoolsIsDropped() throws Exception {
        start(config(TestConfigs.subnet().build()));
        Ipv4Address offered = offer(MAC);

        server.reconfigure(config(TestConfigs.subnet().pool("198.18.0.20", "198.18.0.29").build()));

        assertEquals(0, usage().offered());
        assertEquals(Optional.of(DhcpMessageType.NAK), select(MAC, offered).messageType());
    }

    @Test
    @DisplayName("an offer ends at its own time after the swap")
    void keptOfferEndsOnTime() throws Exception {
        start(config(TestConfigs.subnet().build()));
        offer(MAC);
        scheduler.advance(ServerConfig.DEFAULT_OFFER_HOLD.dividedBy(2));

        server.reconfigure(config(TestConfigs.subnet().build()));
        assertEquals(1, usage().offered());
        scheduler.advance(ServerConfig.DEFAULT_OFFER_HOLD.dividedBy(2));

        assertEquals(0, usage().offered());
    }

    @Test
    @DisplayName("a lease ends on time after the swap, by the new table's timer")
    void leaseExpiresAfterSwap() throws Exception {
        start(config(TestConfigs.subnet().build()));
        lease(MAC);

        server.reconfigure(config(TestConfigs.subnet().build()));
        scheduler.advance(TestConfigs.LEASE);

        assertEquals(0, usage().bound());
        assertEquals(10, usage().free());
    }

    @Test
    @DisplayName("#18 an ACK whose write was pending at the swap leaves once durable, as decided")
    void pendingAckStillLeaves() throws Exception {
        start(config(TestConfigs.subnet().build()));
        Ipv4Address offered = offer(MAC);
        store.mode(Mode.HELD);
        receive(TestPackets.request().withHardwareAddress(MAC).withRequestedAddress(offered)
                .withServerIdentifier(LOCAL));
        assertEquals(1, store.pendingWrites());

        server.reconfigure(config(TestConfigs.subnet().option(OptionCode.DOMAIN_NAME_SERVERS, NEW_DNS.toBytes())
                .build()));
        store.completeAll();
        scheduler.runDue();

        DhcpMessage ack = lastReply();
        assertEquals(Optional.of(DhcpMessageType.ACK), ack.messageType());
        assertEquals(offered, ack.yiaddr());
        assertArrayEquals(TestConfigs.DNS.toBytes(), ack.options().get(OptionCode.DOMAIN_NAME_SERVERS).orElseThrow(),
                "decided before the swap, by the old configuration");
        assertEquals(1, usage().bound());
        assertEquals(offered, events.bound().get(0).address());
    }

    @Test
    @DisplayName("a configuration that cannot be served is refused and the old one goes on serving")
    void unservableConfigIsRefused() throws Exception {
        start(config(TestConfigs.subnet().build()));
        Ipv4Address address = lease(MAC);
        SubnetConfig twice = TestConfigs.subnet()
                .reserveForHardware("02:00:00:00:00:0a", "198.18.0.50", null)
                .reserveForHardware("02:00:00:00:00:0b", "198.18.0.50", null)
                .option(OptionCode.DOMAIN_NAME_SERVERS, NEW_DNS.toBytes()).build();

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> server.reconfigure(config(twice)));

        assertTrue(refused.getMessage().contains("198.18.0.50"), refused.getMessage());
        DhcpMessage ack = renew(MAC, address);
        assertEquals(Optional.of(DhcpMessageType.ACK), ack.messageType());
        assertArrayEquals(TestConfigs.DNS.toBytes(), ack.options().get(OptionCode.DOMAIN_NAME_SERVERS).orElseThrow());
    }

    @Test
    @DisplayName("a reservation added for a bound client's address gives its host name on the next renewal")
    void newReservationApplies() throws Exception {
        start(config(TestConfigs.subnet().build()));
        Ipv4Address address = lease(MAC);
        assertTrue(lastReply().options().string(OptionCode.HOST_NAME).isEmpty());

        server.reconfigure(config(TestConfigs.subnet().reserveForHardware(MAC, address.toString(), "printer").build()));
        DhcpMessage ack = renew(MAC, address);

        assertEquals(Optional.of(DhcpMessageType.ACK), ack.messageType());
        assertEquals(address, ack.yiaddr());
        assertEquals(Optional.of("printer"), ack.options().string(OptionCode.HOST_NAME));
        assertNotEquals(address, offer(OTHER), "the address is reserved now, and bound");
    }

    @Test
    @DisplayName("reconfiguring before the leases are loaded is refused")
    void reconfigureBeforeLoad() {
        server = new DhcpServer(config(TestConfigs.subnet().build()), transport, store, clock, scheduler, events);

        assertThrows(IllegalStateException.class, () -> server.reconfigure(config(TestConfigs.subnet().build())));
    }
}
