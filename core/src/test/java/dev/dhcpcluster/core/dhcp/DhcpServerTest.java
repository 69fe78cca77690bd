package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.pool.PoolRangeUsage;
import dev.dhcpcluster.core.pool.SubnetUsage;
import dev.dhcpcluster.core.testing.ControlledLeaseStore;
import dev.dhcpcluster.core.testing.ControlledLeaseStore.Mode;
import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.ManualScheduler;
import dev.dhcpcluster.core.testing.RecordingEvents;
import dev.dhcpcluster.core.testing.RecordingTransport;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.Datagram;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DhcpServerTest {

    private static final String MAC = "02:00:00:00:00:01";
    private static final String OTHER = "02:00:00:00:00:02";
    private static final Ipv4Address LOCAL = TestConfigs.SERVER;
    private static final Ipv4Address CLIENT_SOURCE = Ipv4Address.ZERO;

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final RecordingTransport transport = new RecordingTransport();
    private final RecordingEvents events = new RecordingEvents();
    private ControlledLeaseStore store = new ControlledLeaseStore(Mode.IMMEDIATE);
    private DhcpServer server;

    private DhcpServer start(ServerConfig config, List<Lease> stored) {
        server = new DhcpServer(config, transport, store, clock, scheduler, events);
        server.load(stored);
        return server;
    }

    private DhcpServer start() {
        return start(TestConfigs.server(TestConfigs.subnet().build()).build(), List.of());
    }

    /** The client's packet reaches the server, and the event loop runs what is due. */
    private void receive(TestPackets.Packet packet) {
        receive(packet.encode());
    }

    private void receive(byte[] payload) {
        server.handle(new Datagram(payload, CLIENT_SOURCE, ServerConfig.DEFAULT_CLIENT_PORT, LOCAL, Optional.empty()));
        scheduler.runDue();
    }

    private DhcpMessage lastReply() throws MalformedPacketException {
        return DhcpCodec.decode(transport.last().payload());
    }

    private Ipv4Address offer(String mac) throws MalformedPacketException {
        receive(TestPackets.discover().withHardwareAddress(mac));
        DhcpMessage offer = lastReply();
        assertEquals(Optional.of(DhcpMessageType.OFFER), offer.messageType());
        return offer.yiaddr();
    }

    private TestPackets.Packet selecting(String mac, Ipv4Address address) {
        return TestPackets.request().withHardwareAddress(mac).withRequestedAddress(address)
                .withServerIdentifier(LOCAL);
    }

    @Test
    @DisplayName("#17 an OFFER leaves at once, with no store write")
    void offerLeavesAtOnce() throws Exception {
        start();

        Ipv4Address offered = offer(MAC);

        assertEquals(Ipv4Address.parse("198.18.0.10"), offered);
        assertTrue(store.written().isEmpty());
        assertEquals(List.of(DhcpMessageType.DISCOVER), events.requests());
        assertEquals(List.of(DhcpMessageType.OFFER), events.replies());
    }

    @Test
    @DisplayName("#27 two clients with hlen 0 and different chaddr get no address, and both are counted as drops")
    void clientsWithoutAnIdentityAreNotServed() {
        start();

        for (String mac : List.of(MAC, OTHER)) {
            receive(TestPackets.discover().withHardwareAddress(mac).withHlen(0));
            receive(selecting(mac, Ipv4Address.parse("198.18.0.10")).withHlen(0));
        }

        assertEquals(List.of(), transport.sent(), "no OFFER, no ACK");
        assertTrue(store.written().isEmpty(), "no lease stored");
        assertEquals(List.of(DropReason.NO_CLIENT_IDENTITY, DropReason.NO_CLIENT_IDENTITY,
                DropReason.NO_CLIENT_IDENTITY, DropReason.NO_CLIENT_IDENTITY), events.dropReasons());
        assertEquals(0, server.usage().bound(), "no address bound");
    }

    @Test
    @DisplayName("#18 a SELECTING ACK leaves only after the lease is durable")
    void ackWaitsForTheStore() throws Exception {
        start();
        Ipv4Address offered = offer(MAC);
        store.mode(Mode.HELD);

        receive(selecting(MAC, offered));
        assertEquals(1, transport.sent().size(), "only the OFFER so far");
        assertEquals(1, store.pendingWrites());

        store.completeAll();
        scheduler.runDue();

        DhcpMessage ack = lastReply();
        assertEquals(Optional.of(DhcpMessageType.ACK), ack.messageType());
        assertEquals(offered, ack.yiaddr());
        assertEquals(LeaseState.BOUND, store.storedAt(offered).state());
        assertEquals(offered, events.bound().get(0).address());
    }

    @Test
    @DisplayName("#18 a store that reports durable inside write still gets the ACK sent from the event loop")
    void synchronousDurabilityIsMarshalled() throws Exception {
        start();
        Ipv4Address offered = offer(MAC);

        server.handle(new Datagram(selecting(MAC, offered).encode(), CLIENT_SOURCE, 68, LOCAL, Optional.empty()));
        assertEquals(1, transport.sent().size(), "not sent from inside handle");

        scheduler.runDue();
        assertEquals(Optional.of(DhcpMessageType.ACK), lastReply().messageType());
    }

    @Test
    @DisplayName("#15 the receiving interface's name reaches the policy: a subnet bound to that interface serves the client")
    void receivingInterfaceChoosesTheSubnet() throws Exception {
        start(TestConfigs.server(TestConfigs.subnet().build(),
                TestConfigs.SubnetBuilder.of("198.18.4.0", 24).pool("198.18.4.10", "198.18.4.19").interfaceName("lan4")
                        .build()).build(), List.of());

        server.handle(new Datagram(TestPackets.discover().withHardwareAddress(MAC).encode(), CLIENT_SOURCE, 68, LOCAL,
                Optional.of("lan4")));
        scheduler.runDue();

        assertEquals(Ipv4Address.parse("198.18.4.10"), lastReply().yiaddr());
        assertEquals(Optional.of("lan4"), transport.last().interfaceName());
    }

    @Test
    @DisplayName("the OFFER and the durable ACK leave by the interface the request came in on")
    void repliesLeaveByTheReceivingInterface() throws Exception {
        start();
        Optional<String> eth1 = Optional.of("eth1");
        server.handle(new Datagram(TestPackets.discover().withHardwareAddress(MAC).encode(), CLIENT_SOURCE, 68, LOCAL,
                eth1));
        Ipv4Address offered = lastReply().yiaddr();
        store.mode(Mode.HELD);
        server.handle(new Datagram(selecting(MAC, offered).encode(), CLIENT_SOURCE, 68, LOCAL, eth1));
        store.completeAll();
        scheduler.runDue();

        assertEquals(Optional.of(DhcpMessageType.ACK), lastReply().messageType());
        assertEquals(List.of(eth1, eth1), transport.sent().stream().map(RecordingTransport.Sent::interfaceName).toList());
    }

    @Test
    @DisplayName("#18 no ACK leaves when the store fails, and the failure is reported")
    void noAckWhenTheStoreFails() throws Exception {
        start();
        Ipv4Address offered = offer(MAC);
        store.mode(Mode.FAILING);

        receive(selecting(MAC, offered));

        assertEquals(1, transport.sent().size(), "only the OFFER");
        assertEquals(List.of(DropReason.STORE_FAILED), events.dropReasons());
        assertTrue(events.bound().isEmpty());
    }

    @Test
    @DisplayName("#18 after a failed write the address is not given to another client, and the retry is ACKed")
    void failedWriteKeepsTheAddressForTheClient() throws Exception {
        start();
        Ipv4Address offered = offer(MAC);
        store.mode(Mode.FAILING);
        receive(selecting(MAC, offered));

        assertNotEquals(offered, offer(OTHER));

        store.mode(Mode.IMMEDIATE);
        receive(selecting(MAC, offered));
        DhcpMessage ack = lastReply();
        assertEquals(Optional.of(DhcpMessageType.ACK), ack.messageType());
        assertEquals(offered, ack.yiaddr());
    }

    @Test
    @DisplayName("#32 every reply is at least 300 octets and decodes back")
    void repliesArePaddedTo300() throws Exception {
        start();
        Ipv4Address offered = offer(MAC);
        receive(selecting(MAC, offered));

        for (RecordingTransport.Sent sent : transport.sent()) {
            assertTrue(sent.payload().length >= DhcpCodec.MIN_MESSAGE_LENGTH, "length " + sent.payload().length);
            DhcpCodec.decode(sent.payload());
        }
    }

    @Test
    @DisplayName("#9 a relayed DISCOVER is answered at giaddr on the relay port")
    void relayedRequestGoesBackToTheRelay() throws Exception {
        start(TestConfigs.server(TestConfigs.subnet().build()).relayPort(6767).build(), List.of());

        receive(TestPackets.discover().withHardwareAddress(MAC).withGiaddr("198.18.0.254").withHops(1));

        assertEquals(new Delivery.Unicast(Ipv4Address.parse("198.18.0.254"), 6767), transport.last().delivery());
    }

    @Test
    @DisplayName("#12 a direct DISCOVER without broadcast bit is answered at yiaddr and chaddr")
    void directOfferIsUnicastToTheHardwareAddress() throws Exception {
        start();

        Ipv4Address offered = offer(MAC);

        assertEquals(new Delivery.UnicastToHardware(offered, HardwareAddress.parseEthernet(MAC), 68),
                transport.last().delivery());
    }

    @Test
    @DisplayName("a malformed datagram is dropped and counted as MALFORMED, answered with nothing, and the next DISCOVER is answered")
    void malformedDatagramIsDroppedAndCounted() throws Exception {
        start();

        receive(Arrays.copyOf(TestPackets.discover().encode(), 100));

        assertTrue(transport.sent().isEmpty());
        assertEquals(List.of(DropReason.MALFORMED), events.dropReasons());
        assertTrue(events.requests().isEmpty());

        assertEquals(Ipv4Address.parse("198.18.0.10"), offer(MAC));
        assertEquals(List.of(DhcpMessageType.OFFER), events.replies());
        assertEquals(List.of(DropReason.MALFORMED), events.dropReasons());
    }

    @Test
    @DisplayName("every kind of malformed datagram is dropped as MALFORMED without an answer, and the server keeps serving")
    void malformedDatagramsOfEveryKindNeverStopTheServer() throws Exception {
        start();
        byte[] good = TestPackets.discover().withHardwareAddress(OTHER).encode();
        byte[] badCookie = good.clone();
        badCookie[DhcpCodec.COOKIE] = 0;
        byte[] overrun = good.clone();
        overrun[DhcpCodec.OPTIONS_OFFSET + 1] = (byte) 0xFF; // option 53 claims 255 octets
        byte[] noEnd = Arrays.copyOf(good, DhcpCodec.OPTIONS_OFFSET + 3);
        byte[] longHlen = good.clone();
        longHlen[DhcpCodec.HLEN] = 17;
        List<byte[]> malformed = List.of(new byte[0], new byte[DhcpCodec.HEADER_LENGTH - 1], badCookie, overrun, noEnd,
                longHlen);

        for (byte[] datagram : malformed) {
            receive(datagram);
        }

        assertTrue(transport.sent().isEmpty());
        assertEquals(malformed.stream().map(datagram -> DropReason.MALFORMED).toList(), events.dropReasons());
        assertEquals(Ipv4Address.parse("198.18.0.10"), offer(MAC));
    }

    @Test
    @DisplayName("#6 a NAK too long for the options field loses its message text instead of overloading sname and file")
    void longNakDropsItsMessageRatherThanOverload() throws Exception {
        start();
        byte[] clientId = new byte[280];
        Arrays.fill(clientId, (byte) 'c');

        receive(selecting(MAC, Ipv4Address.parse("198.18.0.200")).withClientId(clientId));

        byte[] raw = transport.last().payload();
        DhcpMessage nak = DhcpCodec.decode(raw);
        assertEquals(Optional.of(DhcpMessageType.NAK), nak.messageType());
        assertArrayEquals(clientId, nak.options().get(OptionCode.CLIENT_IDENTIFIER).orElseThrow());
        assertFalse(nak.options().contains(OptionCode.MESSAGE));
        assertArrayEquals(new byte[DhcpMessage.SNAME_LENGTH + DhcpMessage.FILE_LENGTH],
                Arrays.copyOfRange(raw, DhcpCodec.SNAME, DhcpCodec.FILE + DhcpMessage.FILE_LENGTH));
    }

    @Test
    @DisplayName("#29 a reply too large for the client loses optional options from the end")
    void oversizedReplyIsTrimmed() throws Exception {
        byte[] big = new byte[200];
        Arrays.fill(big, (byte) 'x');
        start(TestConfigs.server(TestConfigs.subnet().option(224, big).option(225, big).option(226, big)
                .option(227, big).build()).build(), List.of());

        receive(TestPackets.discover().withHardwareAddress(MAC).withParameterRequestList(1, 3, 224, 225, 226, 227));

        DhcpMessage offer = lastReply();
        assertTrue(transport.last().payload().length <= 576 - 28);
        assertTrue(offer.options().contains(OptionCode.LEASE_TIME));
        assertTrue(offer.options().contains(224));
        assertFalse(offer.options().contains(227));
    }

    @Test
    @DisplayName("#29 a client announcing a larger maximum gets every option")
    void largerMaximumKeepsEveryOption() throws Exception {
        byte[] big = new byte[200];
        start(TestConfigs.server(TestConfigs.subnet().option(224, big).option(225, big).option(226, big)
                .option(227, big).build()).build(), List.of());

        receive(TestPackets.discover().withHardwareAddress(MAC).withMaxMessageSize(1500)
                .withParameterRequestList(224, 225, 226, 227));

        assertTrue(lastReply().options().contains(227));
    }

    @Test
    @DisplayName("#31 a configured option longer than 255 octets reaches the client as consecutive instances that join back")
    void longConfiguredOptionIsSplitOnTheWire() throws Exception {
        byte[] routes = new byte[300];
        for (int i = 0; i < routes.length; i++) {
            routes[i] = (byte) i;
        }
        start(TestConfigs.server(TestConfigs.subnet().option(224, routes).build()).build(), List.of());

        receive(TestPackets.discover().withHardwareAddress(MAC).withMaxMessageSize(1500).withParameterRequestList(224));

        byte[] raw = transport.last().payload();
        List<Integer> lengths = new ArrayList<>();
        for (int i = DhcpCodec.OPTIONS_OFFSET; (raw[i] & 0xFF) != OptionCode.END; i += 2 + (raw[i + 1] & 0xFF)) {
            if ((raw[i] & 0xFF) == 224) {
                lengths.add(raw[i + 1] & 0xFF);
            }
        }
        assertEquals(List.of(255, 45), lengths);
        assertArrayEquals(routes, lastReply().options().get(224).orElseThrow());
    }

    @Test
    @DisplayName("#33 relay agent information too large for the reply is dropped, and the reply keeps its other options")
    void relayAgentInformationThatCannotFitIsDropped() throws Exception {
        start();
        byte[] huge = new byte[400];
        Arrays.fill(huge, (byte) 'r');

        // The relay's datagram may exceed 576 octets; the client announced no larger maximum, so the reply may not.
        receive(DhcpCodec.encode(TestPackets.discover().withHardwareAddress(MAC).withGiaddr("198.18.0.254").withHops(1)
                .withParameterRequestList(1, 3, 6).withRelayAgentInformation(huge).build(), DhcpCodec.ETHERNET_MTU));

        DhcpMessage offer = lastReply();
        assertEquals(Optional.of(DhcpMessageType.OFFER), offer.messageType());
        assertFalse(offer.options().contains(OptionCode.RELAY_AGENT_INFORMATION));
        assertTrue(offer.options().contains(OptionCode.SUBNET_MASK));
        assertTrue(offer.options().contains(OptionCode.ROUTERS));
        assertTrue(offer.options().contains(OptionCode.DOMAIN_NAME_SERVERS));
    }

    @Test
    @DisplayName("#33 relay agent information that fits is kept even when other options must go")
    void relayAgentInformationThatFitsIsKept() throws Exception {
        byte[] big = new byte[200];
        start(TestConfigs.server(TestConfigs.subnet().option(224, big).option(225, big).build()).build(), List.of());
        byte[] info = new byte[100];
        Arrays.fill(info, (byte) 'i');

        receive(TestPackets.discover().withHardwareAddress(MAC).withGiaddr("198.18.0.254").withHops(1)
                .withParameterRequestList(1, 3, 224, 225).withRelayAgentInformation(info));

        DhcpMessage offer = lastReply();
        assertArrayEquals(info, offer.options().get(OptionCode.RELAY_AGENT_INFORMATION).orElseThrow());
        assertFalse(offer.options().contains(225));
        assertTrue(transport.last().payload().length <= 576 - 28);
    }

    @Test
    @DisplayName("#9 replies to relays go to UDP port 67 unless configured otherwise")
    void relayPortIs67ByDefault() throws Exception {
        start();

        receive(TestPackets.discover().withHardwareAddress(MAC).withGiaddr("198.18.0.254").withHops(1));

        assertEquals(new Delivery.Unicast(Ipv4Address.parse("198.18.0.254"), 67), transport.last().delivery());
    }

    @Test
    void exhaustionIsCountedPerPacketButReportedOncePerInterval() throws Exception {
        start(TestConfigs.server(TestConfigs.subnet().pool("198.18.0.10", "198.18.0.10").build()).build(), List.of());
        offer(MAC);

        receive(TestPackets.discover().withHardwareAddress(OTHER));
        receive(TestPackets.discover().withHardwareAddress("02:00:00:00:00:03"));

        assertEquals(List.of(DropReason.POOL_EXHAUSTED, DropReason.POOL_EXHAUSTED), events.dropReasons());
        assertEquals(1, events.exhausted().size());
        assertEquals(Ipv4Address.parse("198.18.0.0"), events.exhausted().get(0).subnet());
    }

    @Test
    @DisplayName("#17 an offer that gets no REQUEST ends on the timer, with no traffic")
    void offerEndsOnTheTimer() throws Exception {
        start();
        offer(MAC);
        assertEquals(1, server.usage().subnets().get(0).offered());

        scheduler.advance(ServerConfig.DEFAULT_OFFER_HOLD);

        SubnetUsage usage = server.usage().subnets().get(0);
        assertEquals(0, usage.offered());
        assertEquals(10, usage.free());
    }

    @Test
    void boundLeaseEndsOnTheTimer() throws Exception {
        start();
        receive(selecting(MAC, offer(MAC)));
        assertEquals(1, server.usage().subnets().get(0).bound());

        scheduler.advance(TestConfigs.LEASE);

        assertEquals(0, server.usage().subnets().get(0).bound());
        assertEquals(10, server.usage().subnets().get(0).free());
    }

    @Test
    @DisplayName("#22 after a restart, a lease loaded from the store is renewed")
    void loadedLeaseIsRenewed() throws Exception {
        Ipv4Address address = Ipv4Address.parse("198.18.0.14");
        HardwareAddress hardware = HardwareAddress.parseEthernet(MAC);
        Lease stored = new Lease(address, ClientKey.ofHardware(hardware), hardware, Optional.empty(), LeaseState.BOUND,
                Instant.ofEpochMilli(clock.millis()).plus(Duration.ofMinutes(10)), new LeaseVersion(0, 3, new NodeId(1)));
        store = ControlledLeaseStore.holding(List.of(stored));
        start(TestConfigs.server(TestConfigs.subnet().build()).build(), store.loadAll());
        assertEquals(1, server.usage().subnets().get(0).bound());

        receive(TestPackets.request().withHardwareAddress(MAC).withCiaddr("198.18.0.14"));

        assertEquals(address, lastReply().yiaddr());
        assertEquals(new LeaseVersion(0, 4, new NodeId(1)), store.storedAt(address).version());
        assertEquals(new Delivery.Unicast(address, 68), transport.last().delivery());
    }

    @Test
    @DisplayName("#25 RELEASE is written to the store and reported, and answered with nothing")
    void releaseIsStored() throws Exception {
        start();
        Ipv4Address bound = offer(MAC);
        receive(selecting(MAC, bound));
        int sent = transport.sent().size();

        receive(TestPackets.release().withHardwareAddress(MAC).withCiaddr(bound.toString()).withServerIdentifier(LOCAL));

        assertEquals(sent, transport.sent().size());
        assertEquals(LeaseState.RELEASED, store.storedAt(bound).state());
        assertEquals(bound, events.released().get(0).address());
    }

    @Test
    @DisplayName("#24 DECLINE is written to the store and reported as a declined address")
    void declineIsStoredAndReported() throws Exception {
        start();
        Ipv4Address bound = offer(MAC);
        receive(selecting(MAC, bound));

        receive(TestPackets.decline().withHardwareAddress(MAC).withRequestedAddress(bound).withServerIdentifier(LOCAL));

        assertEquals(LeaseState.DECLINED, store.storedAt(bound).state());
        assertEquals(bound, events.declined().get(0).address());
        assertEquals(1, server.usage().subnets().get(0).declined());
    }

    @Test
    void everyRequestAndReplyIsReported() throws Exception {
        start();
        Ipv4Address offered = offer(MAC);
        receive(selecting(MAC, offered));
        receive(TestPackets.inform().withHardwareAddress(OTHER).withCiaddr("198.18.0.77"));

        assertEquals(List.of(DhcpMessageType.DISCOVER, DhcpMessageType.REQUEST, DhcpMessageType.INFORM), events.requests());
        assertEquals(List.of(DhcpMessageType.OFFER, DhcpMessageType.ACK, DhcpMessageType.ACK), events.replies());
    }

    @Test
    void usageCountsEachKindOfAddress() throws Exception {
        start();
        receive(selecting(MAC, offer(MAC)));
        offer(OTHER);

        SubnetUsage usage = server.usage().subnets().get(0);

        PoolRangeUsage pool = new PoolRangeUsage(new AddressRange(Ipv4Address.parse("198.18.0.10"),
                Ipv4Address.parse("198.18.0.19")), Optional.empty(), 10, 1, 1, 0, 8);
        assertEquals(new SubnetUsage(Ipv4Address.parse("198.18.0.0"), 24, 10, 1, 1, 0, 8, List.of(pool)), usage);
    }

    @Test
    void handlingBeforeLoadIsRefused() {
        server = new DhcpServer(TestConfigs.server(TestConfigs.subnet().build()).build(), transport, store, clock,
                scheduler, events);

        assertThrows(IllegalStateException.class, () -> server.handle(new Datagram(TestPackets.discover().encode(),
                CLIENT_SOURCE, 68, LOCAL, Optional.empty())));
    }
}
