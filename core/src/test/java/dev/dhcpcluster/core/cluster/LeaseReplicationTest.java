package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.ManualScheduler;
import dev.dhcpcluster.core.testing.RecordingPeerTransport;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link LeaseReplication} of node 1 in a cluster of three, its disk made durable by hand. */
class LeaseReplicationTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    private static final NodeId THREE = new NodeId(3);
    private static final Ipv4Address ADDRESS = Ipv4Address.parse("198.18.0.10");

    private final ManualScheduler scheduler = new ManualScheduler(new ManualClock());
    private final RecordingPeerTransport transport = new RecordingPeerTransport();
    private final Map<Ipv4Address, Lease> table = new HashMap<>();
    private final List<Runnable> notDurable = new ArrayList<>();
    private final List<LeaseReplication.Outcome> outcomes = new ArrayList<>();
    private final LeaseReplication replication = new LeaseReplication(ONE, Set.of(ONE, TWO, THREE), scheduler,
            transport, new LeaseReplication.Replica() {
                @Override
                public Optional<Lease> current(Ipv4Address address) {
                    return Optional.ofNullable(table.get(address));
                }

                @Override
                public void write(Lease lease, Runnable durable) {
                    table.put(lease.address(), lease);
                    notDurable.add(durable);
                }
            }, Duration.ofMillis(50), () -> 1, false);

    private static Lease lease(int client, long counter, NodeId writer) {
        HardwareAddress mac = HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, 0, (byte) client});
        return new Lease(ADDRESS, ClientKey.ofHardware(mac), mac, Optional.empty(), LeaseState.BOUND,
                Instant.ofEpochSecond(1_800_000_000L), new LeaseVersion(1, counter, writer));
    }

    private void syncDisk() {
        List<Runnable> due = List.copyOf(notDurable);
        notDurable.clear();
        due.forEach(Runnable::run);
    }

    /** What node {@code from} answers once {@code lease} is durable there. */
    private static PeerMessage.LeaseAck ackOf(NodeId from, Lease lease) {
        return new PeerMessage.LeaseAck(from, 1, lease);
    }

    private List<PeerMessage.LeaseAck> acks() {
        return transport.sent(PeerMessage.LeaseAck.class);
    }

    @Test
    @DisplayName("a change commits only once this node's copy is durable and a peer acknowledged it")
    void commitsOnAMajorityOfDurableCopies() {
        Lease first = lease(1, 1, ONE);
        replication.propose(first, Optional.empty(), outcomes::add);
        assertEquals(1, transport.sent(PeerMessage.LeaseChange.class).size());
        assertTrue(table.isEmpty(), "no peer holds it yet, so this node has not written it");

        replication.received(ackOf(TWO, first));
        scheduler.runDue();
        assertEquals(List.of(), outcomes, "written here, but not durable yet");
        syncDisk();
        scheduler.runDue();
        assertEquals(List.of(LeaseReplication.Outcome.COMMITTED), outcomes);
        // The peer that did not answer hears that the change is committed, again until it answers:
        // not at once (its acknowledgement of the change is usually on its way), but within two
        // retransmission intervals.
        assertEquals(0, transport.sent(PeerMessage.LeaseCommit.class).size());
        scheduler.advance(Duration.ofMillis(110));
        assertEquals(1, transport.sent(PeerMessage.LeaseCommit.class).size());
        scheduler.advance(Duration.ofMillis(50));
        assertEquals(2, transport.sent(PeerMessage.LeaseCommit.class).size());
        replication.received(ackOf(THREE, first));
        scheduler.advance(Duration.ofMillis(200));
        assertEquals(2, transport.sent(PeerMessage.LeaseCommit.class).size());
    }

    @Test
    @DisplayName("a peer whose acknowledgement of the change arrives within a retransmission interval of the commit "
            + "hears no commit at all, and the change is sent to no one again")
    void aLateAcknowledgementSavesTheCommitFrame() {
        Lease first = lease(1, 1, ONE);
        replication.propose(first, Optional.empty(), outcomes::add);
        replication.received(ackOf(TWO, first));
        syncDisk();
        scheduler.runDue();
        assertEquals(List.of(LeaseReplication.Outcome.COMMITTED), outcomes);

        scheduler.advance(Duration.ofMillis(30));
        replication.received(ackOf(THREE, first));
        scheduler.advance(Duration.ofMillis(500));

        assertEquals(List.of(), transport.sent(PeerMessage.LeaseCommit.class));
        assertEquals(1, transport.sent(PeerMessage.LeaseChange.class).size(), "the first send only");
    }

    @Test
    @DisplayName("a peer that refused a change that commits hears the commit at once")
    void aRefusingPeerHearsTheCommitAtOnce() {
        Lease first = lease(1, 1, ONE);
        replication.propose(first, Optional.empty(), outcomes::add);
        replication.received(new PeerMessage.LeaseRefusal(THREE, 1, first, Optional.of(new LeaseVersion(1, 0, THREE))));
        replication.received(ackOf(TWO, first));
        syncDisk();
        scheduler.runDue();

        assertEquals(List.of(LeaseReplication.Outcome.COMMITTED), outcomes);
        assertEquals(List.of(new PeerMessage.LeaseCommit(ONE, 1, first)),
                transport.sent(PeerMessage.LeaseCommit.class));
    }

    @Test
    @DisplayName("a change nobody answers is sent again to each peer within two retransmission intervals, then every "
            + "interval")
    void anUnansweredChangeIsSentAgain() {
        Lease first = lease(1, 1, ONE);
        replication.propose(first, Optional.empty(), outcomes::add);
        assertEquals(1, transport.sent(PeerMessage.LeaseChange.class).size(), "one frame to all peers");
        scheduler.advance(Duration.ofMillis(100));
        assertEquals(3, transport.sent(PeerMessage.LeaseChange.class).size(), "again to each of the two peers");
        replication.received(ackOf(TWO, first));
        scheduler.advance(Duration.ofMillis(50));
        assertEquals(4, transport.sent(PeerMessage.LeaseChange.class).size(), "again only to the one that did not answer");
    }

    @Test
    @DisplayName("a change refused by both peers is refused, and leaves no trace on its writer")
    void refusedByAMajority() {
        replication.propose(lease(1, 1, ONE), Optional.empty(), outcomes::add);
        replication.received(new PeerMessage.LeaseRefusal(TWO, 1, lease(1, 1, ONE),
                Optional.of(new LeaseVersion(1, 1, TWO))));
        // A refusal of another lease at the same version (a change from before a restart) is not about this one.
        replication.received(new PeerMessage.LeaseRefusal(THREE, 1, lease(2, 1, ONE),
                Optional.of(new LeaseVersion(1, 1, TWO))));
        scheduler.runDue();
        assertEquals(List.of(), outcomes, "one refusal leaves a majority possible");
        replication.received(new PeerMessage.LeaseRefusal(THREE, 1, lease(1, 1, ONE),
                Optional.of(new LeaseVersion(1, 1, TWO))));
        scheduler.runDue();
        assertEquals(List.of(LeaseReplication.Outcome.REFUSED), outcomes);
        assertTrue(table.isEmpty());
    }

    @Test
    @DisplayName("a replica takes a change only from the lease it names, acknowledges once durable, and again "
            + "for a duplicate")
    void replicaAcceptsOnlyFromTheReplacedVersion() {
        Lease bound = lease(1, 1, TWO);
        replication.received(new PeerMessage.LeaseChange(TWO, 1, bound, Optional.empty()));
        assertEquals(List.of(), acks(), "not durable yet");
        syncDisk();
        assertEquals(List.of(ackOf(ONE, bound)), acks());
        replication.received(new PeerMessage.LeaseChange(TWO, 1, bound, Optional.empty()));
        assertEquals(2, acks().size(), "a duplicate is acknowledged again");

        // Another node's reuse of the address from "no lease" conflicts with what this replica holds.
        Lease reuse = lease(2, 1, THREE);
        replication.received(new PeerMessage.LeaseChange(THREE, 1, reuse, Optional.empty()));
        assertEquals(List.of(new PeerMessage.LeaseRefusal(ONE, 1, reuse,
                Optional.of(bound.version()))), transport.sent(PeerMessage.LeaseRefusal.class));
        assertEquals(bound, table.get(ADDRESS));
    }

    @Test
    @DisplayName("a replica refuses a change that names another lease at the version it holds, and takes one that "
            + "names exactly its lease")
    void replicaComparesTheWholeReplacedLease() {
        Lease held = lease(1, 1, TWO);
        replication.received(new PeerMessage.LeaseChange(TWO, 1, held, Optional.empty()));
        syncDisk();
        // Node 2's lost change of the same version, for client 2: what this replica holds is not what it names.
        Lease sibling = lease(2, 1, TWO);
        Lease onTheSibling = lease(2, 2, THREE);
        replication.received(new PeerMessage.LeaseChange(THREE, 1, onTheSibling, Optional.of(sibling)));
        assertEquals(List.of(new PeerMessage.LeaseRefusal(ONE, 1, onTheSibling, Optional.of(held.version()))),
                transport.sent(PeerMessage.LeaseRefusal.class));
        assertEquals(held, table.get(ADDRESS));

        Lease renewed = lease(1, 2, THREE);
        replication.received(new PeerMessage.LeaseChange(THREE, 1, renewed, Optional.of(held)));
        syncDisk();
        assertEquals(renewed, table.get(ADDRESS));
        assertEquals(ackOf(ONE, renewed), acks().get(acks().size() - 1));
    }

    @Test
    @DisplayName("a replica that missed changes installs a committed lease over its older one")
    void committedLeaseIsInstalledOverAnOlderOne() {
        Lease old = lease(1, 1, TWO);
        replication.received(new PeerMessage.LeaseChange(TWO, 1, old, Optional.empty()));
        syncDisk();
        Lease renewedTwice = lease(1, 3, THREE);
        replication.received(new PeerMessage.LeaseChange(THREE, 1, renewedTwice,
                Optional.of(lease(1, 2, TWO))));
        assertEquals(old, table.get(ADDRESS), "the change names a lease this replica never held");

        replication.received(new PeerMessage.LeaseCommit(THREE, 1, renewedTwice));
        syncDisk();
        assertEquals(renewedTwice, table.get(ADDRESS));
        assertEquals(ackOf(ONE, renewedTwice), acks().get(acks().size() - 1));
        // An older committed lease arriving late changes nothing, and is answered with what it holds.
        replication.received(new PeerMessage.LeaseCommit(TWO, 1, old));
        assertEquals(renewedTwice, table.get(ADDRESS));
        assertEquals(renewedTwice.version(), acks().get(acks().size() - 1).version());
    }

    @Test
    @DisplayName("a node whose store was lost accepts no change, its own neither, but installs committed leases")
    void recoveringNodeVotesForNothing() {
        LeaseReplication recovering = new LeaseReplication(ONE, Set.of(ONE, TWO, THREE), scheduler, transport,
                new LeaseReplication.Replica() {
                    @Override
                    public Optional<Lease> current(Ipv4Address address) {
                        return Optional.ofNullable(table.get(address));
                    }

                    @Override
                    public void write(Lease lease, Runnable durable) {
                        table.put(lease.address(), lease);
                        durable.run();
                    }
                }, Duration.ofMillis(50), () -> 1, true);
        recovering.propose(lease(1, 1, ONE), Optional.empty(), outcomes::add);
        scheduler.runDue();
        assertEquals(List.of(LeaseReplication.Outcome.REFUSED), outcomes);
        recovering.received(new PeerMessage.LeaseChange(TWO, 1, lease(1, 1, TWO), Optional.empty()));
        assertEquals(1, transport.sent(PeerMessage.LeaseRefusal.class).size());
        assertTrue(table.isEmpty());
        recovering.received(new PeerMessage.LeaseCommit(TWO, 1, lease(1, 1, TWO)));
        assertEquals(lease(1, 1, TWO), table.get(ADDRESS));
    }

    @Test
    @DisplayName("after a restart that reuses a version, a late acknowledgement of the previous run's change does "
            + "not count for the new one")
    void lateAckOfThePreviousRunDoesNotCount() {
        // Node 2 is a real replica with its own disk, durable at once.
        Map<Ipv4Address, Lease> twosTable = new HashMap<>();
        RecordingPeerTransport twosTransport = new RecordingPeerTransport();
        LeaseReplication two = new LeaseReplication(TWO, Set.of(ONE, TWO, THREE), scheduler, twosTransport,
                new LeaseReplication.Replica() {
                    @Override
                    public Optional<Lease> current(Ipv4Address address) {
                        return Optional.ofNullable(twosTable.get(address));
                    }

                    @Override
                    public void write(Lease lease, Runnable durable) {
                        twosTable.put(lease.address(), lease);
                        durable.run();
                    }
                }, Duration.ofMillis(50), () -> 1, false);

        // Node 1 proposes client 1's lease at version (1, 1, node 1); node 2 takes it and answers, but the answer
        // is delayed, and node 1 crashes before it arrives: its own disk never held the lease.
        Lease first = lease(1, 1, ONE);
        replication.propose(first, Optional.empty(), outcomes::add);
        two.received(transport.sent(PeerMessage.LeaseChange.class).get(0));
        PeerMessage.LeaseAck late = twosTransport.sent(PeerMessage.LeaseAck.class).get(0);
        assertTrue(table.isEmpty());

        // Restarted over the same disk, node 1 reads no lease of the address, so its next change, for another
        // client, gets the same version.
        LeaseReplication restarted = new LeaseReplication(ONE, Set.of(ONE, TWO, THREE), scheduler, transport,
                new LeaseReplication.Replica() {
                    @Override
                    public Optional<Lease> current(Ipv4Address address) {
                        return Optional.ofNullable(table.get(address));
                    }

                    @Override
                    public void write(Lease lease, Runnable durable) {
                        table.put(lease.address(), lease);
                        notDurable.add(durable);
                    }
                }, Duration.ofMillis(50), () -> 1, false);
        Lease second = lease(2, 1, ONE);
        assertEquals(first.version(), second.version());
        restarted.propose(second, Optional.empty(), outcomes::add);

        // The late answer about client 1's lease arrives: node 2 does not hold client 2's, so it must not count.
        restarted.received(late);
        syncDisk();
        scheduler.runDue();
        assertEquals(List.of(), outcomes, "only node 1 holds client 2's lease: not a majority");
        assertTrue(table.isEmpty(), "node 1 writes its change only once a peer holds it");

        // Node 2 refuses the new change (it holds client 1's lease), node 3 takes it: that is a majority.
        two.received(transport.sent(PeerMessage.LeaseChange.class).get(1));
        twosTransport.sent(PeerMessage.LeaseRefusal.class).forEach(restarted::received);
        assertEquals(List.of(), outcomes, "one refusal leaves a majority possible");
        restarted.received(ackOf(THREE, second));
        syncDisk();
        scheduler.runDue();
        assertEquals(List.of(LeaseReplication.Outcome.COMMITTED), outcomes);
        assertEquals(second, table.get(ADDRESS));
    }
}
