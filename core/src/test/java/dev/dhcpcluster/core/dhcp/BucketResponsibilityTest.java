package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.cluster.BucketAssignment;
import dev.dhcpcluster.core.cluster.Responsibility;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.lease.LeaseQuery;
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
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A node of a two-node cluster that serves half the client buckets (RFC 3074): the even ones,
 * node 1's share of {@link BucketAssignment#spreadEvenly}. Its subnet is authoritative, so that
 * the NAKs that rest on the lease table are in play.
 */
class BucketResponsibilityTest {

    /** Bucket 182, even: this node's. */
    private static final String MINE = "02:00:00:00:00:03";
    /** Bucket 133 (worked out in LoadBalancingTest), odd: node 2's. */
    private static final String THEIRS = "02:00:00:00:00:01";
    private static final Ipv4Address LOCAL = TestConfigs.SERVER;
    private static final Ipv4Address RELAY = Ipv4Address.parse("198.18.0.254");
    private static final Ipv4Address HELD = Ipv4Address.parse("198.18.0.14");
    private static final int CLIENT_PORT = ServerConfig.DEFAULT_CLIENT_PORT;

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final RecordingTransport transport = new RecordingTransport();
    private final RecordingEvents events = new RecordingEvents();
    private final Responsibility evenBuckets =
            BucketAssignment.spreadEvenly(List.of(new NodeId(1), new NodeId(2))).responsibilityOf(new NodeId(1));
    private ControlledLeaseStore store = new ControlledLeaseStore(Mode.IMMEDIATE);
    private DhcpServer server;

    private void start(List<Lease> stored) {
        assertEquals(182, bucket(MINE));
        assertEquals(133, bucket(THEIRS));
        store = ControlledLeaseStore.holding(stored);
        server = new DhcpServer(TestConfigs.server(TestConfigs.subnet().authoritative().build()).build(), transport,
                store, clock, scheduler, events, evenBuckets);
        server.load(stored);
    }

    private void start() {
        start(List.of());
    }

    private static int bucket(String mac) {
        return ClientBuckets.bucketOf(TestPackets.discover().withHardwareAddress(mac).build());
    }

    /** A lease of {@link #HELD} for {@code mac}, half an hour to run, written (and so ACKed) by node 2. */
    private Lease leaseOf(String mac) {
        return leaseOf(mac, new NodeId(2));
    }

    /** A lease of {@link #HELD} for {@code mac}, half an hour to run, written (and so ACKed) by {@code writer}. */
    private Lease leaseOf(String mac, NodeId writer) {
        HardwareAddress hardware = HardwareAddress.parseEthernet(mac);
        return new Lease(HELD, ClientKey.ofHardware(hardware), hardware, Optional.empty(), LeaseState.BOUND,
                Instant.ofEpochMilli(clock.millis()).plusSeconds(1800),
                new LeaseVersion(LeaseVersion.NO_EPOCH, 3, writer));
    }

    private void receive(TestPackets.Packet packet) {
        server.handle(new Datagram(packet.encode(), Ipv4Address.ZERO, CLIENT_PORT, LOCAL, Optional.empty()));
        scheduler.runDue();
    }

    private DhcpMessage lastReply(DhcpMessageType type) throws MalformedPacketException {
        DhcpMessage reply = DhcpCodec.decode(transport.last().payload());
        assertEquals(Optional.of(type), reply.messageType());
        return reply;
    }

    private List<Lease> table() {
        return server.leases(LeaseQuery.all(100)).leases();
    }

    /** Nothing was sent, nothing written, and one drop counted for the client's bucket. */
    private void assertLeftToTheOwner(int bucket) {
        assertTrue(transport.sent().isEmpty(), "sent " + transport.sent());
        assertTrue(store.written().isEmpty(), "wrote " + store.written());
        assertEquals(List.of(DropReason.NOT_THIS_NODES_BUCKET), events.dropReasons());
        String detail = events.drops().get(0).detail();
        assertTrue(detail.contains("bucket " + bucket), detail);
    }

    @Test
    @DisplayName("#37 a DISCOVER from a client of its own bucket gets an OFFER")
    void discoverOfOwnBucketIsOffered() throws Exception {
        start();

        receive(TestPackets.discover().withHardwareAddress(MINE));

        assertEquals(Ipv4Address.parse("198.18.0.10"), lastReply(DhcpMessageType.OFFER).yiaddr());
        assertEquals(1, server.usage().subnets().get(0).offered());
    }

    @Test
    @DisplayName("#37 a DISCOVER from a client of another node's bucket gets no OFFER, holds no address, and is counted")
    void discoverOfAnotherBucketIsDropped() {
        start();

        receive(TestPackets.discover().withHardwareAddress(THEIRS));

        assertLeftToTheOwner(133);
        assertEquals(0, server.usage().subnets().get(0).offered());
    }

    @Test
    @DisplayName("#37 a relayed REBINDING of another node's client is left to the bucket's owner, lease on record or not")
    void relayedRebindingOfAnotherBucketIsDropped() {
        Lease stored = leaseOf(THEIRS);
        start(List.of(stored));

        receive(TestPackets.request().withHardwareAddress(THEIRS).withCiaddr(HELD.toString())
                .withGiaddr(RELAY.toString()));

        assertLeftToTheOwner(133);
        assertEquals(List.of(stored), table());
    }

    @Test
    @DisplayName("#37 a relayed REBINDING of its own client is ACKed through the relay")
    void relayedRebindingOfOwnBucketIsAcked() throws Exception {
        start(List.of(leaseOf(MINE)));

        receive(TestPackets.request().withHardwareAddress(MINE).withCiaddr(HELD.toString())
                .withGiaddr(RELAY.toString()));

        assertEquals(HELD, lastReply(DhcpMessageType.ACK).yiaddr());
        assertEquals(new Delivery.Unicast(RELAY, ServerConfig.DEFAULT_RELAY_PORT), transport.last().delivery());
    }

    @Test
    @DisplayName("#37 a RENEWING REQUEST of a lease this node ACKed is ACKed whoever's bucket the client is in")
    void renewingOfAnotherBucketIsAcked() throws Exception {
        start(List.of(leaseOf(THEIRS, new NodeId(1))));

        receive(TestPackets.request().withHardwareAddress(THEIRS).withCiaddr(HELD.toString()));

        assertEquals(HELD, lastReply(DhcpMessageType.ACK).yiaddr());
        assertEquals(new Delivery.Unicast(HELD, CLIENT_PORT), transport.last().delivery());
        assertEquals(1, store.written().size());
    }

    /**
     * The client's server is node 2, which wrote (and ACKed) its lease: a REQUEST with ciaddr that
     * reaches node 1 straight from the client was broadcast, a REBINDING, which the bucket's owner
     * answers alone; if every node that heard it extended the lease, their replicated changes
     * would refuse each other.
     */
    @Test
    @DisplayName("#37 a REQUEST with ciaddr sent straight to this node, of its own client, is ACKed to the client")
    void renewingOfOwnBucketIsAcked() throws Exception {
        start(List.of(leaseOf(MINE)));

        receive(TestPackets.request().withHardwareAddress(MINE).withCiaddr(HELD.toString()));

        assertEquals(HELD, lastReply(DhcpMessageType.ACK).yiaddr());
        assertEquals(new Delivery.Unicast(HELD, CLIENT_PORT), transport.last().delivery());
        assertEquals(1, store.written().size());
    }

    /**
     * The client's server is node 2, which wrote (and ACKed) its lease: a REQUEST with ciaddr that
     * reaches node 1 straight from the client was broadcast, a REBINDING, which the bucket's owner
     * answers alone; if every node that heard it extended the lease, their replicated changes
     * would refuse each other.
     */
    @Test
    @DisplayName("#37 a REQUEST with ciaddr straight from another node's client whose lease another node wrote is a "
            + "REBINDING, left to the bucket's owner")
    void directRebindingOfAnotherBucketIsDropped() {
        Lease stored = leaseOf(THEIRS, new NodeId(2));
        start(List.of(stored));

        receive(TestPackets.request().withHardwareAddress(THEIRS).withCiaddr(HELD.toString()));

        assertLeftToTheOwner(133);
        assertEquals(List.of(stored), table());
    }

    @Test
    @DisplayName("#37 a REQUEST with ciaddr straight from its own client is ACKed, whoever wrote the lease")
    void directRebindingOfOwnBucketIsAcked() throws Exception {
        start(List.of(leaseOf(MINE, new NodeId(2))));

        receive(TestPackets.request().withHardwareAddress(MINE).withCiaddr(HELD.toString()));

        assertEquals(HELD, lastReply(DhcpMessageType.ACK).yiaddr());
        assertEquals(1, store.written().size());
    }

    @Test
    @DisplayName("#38 INIT-REBOOT of another node's client for its address on record is left to the bucket's owner")
    void initRebootOfAKnownClientOfAnotherBucketIsLeftToTheOwner() {
        Lease stored = leaseOf(THEIRS);
        start(List.of(stored));

        receive(TestPackets.request().withHardwareAddress(THEIRS).withRequestedAddress(HELD.toString()));

        assertLeftToTheOwner(133);
        assertEquals(List.of(stored), table());
    }

    @Test
    @DisplayName("#37 a RELEASE or DECLINE naming no server is left to the bucket's owner; naming this node, carried out")
    void releaseOrDeclineNamingNoServerIsLeftToTheOwner() {
        Lease stored = leaseOf(THEIRS);
        start(List.of(stored));

        receive(TestPackets.release().withHardwareAddress(THEIRS).withCiaddr(HELD.toString()));
        receive(TestPackets.decline().withHardwareAddress(THEIRS).withRequestedAddress(HELD.toString()));

        assertEquals(List.of(DropReason.NOT_THIS_NODES_BUCKET, DropReason.NOT_THIS_NODES_BUCKET), events.dropReasons());
        assertEquals(List.of(stored), table());
        assertTrue(store.written().isEmpty());
    }

    @Test
    @DisplayName("#37 a SELECTING REQUEST naming this node is ACKed whoever's bucket the client is in")
    void selectingThisNodeIsAckedForAnyBucket() throws Exception {
        start();

        receive(TestPackets.request().withHardwareAddress(THEIRS).withRequestedAddress("198.18.0.10")
                .withServerIdentifier(LOCAL));

        assertEquals(Ipv4Address.parse("198.18.0.10"), lastReply(DhcpMessageType.ACK).yiaddr());
        assertEquals(1, table().size());
    }

    @Test
    @DisplayName("#38 INIT-REBOOT of an unknown client of another node's bucket gets no NAK, and the table is untouched")
    void initRebootOfAnUnknownClientOfAnotherBucketIsDropped() {
        start();

        receive(TestPackets.request().withHardwareAddress(THEIRS).withRequestedAddress("198.18.0.15"));

        assertLeftToTheOwner(133);
        assertEquals(List.of(), table());
    }

    @Test
    @DisplayName("#20 #38 INIT-REBOOT of an unknown client of its own bucket is NAKed by broadcast, the table untouched")
    void initRebootOfAnUnknownClientOfOwnBucketIsNaked() throws Exception {
        start();

        receive(TestPackets.request().withHardwareAddress(MINE).withRequestedAddress("198.18.0.15"));

        assertEquals(Ipv4Address.ZERO, lastReply(DhcpMessageType.NAK).yiaddr());
        assertEquals(new Delivery.Broadcast(CLIENT_PORT), transport.last().delivery());
        assertTrue(store.written().isEmpty());
        assertEquals(List.of(), table());
    }

    @Test
    @DisplayName("#38 INIT-REBOOT of another node's client for an address not on record gets no NAK, its lease kept")
    void initRebootForAnotherAddressOfAnotherBucketIsDropped() {
        Lease stored = leaseOf(THEIRS);
        start(List.of(stored));

        receive(TestPackets.request().withHardwareAddress(THEIRS).withRequestedAddress("198.18.0.15"));

        assertLeftToTheOwner(133);
        assertEquals(List.of(stored), table());
    }

    @Test
    @DisplayName("#38 RENEWING without a lease: NAKed by broadcast for its own bucket, silence for another node's")
    void renewingWithoutALeaseIsNakedOnlyForOwnBucket() throws Exception {
        start();

        receive(TestPackets.request().withHardwareAddress(THEIRS).withCiaddr("198.18.0.15"));
        assertLeftToTheOwner(133);

        receive(TestPackets.request().withHardwareAddress(MINE).withCiaddr("198.18.0.15"));
        assertEquals(Ipv4Address.ZERO, lastReply(DhcpMessageType.NAK).yiaddr());
        assertEquals(new Delivery.Broadcast(CLIENT_PORT), transport.last().delivery());
        assertTrue(store.written().isEmpty());
        assertEquals(List.of(), table());
    }

    @Test
    @DisplayName("#20 #38 INIT-REBOOT for an address on another network is NAKed whoever's bucket the client is in")
    void wrongNetworkIsNakedForEveryBucket() throws Exception {
        start();

        receive(TestPackets.request().withHardwareAddress(THEIRS).withRequestedAddress("198.19.200.7"));

        assertEquals(Ipv4Address.ZERO, lastReply(DhcpMessageType.NAK).yiaddr());
        assertEquals(new Delivery.Broadcast(CLIENT_PORT), transport.last().delivery());
        assertTrue(store.written().isEmpty());
        assertEquals(List.of(), table());
    }

    @Test
    @DisplayName("#37 a RELEASE from another node's client is carried out as before")
    void releaseOfAnotherBucketIsCarriedOut() {
        start(List.of(leaseOf(THEIRS)));

        receive(TestPackets.release().withHardwareAddress(THEIRS).withCiaddr(HELD.toString())
                .withServerIdentifier(LOCAL));

        assertEquals(1, events.released().size());
        assertEquals(LeaseState.RELEASED, store.written().get(0).state());
        assertTrue(transport.sent().isEmpty());
    }
}
