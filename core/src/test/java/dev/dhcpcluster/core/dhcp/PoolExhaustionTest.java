package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.pool.PoolRangeUsage;
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
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.LeaseState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A pool of exactly 100 addresses under a flood of DISCOVERs from thousands of random hardware
 * addresses, relayed as a load generator relays them: the flood gets the pool and nothing more,
 * the rest is counted and reported once per interval, offers end and the addresses come back, and
 * clients that already hold a lease are served throughout.
 *
 * <p>The hardware addresses come from a fixed seed, which every failure message names.
 */
class PoolExhaustionTest {

    private static final long SEED = 0x5eed_d15c;
    private static final int POOL_SIZE = 100;
    private static final int FLOOD = 5000;
    private static final String RELAY = "198.18.0.254";
    private static final Ipv4Address LOCAL = TestConfigs.SERVER;
    /** 198.18.0.100 - 198.18.0.199: exactly {@value #POOL_SIZE} addresses. */
    private static final SubnetConfig SUBNET = TestConfigs.subnet().pool("198.18.0.100", "198.18.0.199").build();
    private static final Duration SHORT_OFFER_HOLD = Duration.ofSeconds(5);
    private static final Duration INTERVAL = DhcpPolicy.EXHAUSTION_REPORT_INTERVAL;

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final RecordingTransport transport = new RecordingTransport();
    private final RecordingEvents events = new RecordingEvents();
    private final ControlledLeaseStore store = new ControlledLeaseStore(Mode.IMMEDIATE);
    private final Random random = new Random(SEED);
    private final Set<HardwareAddress> usedMacs = new LinkedHashSet<>();
    private DhcpServer server;

    private void start(Duration offerHold) {
        server = new DhcpServer(TestConfigs.server(SUBNET).offerHold(offerHold).build(), transport, store, clock,
                scheduler, events);
        server.load(List.of());
    }

    /** A locally administered unicast hardware address no earlier call returned. */
    private HardwareAddress freshMac() {
        while (true) {
            byte[] octets = new byte[6];
            random.nextBytes(octets);
            octets[0] = (byte) ((octets[0] & 0xfc) | 0x02);
            HardwareAddress mac = HardwareAddress.ethernet(octets);
            if (usedMacs.add(mac)) {
                return mac;
            }
        }
    }

    private void receive(TestPackets.Packet packet) {
        server.handle(new Datagram(packet.encode(), Ipv4Address.parse(RELAY), ServerConfig.DEFAULT_RELAY_PORT, LOCAL,
                Optional.empty()));
        scheduler.runDue();
    }

    private static TestPackets.Packet relayedDiscover(HardwareAddress mac, int xid) {
        return TestPackets.discover().withHardwareAddress(mac).withXid(xid).withGiaddr(RELAY).withHops(1);
    }

    /** What one flood of DISCOVERs got back. */
    private record FloodResult(List<HardwareAddress> offeredClients, List<Ipv4Address> offeredAddresses, int silent) {
    }

    /** {@code count} DISCOVERs, each from a new random client; collects the OFFERs they got. */
    private FloodResult flood(int count) throws MalformedPacketException {
        List<HardwareAddress> clients = new ArrayList<>();
        List<Ipv4Address> addresses = new ArrayList<>();
        int silent = 0;
        for (int i = 0; i < count; i++) {
            HardwareAddress mac = freshMac();
            int sentBefore = transport.sent().size();
            receive(relayedDiscover(mac, i));
            if (transport.sent().size() == sentBefore) {
                silent++;
                continue;
            }
            DhcpMessage reply = DhcpCodec.decode(transport.last().payload());
            assertEquals(Optional.of(DhcpMessageType.OFFER), reply.messageType(), seed());
            assertEquals(mac, reply.hardwareAddress(), seed());
            clients.add(mac);
            addresses.add(reply.yiaddr());
        }
        return new FloodResult(clients, addresses, silent);
    }

    private DhcpMessage lastReply() throws MalformedPacketException {
        return DhcpCodec.decode(transport.last().payload());
    }

    private long exhaustedDrops() {
        return events.dropReasons().stream().filter(DropReason.POOL_EXHAUSTED::equals).count();
    }

    /** The usage of the subnet's one pool with {@code bound}, {@code offered} and {@code free} addresses. */
    private static PoolRangeUsage pool(int bound, int offered, int free) {
        return new PoolRangeUsage(SUBNET.pools().get(0).range(), Optional.empty(), POOL_SIZE, bound, offered, 0, free);
    }

    private SubnetUsage usage() {
        return server.usage().subnets().get(0);
    }

    private static Set<Ipv4Address> poolAddresses() {
        Set<Ipv4Address> pool = new TreeSet<>();
        Ipv4Address first = Ipv4Address.parse("198.18.0.100");
        for (int i = 0; i < POOL_SIZE; i++) {
            pool.add(Ipv4Address.of(first.value() + i));
        }
        return pool;
    }

    private static Set<Ipv4Address> distinct(List<Ipv4Address> addresses) {
        Set<Ipv4Address> set = new TreeSet<>();
        set.addAll(addresses);
        return set;
    }

    private static String seed() {
        return "random hardware addresses from seed 0x" + Long.toHexString(SEED);
    }

    @Test
    @DisplayName("#17 a flood of new clients gets exactly the pool, 100 distinct addresses, and silence after")
    void floodGetsThePoolAndNothingMore() throws Exception {
        start(ServerConfig.DEFAULT_OFFER_HOLD);

        FloodResult result = flood(FLOOD);

        assertEquals(POOL_SIZE, result.offeredAddresses().size(), seed());
        assertEquals(poolAddresses(), distinct(result.offeredAddresses()), seed());
        assertEquals(FLOOD - POOL_SIZE, result.silent(), seed());
        assertEquals(FLOOD - POOL_SIZE, exhaustedDrops(), seed());
        assertEquals(FLOOD - POOL_SIZE, events.drops().size(), "every drop was for exhaustion; " + seed());
        assertEquals(FLOOD, events.requests().size());
        assertEquals(new SubnetUsage(SUBNET.network(), 24, POOL_SIZE, 0, POOL_SIZE, 0, 0, List.of(pool(0, POOL_SIZE, 0))), usage());
    }

    @Test
    void exhaustionIsReportedOnceForAWholeFlood() throws Exception {
        start(ServerConfig.DEFAULT_OFFER_HOLD);

        flood(FLOOD);

        assertEquals(List.of(new RecordingEvents.Exhaustion(SUBNET.network(), 24)), events.exhausted());
    }

    @Test
    void exhaustionIsReportedAgainAfterTheIntervalWhileItLasts() throws Exception {
        // Offers outlive the interval here, so the pool is still full when the interval has passed.
        start(INTERVAL.multipliedBy(3));
        flood(POOL_SIZE + 10);
        assertEquals(1, events.exhausted().size());

        scheduler.advance(INTERVAL.minusSeconds(1));
        flood(1000);
        assertEquals(1, events.exhausted().size(), "still within the interval");

        scheduler.advance(Duration.ofSeconds(1));
        flood(1000);
        assertEquals(2, events.exhausted().size(), "the interval has passed and the pool is still full");

        scheduler.advance(INTERVAL.dividedBy(2));
        flood(1000);
        assertEquals(2, events.exhausted().size());
        assertEquals(10 + 3000, exhaustedDrops(), "every unanswered DISCOVER is counted; " + seed());
    }

    @Test
    @DisplayName("#17 once the offers lapse the flood is served again, from the same 100 addresses")
    void expiredOffersServeTheFloodAgain() throws Exception {
        start(SHORT_OFFER_HOLD);
        FloodResult first = flood(FLOOD);
        assertEquals(POOL_SIZE, first.offeredAddresses().size(), seed());

        scheduler.advance(SHORT_OFFER_HOLD.minusMillis(1));
        assertEquals(0, usage().free(), "offers still held just before the hold ends");
        assertEquals(0, flood(100).offeredAddresses().size(), seed());

        scheduler.advance(Duration.ofMillis(1));
        assertEquals(POOL_SIZE, usage().free(), "every offer ended on the timer, without traffic");
        FloodResult second = flood(FLOOD);

        assertEquals(POOL_SIZE, second.offeredAddresses().size(), seed());
        assertEquals(distinct(first.offeredAddresses()), distinct(second.offeredAddresses()), seed());
        assertEquals(FLOOD - POOL_SIZE, second.silent(), seed());
    }

    @Test
    @DisplayName("a flooder that REQUESTs every offer binds the pool and nothing more")
    void bindingFlooderCannotTakeMoreThanThePool() throws Exception {
        start(SHORT_OFFER_HOLD);
        List<Ipv4Address> acked = new ArrayList<>();
        int silent = 0;
        for (int i = 0; i < FLOOD; i++) {
            HardwareAddress mac = freshMac();
            int sentBefore = transport.sent().size();
            receive(relayedDiscover(mac, i));
            if (transport.sent().size() == sentBefore) {
                silent++;
                continue;
            }
            Ipv4Address offered = lastReply().yiaddr();
            receive(TestPackets.request().withHardwareAddress(mac).withXid(i).withGiaddr(RELAY).withHops(1)
                    .withRequestedAddress(offered).withServerIdentifier(LOCAL));
            DhcpMessage ack = lastReply();
            assertEquals(Optional.of(DhcpMessageType.ACK), ack.messageType(), seed());
            acked.add(ack.yiaddr());
        }

        assertEquals(POOL_SIZE, acked.size(), seed());
        assertEquals(poolAddresses(), distinct(acked), seed());
        assertEquals(FLOOD - POOL_SIZE, silent, seed());
        assertEquals(new SubnetUsage(SUBNET.network(), 24, POOL_SIZE, POOL_SIZE, 0, 0, 0, List.of(pool(POOL_SIZE, 0, 0))), usage());
        assertEquals(POOL_SIZE, poolAddresses().stream().map(store::storedAt)
                .filter(lease -> lease != null && lease.state() == LeaseState.BOUND).count());

        // Bindings are not offers: they do not lapse with the offer hold.
        scheduler.advance(SHORT_OFFER_HOLD.multipliedBy(10));
        assertEquals(0, flood(1000).offeredAddresses().size(), seed());
    }

    @Test
    @DisplayName("#21 a client holding a lease renews while a flood keeps the pool full")
    void leaseHolderRenewsWhileThePoolIsFull() throws Exception {
        start(ServerConfig.DEFAULT_OFFER_HOLD);
        HardwareAddress holder = freshMac();
        receive(TestPackets.discover().withHardwareAddress(holder));
        Ipv4Address address = lastReply().yiaddr();
        receive(TestPackets.request().withHardwareAddress(holder).withRequestedAddress(address)
                .withServerIdentifier(LOCAL));
        assertEquals(Optional.of(DhcpMessageType.ACK), lastReply().messageType());

        FloodResult result = flood(FLOOD);
        assertEquals(POOL_SIZE - 1, result.offeredAddresses().size(), seed());
        assertEquals(0, usage().free());

        clock.advance(TestConfigs.LEASE.dividedBy(2));
        receive(TestPackets.request().withHardwareAddress(holder).withCiaddr(address.toString()));

        DhcpMessage ack = lastReply();
        assertEquals(Optional.of(DhcpMessageType.ACK), ack.messageType());
        assertEquals(address, ack.yiaddr());
        assertEquals(clock.millis() + TestConfigs.LEASE.toMillis(), store.storedAt(address).expiry().toEpochMilli());
    }

    @Test
    @DisplayName("#15 a client holding a lease that DISCOVERs again while the pool is full is offered its address")
    void leaseHolderRediscoversWhileThePoolIsFull() throws Exception {
        start(ServerConfig.DEFAULT_OFFER_HOLD);
        HardwareAddress holder = freshMac();
        receive(relayedDiscover(holder, 1));
        Ipv4Address address = lastReply().yiaddr();
        receive(TestPackets.request().withHardwareAddress(holder).withGiaddr(RELAY).withHops(1)
                .withRequestedAddress(address).withServerIdentifier(LOCAL));
        flood(FLOOD);
        assertEquals(0, usage().free());
        long droppedBefore = events.drops().size();

        receive(relayedDiscover(holder, 2));
        DhcpMessage offer = lastReply();
        assertEquals(Optional.of(DhcpMessageType.OFFER), offer.messageType());
        assertEquals(address, offer.yiaddr());

        receive(TestPackets.request().withHardwareAddress(holder).withXid(2).withGiaddr(RELAY).withHops(1)
                .withRequestedAddress(address).withServerIdentifier(LOCAL));
        DhcpMessage ack = lastReply();
        assertEquals(Optional.of(DhcpMessageType.ACK), ack.messageType());
        assertEquals(address, ack.yiaddr());
        assertEquals(droppedBefore, events.drops().size(), "nothing of the lease holder's was dropped");
    }

    @Test
    @DisplayName("#17 a flooded client that repeats its DISCOVER gets the same offer, not a second address")
    void repeatedDiscoverDuringTheFloodKeepsItsOffer() throws Exception {
        start(ServerConfig.DEFAULT_OFFER_HOLD);
        FloodResult result = flood(FLOOD);

        for (int i = 0; i < result.offeredClients().size(); i++) {
            receive(relayedDiscover(result.offeredClients().get(i), FLOOD + i));
            DhcpMessage offer = lastReply();
            assertEquals(Optional.of(DhcpMessageType.OFFER), offer.messageType(), seed());
            assertEquals(result.offeredAddresses().get(i), offer.yiaddr(), seed());
        }
        assertEquals(POOL_SIZE, usage().offered());
        assertEquals(0, usage().free());
    }
}
