package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.ManualScheduler;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerTransport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The race of the issue, step by step on three nodes: node 1 renews client A's lease while node 3,
 * the address's owner, cut off from node 1 but not from node 2, sees A's old lease expire and
 * hands the address to client B. Node 2 is in both majorities, and only one change gets it.
 */
class LeaseReplicationRaceTest {

    private static final NodeId[] IDS = {new NodeId(1), new NodeId(2), new NodeId(3)};
    private static final Ipv4Address ADDRESS = Ipv4Address.parse("198.18.0.10");

    private final ManualScheduler scheduler = new ManualScheduler(new ManualClock());
    private final List<Map<Ipv4Address, Lease>> tables = List.of(new HashMap<>(), new HashMap<>(), new HashMap<>());
    private final List<LeaseReplication> nodes = new ArrayList<>();
    private final Set<String> cut = new HashSet<>();
    private final List<Delivery> inFlight = new ArrayList<>();

    private record Delivery(int to, PeerMessage message) {
    }

    LeaseReplicationRaceTest() {
        for (int i = 0; i < 3; i++) {
            Map<Ipv4Address, Lease> table = tables.get(i);
            NodeId self = IDS[i];
            nodes.add(new LeaseReplication(self, Set.of(IDS), scheduler, new Wire(self), new LeaseReplication.Replica() {
                @Override
                public Optional<Lease> current(Ipv4Address address) {
                    return Optional.ofNullable(table.get(address));
                }

                @Override
                public void write(Lease lease, Runnable durable) {
                    table.put(lease.address(), lease);
                    scheduler.execute(durable);
                }
            }, Duration.ofMillis(50), () -> 1, false));
        }
    }

    /** Delivers every message in flight, and what they cause, until none is left. */
    private void settle() {
        for (int round = 0; round < 100; round++) {
            scheduler.runDue();
            if (inFlight.isEmpty()) {
                return;
            }
            List<Delivery> now = List.copyOf(inFlight);
            inFlight.clear();
            for (Delivery delivery : now) {
                nodes.get(delivery.to()).received(delivery.message());
            }
        }
    }

    private static Lease lease(int client, LeaseVersion version, long expirySeconds) {
        HardwareAddress mac = HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, 0, (byte) client});
        return new Lease(ADDRESS, ClientKey.ofHardware(mac), mac, Optional.empty(), LeaseState.BOUND,
                Instant.ofEpochSecond(expirySeconds), version);
    }

    @Test
    @DisplayName("a renewal through one node and the owner's reuse of the same lease cannot both be committed")
    void renewalAndReuseCannotBothCommit() {
        Lease a = lease(1, LeaseVersion.first(1, IDS[2]), 1_000);
        List<LeaseReplication.Outcome> outcomes = new ArrayList<>();
        nodes.get(2).propose(a, Optional.empty(), outcomes::add);
        settle();
        assertEquals(List.of(LeaseReplication.Outcome.COMMITTED), outcomes, "A's lease is on all three nodes");

        cut.add("1-3");
        cut.add("3-1");
        // Node 1 renews A; node 3 (the owner) reuses the address for B from the same version. Both replace a's.
        Lease renewed = lease(1, a.version().next(1, IDS[0]), 2_000);
        Lease reused = lease(2, a.version().next(1, IDS[2]), 3_000);
        List<LeaseReplication.Outcome> renewal = new ArrayList<>();
        List<LeaseReplication.Outcome> reuse = new ArrayList<>();
        nodes.get(0).propose(renewed, Optional.of(a), renewal::add);
        nodes.get(2).propose(reused, Optional.of(a), reuse::add);
        settle();

        assertEquals(List.of(LeaseReplication.Outcome.COMMITTED), renewal, "node 2 took the renewal first");
        assertEquals(List.of(), reuse, "node 2 refused the reuse and node 1 cannot be reached: B gets no ACK");
        assertEquals(renewed, tables.get(1).get(ADDRESS));
        assertEquals(a, tables.get(2).get(ADDRESS), "the owner has not written its reuse: no replica took it");

        // Once the link heals, node 1 refuses the reuse too, and the owner installs the committed renewal.
        cut.clear();
        // A change is sent again within two retransmission intervals.
        scheduler.advance(Duration.ofMillis(110));
        settle();
        assertEquals(List.of(LeaseReplication.Outcome.REFUSED), reuse);
        assertEquals(renewed, tables.get(2).get(ADDRESS));
    }

    /** One node's end of a network of three, with links that can be cut. */
    private final class Wire implements PeerTransport {
        private final NodeId self;

        Wire(NodeId self) {
            this.self = self;
        }

        @Override
        public void start(PeerHandler handler) {
        }

        @Override
        public void send(NodeId peer, PeerMessage message) {
            if (!cut.contains(self.value() + "-" + peer.value())) {
                inFlight.add(new Delivery(peer.value() - 1, message));
            }
        }

        @Override
        public void sendToAll(PeerMessage message) {
            for (NodeId peer : IDS) {
                if (!peer.equals(self)) {
                    send(peer, message);
                }
            }
        }

        @Override
        public void disconnect(NodeId peer, String reason) {
            // Every simulated node is honest: a node that finds a peer's message invalid has a bug.
            throw new AssertionError(peer + " was disconnected for an invalid message: " + reason);
        }

        @Override
        public Set<NodeId> connected() {
            return Set.of();
        }

        @Override
        public Optional<Duration> roundTrip(NodeId peer) {
            return Optional.empty();
        }

        @Override
        public void close() {
        }
    }
}
