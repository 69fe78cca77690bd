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

        replication.received(new PeerMessage.LeaseAck(TWO, 1, ADDRESS, first.version()));
        scheduler.runDue();
        assertEquals(List.of(), outcomes, "written here, but not durable yet");
        syncDisk();
        scheduler.runDue();
        assertEquals(List.of(LeaseReplication.Outcome.COMMITTED), outcomes);
        // The peer that did not answer hears that the change is committed, again until it answers.
        assertEquals(1, transport.sent(PeerMessage.LeaseCommit.class).size());
        scheduler.advance(Duration.ofMillis(60));
        assertEquals(2, transport.sent(PeerMessage.LeaseCommit.class).size());
        replication.received(new PeerMessage.LeaseAck(THREE, 1, ADDRESS, first.version()));
        scheduler.advance(Duration.ofMillis(200));
        assertEquals(2, transport.sent(PeerMessage.LeaseCommit.class).size());
    }

    @Test
    @DisplayName("a change refused by both peers is refused, and leaves no trace on its writer")
    void refusedByAMajority() {
        replication.propose(lease(1, 1, ONE), Optional.empty(), outcomes::add);
        replication.received(new PeerMessage.LeaseRefusal(TWO, 1, ADDRESS, new LeaseVersion(1, 1, ONE),
                Optional.of(new LeaseVersion(1, 1, TWO))));
        assertEquals(List.of(), outcomes, "one refusal leaves a majority possible");
        replication.received(new PeerMessage.LeaseRefusal(THREE, 1, ADDRESS, new LeaseVersion(1, 1, ONE),
                Optional.of(new LeaseVersion(1, 1, TWO))));
        scheduler.runDue();
        assertEquals(List.of(LeaseReplication.Outcome.REFUSED), outcomes);
        assertTrue(table.isEmpty());
    }

    @Test
    @DisplayName("a replica takes a change only from the version it names, acknowledges once durable, and again "
            + "for a duplicate")
    void replicaAcceptsOnlyFromTheReplacedVersion() {
        Lease bound = lease(1, 1, TWO);
        replication.received(new PeerMessage.LeaseChange(TWO, 1, bound, Optional.empty()));
        assertEquals(List.of(), acks(), "not durable yet");
        syncDisk();
        assertEquals(List.of(new PeerMessage.LeaseAck(ONE, 1, ADDRESS, bound.version())), acks());
        replication.received(new PeerMessage.LeaseChange(TWO, 1, bound, Optional.empty()));
        assertEquals(2, acks().size(), "a duplicate is acknowledged again");

        // Another node's reuse of the address from "no lease" conflicts with what this replica holds.
        Lease reuse = lease(2, 1, THREE);
        replication.received(new PeerMessage.LeaseChange(THREE, 1, reuse, Optional.empty()));
        assertEquals(List.of(new PeerMessage.LeaseRefusal(ONE, 1, ADDRESS, reuse.version(),
                Optional.of(bound.version()))), transport.sent(PeerMessage.LeaseRefusal.class));
        assertEquals(bound, table.get(ADDRESS));
    }

    @Test
    @DisplayName("a replica that missed changes installs a committed lease over its older one")
    void committedLeaseIsInstalledOverAnOlderOne() {
        Lease old = lease(1, 1, TWO);
        replication.received(new PeerMessage.LeaseChange(TWO, 1, old, Optional.empty()));
        syncDisk();
        Lease renewedTwice = lease(1, 3, THREE);
        replication.received(new PeerMessage.LeaseChange(THREE, 1, renewedTwice,
                Optional.of(new LeaseVersion(1, 2, TWO))));
        assertEquals(old, table.get(ADDRESS), "the change names a version this replica never held");

        replication.received(new PeerMessage.LeaseCommit(THREE, 1, renewedTwice));
        syncDisk();
        assertEquals(renewedTwice, table.get(ADDRESS));
        assertEquals(new PeerMessage.LeaseAck(ONE, 1, ADDRESS, renewedTwice.version()), acks().get(acks().size() - 1));
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
}
