package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
 * A restarted writer reuses the version of a change it lost, step by step on three real
 * {@link LeaseReplication} nodes: node 3, the owner, hands the address to client B, but crashes
 * before its own copy is durable, after node 1 took the change; restarted, it hands the address
 * to client C at the same version through node 2, and dies again before node 1 hears the commit.
 * Node 1 takes the address over and renews B's lease, which it holds. A change that named only the
 * version it replaces would be taken by node 2, which holds C's lease at that version: B and C
 * would both hold an ACK for the address. A change names the whole lease it replaces, so node 2
 * refuses it.
 */
class LostChangeRenewalTest {

    private static final NodeId[] IDS = {new NodeId(1), new NodeId(2), new NodeId(3)};
    private static final int REPLICA = 0;
    private static final int OTHER = 1;
    private static final int WRITER = 2;
    private static final Ipv4Address ADDRESS = Ipv4Address.parse("198.18.0.10");
    private static final Duration RETRANSMIT = Duration.ofMillis(50);
    private static final Duration LEASE_TIME = Duration.ofHours(1);

    private final ManualScheduler scheduler = new ManualScheduler(new ManualClock());
    private final List<Node> nodes = new ArrayList<>();
    private final Set<String> cut = new HashSet<>();
    private final List<Delivery> inFlight = new ArrayList<>();
    /** The leases whose change was committed: those a DHCPACK left for. */
    private final List<Lease> acked = new ArrayList<>();
    /** Every refusal delivered. */
    private final List<PeerMessage.LeaseRefusal> refusalsSeen = new ArrayList<>();

    private record Delivery(int to, PeerMessage message) {
    }

    @Test
    @DisplayName("a replica's renewal of a lease its writer lost in a crash, then replaced at the same version, is "
            + "refused: only the committed client holds the address")
    void theRenewalOfALostLeaseIsRefused() {
        Lease orphan = playUpToTheRenewal(LeaseReplication.Acceptance.CHECKS_REPLACED_LEASE);
        Lease committed = nodes.get(OTHER).table.get(ADDRESS);

        assertEquals(List.of(committed), acked, "C's lease alone was ACKed: B's renewal was not committed");
        assertEquals(committed, nodes.get(OTHER).table.get(ADDRESS), "node 2 kept C's lease");
        assertEquals(orphan, nodes.get(REPLICA).table.get(ADDRESS), "node 1 did not write its own renewal either");
        assertEquals(List.of(new PeerMessage.LeaseRefusal(IDS[OTHER], 1, renewal(orphan),
                Optional.of(committed.version()))), refusalsSeen);
        assertTrue(nodes.get(REPLICA).replication.changing(ADDRESS),
                "the renewal waits for the dead writer, and can never be committed over C's lease");
    }

    @Test
    @DisplayName("the same steps with a replica that checks only the replaced version bind the address to two clients")
    void checkingOnlyTheVersionBindsTheAddressTwice() {
        Lease orphan = playUpToTheRenewal(LeaseReplication.Acceptance.BROKEN_MATCH_REPLACED_VERSION_ONLY);

        assertEquals(2, acked.size(), "C's lease and B's renewal were both ACKed: " + acked);
        Lease forC = acked.get(0);
        Lease forB = acked.get(1);
        assertEquals(renewal(orphan), forB);
        assertNotEquals(forC.clientKey(), forB.clientKey());
        Instant now = Instant.ofEpochMilli(scheduler.clock().millis());
        assertTrue(forC.holdsAddressAt(now) && forB.holdsAddressAt(now),
                "both clients hold an unexpired ACK for " + ADDRESS + " at " + now);
        assertEquals(forB, nodes.get(OTHER).table.get(ADDRESS), "node 2 replaced C's lease, C unseen");
    }

    /**
     * Plays the steps of the class comment and returns client B's lease, which node 1 holds at
     * the version of C's committed lease when it renews it; the renewal is in flight, or settled.
     */
    private Lease playUpToTheRenewal(LeaseReplication.Acceptance acceptance) {
        for (int i = 0; i < IDS.length; i++) {
            nodes.add(new Node(i, acceptance));
        }
        Node writer = nodes.get(WRITER);
        Node replica = nodes.get(REPLICA);
        Node other = nodes.get(OTHER);

        // Client A's lease, committed on every node long ago, has expired: the owner may hand the address on.
        Lease expired = lease(1, LeaseVersion.first(1, IDS[WRITER]), Duration.ofHours(-2));
        propose(writer, expired, Optional.empty());
        settle();
        assertEquals(List.of(expired), acked);
        acked.clear();
        for (Node node : nodes) {
            assertEquals(expired, node.durable.get(ADDRESS));
        }

        // The owner hands the address to B. Only node 1 gets the change, and its acknowledgement
        // makes the owner write its own copy, which is not yet durable when the owner crashes.
        cut.add(link(WRITER, OTHER));
        writer.diskStalls = true;
        Lease lost = lease(2, expired.version().next(1, IDS[WRITER]), LEASE_TIME);
        propose(writer, lost, Optional.of(expired));
        settle();
        assertEquals(lost, replica.durable.get(ADDRESS), "node 1 took B's lease");
        assertEquals(lost, writer.table.get(ADDRESS), "the owner's own copy is written, not durable");
        assertEquals(List.of(), acked, "no ACK left for B");
        writer.crash();
        cut.clear();

        // Restarted, the owner reads A's lease from its disk and hands the address to C: the same
        // version as B's lost lease. Node 1 is cut off; node 2 and the owner commit C's lease.
        writer.restart();
        assertEquals(expired, writer.table.get(ADDRESS));
        Lease committed = lease(3, expired.version().next(1, IDS[WRITER]), LEASE_TIME);
        assertEquals(lost.version(), committed.version(), "the version is reused");
        cut.add(link(WRITER, REPLICA));
        cut.add(link(REPLICA, WRITER));
        propose(writer, committed, Optional.of(expired));
        settle();
        assertEquals(List.of(committed), acked, "C is ACKed");
        assertEquals(committed, other.durable.get(ADDRESS));

        // The owner dies again before node 1 hears the commit; node 1 takes the address over and
        // renews B's lease, the one it holds, when B asks.
        writer.crash();
        assertEquals(lost, replica.table.get(ADDRESS), "node 1 never heard of C's lease");
        propose(replica, renewal(lost), Optional.of(lost));
        for (int round = 0; round < 5; round++) {
            settle();
            scheduler.advance(RETRANSMIT);
        }
        settle();
        return lost;
    }

    /** The renewal node 1 makes of B's lease. */
    private Lease renewal(Lease lost) {
        return lost.withState(LeaseState.BOUND, lost.expiry().plus(LEASE_TIME), 1, IDS[REPLICA]);
    }

    private void propose(Node node, Lease lease, Optional<Lease> replaced) {
        node.replication.propose(lease, replaced, outcome -> {
            if (outcome == LeaseReplication.Outcome.COMMITTED) {
                acked.add(lease);
            }
        });
    }

    private Lease lease(int client, LeaseVersion version, Duration fromNow) {
        HardwareAddress mac = HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, 0, (byte) client});
        return new Lease(ADDRESS, ClientKey.ofHardware(mac), mac, Optional.empty(), LeaseState.BOUND,
                Instant.ofEpochMilli(scheduler.clock().millis()).plus(fromNow), version);
    }

    private static String link(int from, int to) {
        return from + "-" + to;
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
                Node to = nodes.get(delivery.to());
                if (to.up) {
                    if (delivery.message() instanceof PeerMessage.LeaseRefusal refusal) {
                        refusalsSeen.add(refusal);
                    }
                    to.replication.received(delivery.message());
                }
            }
        }
        throw new AssertionError("the messages never settled");
    }

    /** One node: its replication, and a disk whose writes become durable when it does not stall. */
    private final class Node implements LeaseReplication.Replica {
        final int index;
        final LeaseReplication.Acceptance acceptance;
        Map<Ipv4Address, Lease> table = new HashMap<>();
        final Map<Ipv4Address, Lease> durable = new HashMap<>();
        boolean diskStalls;
        boolean up;
        Wire wire;
        LeaseReplication replication;

        Node(int index, LeaseReplication.Acceptance acceptance) {
            this.index = index;
            this.acceptance = acceptance;
            restart();
        }

        /** Starts from what is durable, with a new replication that remembers nothing else. */
        void restart() {
            table = new HashMap<>(durable);
            diskStalls = false;
            up = true;
            wire = new Wire(index);
            replication = new LeaseReplication(IDS[index], Set.of(IDS), scheduler, wire, this, RETRANSMIT, () -> 1,
                    false, LeaseReplication.Quorum.MAJORITY, acceptance);
        }

        /** Loses what is not durable; the old replication's timers and callbacks send nothing any more. */
        void crash() {
            up = false;
            wire.dead = true;
        }

        @Override
        public Optional<Lease> current(Ipv4Address address) {
            return Optional.ofNullable(table.get(address));
        }

        @Override
        public void write(Lease lease, Runnable done) {
            table.put(lease.address(), lease);
            Wire writtenBy = wire;
            if (!diskStalls) {
                scheduler.execute(() -> {
                    if (!writtenBy.dead) {
                        durable.put(lease.address(), lease);
                        done.run();
                    }
                });
            }
        }
    }

    /** One run of a node's end of the network of three, with links that can be cut. */
    private final class Wire implements PeerTransport {
        private final int self;
        boolean dead;

        Wire(int self) {
            this.self = self;
        }

        @Override
        public void start(PeerHandler handler) {
        }

        @Override
        public void send(NodeId peer, PeerMessage message) {
            int to = peer.value() - 1;
            if (!dead && !cut.contains(link(self, to))) {
                inFlight.add(new Delivery(to, message));
            }
        }

        @Override
        public void sendToAll(PeerMessage message) {
            for (NodeId peer : IDS) {
                if (peer.value() - 1 != self) {
                    send(peer, message);
                }
            }
        }

        @Override
        public void disconnect(NodeId peer, String reason) {
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
