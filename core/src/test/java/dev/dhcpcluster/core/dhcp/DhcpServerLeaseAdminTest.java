package dev.dhcpcluster.core.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.lease.LeaseQuery;
import dev.dhcpcluster.core.testing.ControlledLeaseStore;
import dev.dhcpcluster.core.testing.ControlledLeaseStore.Mode;
import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.ManualScheduler;
import dev.dhcpcluster.core.testing.RecordingTransport;
import dev.dhcpcluster.core.testing.TestConfigs;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What an operator can ask of a running server: {@link DhcpServer#leases} and {@link DhcpServer#removeLease}. */
class DhcpServerLeaseAdminTest {

    private static final String MAC = "02:00:00:00:00:01";
    private static final String OTHER = "02:00:00:00:00:02";
    private static final String THIRD = "02:00:00:00:00:03";
    private static final Ipv4Address LOCAL = TestConfigs.SERVER;

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final RecordingTransport transport = new RecordingTransport();
    private final ControlledLeaseStore store = new ControlledLeaseStore(Mode.IMMEDIATE);
    /** Two addresses in the pool: once both are bound, a third client gets one only if it is freed. */
    private final DhcpServer server = new DhcpServer(TestConfigs.server(TestConfigs.subnet()
            .pool("198.18.0.10", "198.18.0.11").build()).build(), transport, store, clock, scheduler,
            ClusterEvents.NONE);

    private DhcpMessage exchange(TestPackets.Packet packet) throws MalformedPacketException {
        server.handle(new Datagram(packet.encode(), Ipv4Address.ZERO, ServerConfig.DEFAULT_CLIENT_PORT, LOCAL,
                Optional.empty()));
        scheduler.runDue();
        return DhcpCodec.decode(transport.last().payload());
    }

    /** DISCOVER then REQUEST: the address the client is bound to. */
    private Ipv4Address lease(String mac) throws MalformedPacketException {
        Ipv4Address offered = exchange(TestPackets.discover().withHardwareAddress(mac)).yiaddr();
        DhcpMessage ack = exchange(TestPackets.request().withHardwareAddress(mac).withRequestedAddress(offered)
                .withServerIdentifier(LOCAL));
        assertEquals(Optional.of(DhcpMessageType.ACK), ack.messageType());
        return ack.yiaddr();
    }

    /** Records how a write ended. */
    private static final class Outcome implements WriteCompletion {
        boolean durable;
        LeaseStoreException failure;

        @Override
        public void durable() {
            durable = true;
        }

        @Override
        public void failed(LeaseStoreException cause) {
            failure = cause;
        }
    }

    @Test
    @DisplayName("the leases a server has bound can be queried by hardware address")
    void queryByHardwareAddress() throws Exception {
        server.load(List.of());
        Ipv4Address first = lease(MAC);
        lease(OTHER);

        List<Lease> found = server.leases(new LeaseQuery(Optional.empty(),
                Optional.of(HardwareAddress.parseEthernet(MAC)), Optional.empty(), Optional.empty(), Ipv4Address.ZERO,
                Ipv4Address.BROADCAST, Optional.empty(), 10)).leases();

        assertEquals(1, found.size());
        assertEquals(first, found.get(0).address());
        assertEquals(LeaseState.BOUND, found.get(0).state());
    }

    @Test
    @DisplayName("removing a lease writes its end to the store, reports when durable, and frees the address")
    void removeWritesTheStoreAndFreesTheAddress() throws Exception {
        server.load(List.of());
        Ipv4Address address = lease(MAC);
        lease(THIRD); // the pool is full now
        store.mode(Mode.HELD);
        Outcome outcome = new Outcome();

        Optional<Lease> ended = server.removeLease(address, outcome);

        assertTrue(ended.isPresent());
        assertFalse(outcome.durable, "not durable before the store says so");
        store.completeAll();
        assertTrue(outcome.durable);
        Lease stored = store.storedAt(address);
        assertEquals(LeaseState.EXPIRED, stored.state());
        assertFalse(stored.holdsAddressAt(java.time.Instant.ofEpochMilli(clock.millis())),
                "the store holds no live lease for the address");
        store.mode(Mode.IMMEDIATE);
        assertEquals(address, lease(OTHER), "another client is given the address");
    }

    @Test
    @DisplayName("removing an address no lease holds writes nothing")
    void removeNothing() throws Exception {
        server.load(List.of());
        Outcome outcome = new Outcome();

        assertEquals(Optional.empty(), server.removeLease(Ipv4Address.parse("198.18.0.10"), outcome));

        assertTrue(store.written().isEmpty());
        assertFalse(outcome.durable);
    }
}
