package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.DhcpServer;
import dev.dhcpcluster.core.dhcp.MalformedPacketException;
import dev.dhcpcluster.core.dhcp.TestPackets;
import dev.dhcpcluster.core.testing.ControlledLeaseStore;
import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.ManualScheduler;
import dev.dhcpcluster.core.testing.RecordingEvents;
import dev.dhcpcluster.core.testing.RecordingPeerTransport;
import dev.dhcpcluster.core.testing.RecordingTransport;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Node 1 of three serving DHCP through a {@link ReplicatedLeaseStore}: what its clients see of the
 * replication. The peers are played by hand through the messages they would send.
 */
class ReplicatedLeaseStoreTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    private static final NodeId THREE = new NodeId(3);
    private static final Ipv4Address LOCAL = TestConfigs.SERVER;
    private static final Ipv4Address FIRST = Ipv4Address.parse("198.18.0.10");
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final RecordingTransport transport = new RecordingTransport();
    private final RecordingPeerTransport peers = new RecordingPeerTransport();
    private final RecordingEvents events = new RecordingEvents();
    private final ControlledLeaseStore disk = new ControlledLeaseStore(ControlledLeaseStore.Mode.IMMEDIATE);
    private final HeldBuckets buckets = new HeldBuckets();
    private DhcpServer server;
    private final ReplicatedLeaseStore store = new ReplicatedLeaseStore(ONE, Set.of(ONE, TWO, THREE), disk, scheduler,
            peers, Duration.ofMillis(200), () -> 1, false, new ReplicatedLeaseStore.Listener() {
                @Override
                public void written(Lease lease) {
                    server.merge(lease);
                }

                @Override
                public void refused(Lease refused, Optional<Lease> agreed) {
                    server.revert(refused, agreed);
                }
            });

    private void start() throws Exception {
        ServerConfig config = TestConfigs.server(TestConfigs.subnet().build()).build();
        server = new DhcpServer(config, transport, store, clock, scheduler, events, buckets, GRACE);
        server.load(store.loadAll());
        buckets.hold(IntStream.range(0, LoadBalancing.BUCKETS).boxed().collect(Collectors.toSet()));
    }

    private void receive(byte[] payload) {
        server.handle(new Datagram(payload, Ipv4Address.ZERO, ServerConfig.DEFAULT_CLIENT_PORT, LOCAL,
                Optional.empty()));
        scheduler.runDue();
    }

    private static byte[] discover(String mac) {
        return TestPackets.discover().withHardwareAddress(mac).encode();
    }

    private static byte[] selecting(String mac, Ipv4Address address) {
        return TestPackets.request().withHardwareAddress(mac).withRequestedAddress(address).withServerIdentifier(LOCAL)
                .encode();
    }

    private List<DhcpMessageType> replies() {
        return transport.sent().stream().map(sent -> {
            try {
                return DhcpCodec.decode(sent.payload()).messageType().orElseThrow();
            } catch (MalformedPacketException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private DhcpMessage lastReply() throws MalformedPacketException {
        return DhcpCodec.decode(transport.last().payload());
    }

    private Lease proposed() {
        List<PeerMessage.LeaseChange> changes = peers.sent(PeerMessage.LeaseChange.class);
        return changes.get(changes.size() - 1).lease();
    }

    private static Lease peerLease(String mac, Ipv4Address address, Instant expiry) {
        HardwareAddress hardware = HardwareAddress.parseEthernet(mac);
        return new Lease(address, ClientKey.ofHardware(hardware), hardware, Optional.empty(), LeaseState.BOUND, expiry,
                new LeaseVersion(1, 1, TWO));
    }

    @Test
    @DisplayName("the ACK leaves only once a peer holds the lease durably: this node's own durable copy is not a majority")
    void theAckWaitsForAMajority() throws Exception {
        start();
        receive(discover("02:00:00:00:00:01"));
        receive(selecting("02:00:00:00:00:01", FIRST));

        assertEquals(List.of(DhcpMessageType.OFFER), replies(), "no ACK before a peer acknowledged");
        Lease binding = proposed();
        assertEquals(FIRST, binding.address());
        assertTrue(disk.written().isEmpty(), "the writer writes its own copy once a peer holds it");

        store.received(new PeerMessage.LeaseAck(TWO, 1, binding));
        scheduler.runDue();

        assertEquals(List.of(DhcpMessageType.OFFER, DhcpMessageType.ACK), replies());
        assertEquals(FIRST, lastReply().yiaddr());
        assertEquals(binding, disk.storedAt(FIRST), "durable here as well");
    }

    @Test
    @DisplayName("a binding the peers refuse gets no ACK, and its address goes back to the pool once the expiry grace "
            + "is over (the peers hold a version of it this node does not know)")
    void aRefusedBindingIsUndone() throws Exception {
        start();
        long poolSize = server.usage().free();
        receive(discover("02:00:00:00:00:01"));
        receive(selecting("02:00:00:00:00:01", FIRST));
        Lease binding = proposed();

        store.received(new PeerMessage.LeaseRefusal(TWO, 1, binding, Optional.empty()));
        store.received(new PeerMessage.LeaseRefusal(THREE, 1, binding, Optional.empty()));
        scheduler.runDue();

        assertEquals(List.of(DhcpMessageType.OFFER), replies(), "no ACK");
        assertEquals(List.of(DropReason.STORE_FAILED), events.dropReasons());
        assertEquals(0, server.usage().bound(), "the table no longer holds the refused binding");
        assertTrue(disk.written().isEmpty(), "nothing refused reaches this node's disk");
        assertEquals(poolSize - 1, server.usage().free(), "within the grace the address is offered to no one");
        receive(discover("02:00:00:00:00:01"));
        assertNotEquals(FIRST, lastReply().yiaddr(), "the next offer is of another address");

        clock.advance(GRACE);
        scheduler.runDue();
        assertEquals(poolSize - 1, server.usage().free(), "the grace is over: only the new offer holds an address");
    }

    @Test
    @DisplayName("a peer's binding is acknowledged once durable here, and its address is offered to no other client")
    void aPeersBindingIsLearned() throws Exception {
        start();
        Lease theirs = peerLease("02:00:00:00:00:09", FIRST, Instant.ofEpochMilli(clock.millis()).plus(Duration.ofHours(1)));

        store.received(new PeerMessage.LeaseChange(TWO, 1, theirs, Optional.empty()));
        scheduler.runDue();

        assertEquals(List.of(new RecordingPeerTransport.Sent(Optional.of(TWO), new PeerMessage.LeaseAck(ONE, 1, theirs))),
                peers.sent().stream().filter(sent -> sent.message() instanceof PeerMessage.LeaseAck).toList());
        assertEquals(theirs, disk.storedAt(FIRST));
        receive(discover("02:00:00:00:00:01"));
        assertNotEquals(FIRST, lastReply().yiaddr(), "the peer's client holds it");
    }

    @Test
    @DisplayName("the snapshot pages hold the newest stored lease of each address and the peers' bindings learned since, in address order")
    void snapshotPagesHoldTheNewestLeaseOfEachAddress() throws Exception {
        Instant expiry = Instant.ofEpochMilli(clock.millis()).plus(Duration.ofHours(1));
        Ipv4Address second = FIRST.plus(1);
        Ipv4Address third = FIRST.plus(2);
        Lease older = peerLease("02:00:00:00:00:01", FIRST, expiry);
        Lease newer = older.withState(LeaseState.RELEASED, expiry, 2, THREE);
        Lease last = peerLease("02:00:00:00:00:03", third, expiry);
        // A store that hands both versions of the first address, the newer first, as a store read
        // through two indexes might: the replica keeps the newer.
        ControlledLeaseStore kept = ControlledLeaseStore.holding(List.of(last, newer));
        LeaseStore local = new LeaseStore() {
            @Override
            public List<Lease> loadAll() {
                return List.of(newer, last, older);
            }

            @Override
            public void checkWritable() throws LeaseStoreException {
                kept.checkWritable();
            }

            @Override
            public void write(List<Lease> batch, WriteCompletion completion) {
                kept.write(batch, completion);
            }

            @Override
            public void close() {
                kept.close();
            }
        };
        ReplicatedLeaseStore replica = new ReplicatedLeaseStore(ONE, Set.of(ONE, TWO, THREE), local, scheduler, peers,
                Duration.ofMillis(200), () -> 2, false, new ReplicatedLeaseStore.Listener() {
                    @Override
                    public void written(Lease lease) {
                    }

                    @Override
                    public void refused(Lease refused, Optional<Lease> agreed) {
                    }
                });
        assertEquals(3, replica.loadEach(lease -> { }));

        Lease learned = peerLease("02:00:00:00:00:02", second, expiry);
        replica.received(new PeerMessage.LeaseChange(TWO, 2, learned, Optional.empty()));
        scheduler.runDue();

        assertEquals(List.of(newer, learned), replica.leasesAfter(Optional.empty(), 2));
        assertEquals(List.of(last), replica.leasesAfter(Optional.of(second), 2));
        assertEquals(List.of(), replica.leasesAfter(Optional.of(third), 2));
    }

    @Test
    @DisplayName("the peer's changes that arrive together are written here as one batch, and each is acknowledged "
            + "once that batch is durable")
    void aPeersBurstIsOneWrite() throws Exception {
        start();
        disk.mode(ControlledLeaseStore.Mode.HELD);
        Instant expiry = Instant.ofEpochMilli(clock.millis()).plus(Duration.ofHours(1));
        List<Lease> theirs = List.of(peerLease("02:00:00:00:00:07", FIRST, expiry),
                peerLease("02:00:00:00:00:08", Ipv4Address.parse("198.18.0.11"), expiry),
                peerLease("02:00:00:00:00:09", Ipv4Address.parse("198.18.0.12"), expiry));

        scheduler.execute(() -> theirs.forEach(
                lease -> store.received(new PeerMessage.LeaseChange(TWO, 1, lease, Optional.empty()))));
        scheduler.runDue();

        assertEquals(1, disk.pendingWrites(), "one write for the three changes");
        assertEquals(theirs, disk.written());
        assertTrue(peers.sent(PeerMessage.LeaseAck.class).isEmpty(), "nothing is acknowledged before it is durable");
        disk.completeAll();
        scheduler.runDue();
        assertEquals(theirs, peers.sent(PeerMessage.LeaseAck.class).stream().map(PeerMessage.LeaseAck::lease).toList());
    }

    @Test
    @DisplayName("an address whose lease ended by time stays out of the pool for the grace, then is offered again")
    void anExpiredAddressWaitsForTheGrace() throws Exception {
        start();
        Lease theirs = peerLease("02:00:00:00:00:09", FIRST, Instant.ofEpochMilli(clock.millis()).plus(Duration.ofMinutes(1)));
        store.received(new PeerMessage.LeaseCommit(TWO, 1, theirs));
        scheduler.runDue();

        long poolSize = server.usage().free() + 1;

        clock.advance(Duration.ofMinutes(1));
        scheduler.runDue();
        assertEquals(0, server.usage().bound(), "the lease has ended");
        clock.advance(GRACE.minusMillis(1));
        scheduler.runDue();
        assertEquals(poolSize - 1, server.usage().free(), "still within the grace: the address is not free");
        receive(selecting("02:00:00:00:00:01", FIRST));
        assertEquals(List.of(DhcpMessageType.NAK), replies(), "another client asking for it is told no");

        clock.advance(Duration.ofMillis(1));
        scheduler.runDue();
        assertEquals(poolSize, server.usage().free(), "the grace is over: the address is free");
    }

    @Test
    @DisplayName("the replicated store answers for its local store what the node asks before loading: the count of stored leases (which sizes the lease table once), whether the medium exists, and its description")
    void theLocalStoreAnswersWhatTheNodeAsksFirst() {
        LeaseStore local = new LeaseStore() {
            @Override
            public List<Lease> loadAll() {
                return List.of();
            }

            @Override
            public OptionalLong storedCount() {
                return OptionalLong.of(1_000_000);
            }

            @Override
            public boolean mediumExists() {
                return true;
            }

            @Override
            public String describe() {
                return "sqlite /var/lib/dhcpcluster/leases.db";
            }

            @Override
            public void checkWritable() {
            }

            @Override
            public void write(List<Lease> batch, WriteCompletion completion) {
            }

            @Override
            public void close() {
            }
        };
        ReplicatedLeaseStore replicated = new ReplicatedLeaseStore(ONE, Set.of(ONE, TWO, THREE), local, scheduler, peers,
                Duration.ofMillis(200), () -> 1, false, new ReplicatedLeaseStore.Listener() {
                    @Override
                    public void written(Lease lease) {
                    }

                    @Override
                    public void refused(Lease refused, Optional<Lease> agreed) {
                    }
                });

        assertEquals(OptionalLong.of(1_000_000), replicated.storedCount());
        assertTrue(replicated.mediumExists());
        assertEquals("sqlite /var/lib/dhcpcluster/leases.db", replicated.describe());
    }

}
