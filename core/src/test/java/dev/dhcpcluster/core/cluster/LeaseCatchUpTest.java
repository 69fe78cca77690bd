package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link LeaseCatchUp} of node 1, on a manual clock: serving pages of its leases, and reading the
 * snapshots of its peers after it lost its store.
 */
class LeaseCatchUpTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    private static final NodeId THREE = new NodeId(3);
    private static final NodeId FOUR = new NodeId(4);
    private static final NodeId FIVE = new NodeId(5);
    private static final Duration RETRANSMIT = Duration.ofMillis(100);
    /** The node's pools: 198.18.0.0/16. */
    private static final int POOL = 0xC6120000;

    private final ManualScheduler scheduler = new ManualScheduler(new ManualClock());
    private final RecordingPeerTransport transport = new RecordingPeerTransport();
    /** Node 1's store; every write is durable at once. */
    private final TreeMap<Ipv4Address, Lease> table = new TreeMap<>();
    private final List<Runnable> notDurable = new ArrayList<>();
    private boolean slowDisk;
    private final List<String> misbehaved = new ArrayList<>();
    private int caughtUp;
    private int settled;
    private final List<LeaseReplication.Outcome> outcomes = new ArrayList<>();
    private LeaseReplication replication;
    private LeaseCatchUp catchUp;

    private void node(Set<NodeId> members, boolean recovering) {
        replication = new LeaseReplication(ONE, members, scheduler, transport, new LeaseReplication.Replica() {
            @Override
            public Optional<Lease> current(Ipv4Address address) {
                return Optional.ofNullable(table.get(address));
            }

            @Override
            public void write(Lease lease, Runnable durable) {
                table.put(lease.address(), lease);
                if (slowDisk) {
                    notDurable.add(durable);
                } else {
                    durable.run();
                }
            }
        }, Duration.ofMillis(50), () -> 3, recovering);
        catchUp = new LeaseCatchUp(ONE, members, scheduler, transport, replication,
                (after, limit) -> (after.isPresent() ? table.tailMap(after.get(), false) : table).values().stream()
                        .limit(limit).toList(),
                address -> (address.toUnsignedLong() >>> 16) == (POOL >>> 16), () -> 3, () -> 3, RETRANSMIT,
                () -> caughtUp++, () -> {
                    assertEquals(1, caughtUp, "settled after caught up");
                    settled++;
                }, (peer, why) -> misbehaved.add(peer + ": " + why));
        catchUp.start();
    }

    private static Lease lease(int host, int client, long counter, NodeId writer) {
        HardwareAddress mac = HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, 0, (byte) client});
        return new Lease(Ipv4Address.of(POOL + host), ClientKey.ofHardware(mac), mac, Optional.empty(),
                LeaseState.BOUND, Instant.ofEpochSecond(1_800_000_000L), new LeaseVersion(3, counter, writer));
    }

    private static Ipv4Address at(int host) {
        return Ipv4Address.of(POOL + host);
    }

    private List<PeerMessage.SnapshotRequest> requestsTo(NodeId peer) {
        return transport.sent().stream().filter(sent -> sent.to().equals(Optional.of(peer)))
                .map(RecordingPeerTransport.Sent::message).filter(PeerMessage.SnapshotRequest.class::isInstance)
                .map(PeerMessage.SnapshotRequest.class::cast).toList();
    }

    private static PeerMessage.SnapshotPage page(NodeId from, Optional<Ipv4Address> after, boolean last, Lease... leases) {
        return new PeerMessage.SnapshotPage(from, 3, after, List.of(leases), last);
    }

    @Test
    @DisplayName("a serving node answers with its leases in address order, 256 a page at most, the last page marked")
    void servesPagesInAddressOrder() {
        IntStream.rangeClosed(1, 300).forEach(host -> table.put(at(host), lease(host, host, 1, ONE)));
        node(Set.of(ONE, TWO, THREE), false);

        catchUp.received(new PeerMessage.SnapshotRequest(TWO, 3, Optional.empty(), 1_000));
        PeerMessage.SnapshotPage first = transport.sent(PeerMessage.SnapshotPage.class).get(0);
        assertEquals(LeaseCatchUp.PAGE_SIZE, first.leases().size(), "a request for more gets a page of 256");
        assertEquals(at(1), first.leases().get(0).address());
        assertEquals(at(256), first.leases().get(255).address());
        assertFalse(first.last());

        catchUp.received(new PeerMessage.SnapshotRequest(TWO, 3, Optional.of(at(256)), 256));
        PeerMessage.SnapshotPage second = transport.sent(PeerMessage.SnapshotPage.class).get(1);
        assertEquals(Optional.of(at(256)), second.after());
        assertEquals(44, second.leases().size());
        assertEquals(at(257), second.leases().get(0).address());
        assertTrue(second.last());

        catchUp.received(new PeerMessage.SnapshotRequest(TWO, 3, Optional.empty(), 300 - 1));
        assertFalse(transport.sent(PeerMessage.SnapshotPage.class).get(2).last(), "one lease follows the page");
    }

    @Test
    @DisplayName("a node that is catching up serves no snapshot: its own is not complete")
    void recoveringNodeServesNothing() {
        table.put(at(1), lease(1, 1, 1, TWO));
        node(Set.of(ONE, TWO, THREE), true);

        catchUp.received(new PeerMessage.SnapshotRequest(TWO, 3, Optional.empty(), 256));

        assertEquals(List.of(), transport.sent(PeerMessage.SnapshotPage.class));
    }

    @Test
    @DisplayName("a recovering node reads each peer page by page, installs what is newer, and serves once two of "
            + "three have sent complete snapshots")
    void readsPagesThenCatchesUp() {
        node(Set.of(ONE, TWO, THREE), true);
        catchUp.connected(TWO);
        catchUp.connected(THREE);
        assertEquals(List.of(new PeerMessage.SnapshotRequest(ONE, 3, Optional.empty(), 256)), requestsTo(TWO));

        catchUp.received(page(TWO, Optional.empty(), false, lease(1, 1, 4, TWO), lease(2, 2, 1, TWO)));
        assertEquals(new PeerMessage.SnapshotRequest(ONE, 3, Optional.of(at(2)), 256), requestsTo(TWO).get(1),
                "the next page starts after the last address of this one");
        catchUp.received(page(TWO, Optional.of(at(2)), true, lease(3, 3, 1, TWO)));
        assertEquals(0, caughtUp, "one peer's snapshot is not enough of three members");
        assertTrue(replication.recovering());

        // Node 3 missed the newest version of .1: the node keeps the higher one.
        catchUp.received(page(THREE, Optional.empty(), true, lease(1, 1, 3, THREE), lease(2, 2, 1, TWO),
                lease(3, 3, 1, TWO)));

        assertEquals(1, caughtUp);
        assertFalse(replication.recovering());
        assertEquals(List.of(lease(1, 1, 4, TWO), lease(2, 2, 1, TWO), lease(3, 3, 1, TWO)), List.copyOf(table.values()));
        assertEquals(0, settled, "node 3's page named another version of .1");
        replication.received(new PeerMessage.LeaseCommit(THREE, 3, lease(1, 1, 4, TWO)));
        assertEquals(1, settled, "the version this node holds is committed");
        scheduler.advance(Duration.ofSeconds(1));
        assertEquals(2, requestsTo(TWO).size(), "nothing is asked once caught up");
        assertEquals(1, requestsTo(THREE).size());
    }

    @Test
    @DisplayName("a page that does not come is asked for again, from the same place; a late duplicate is ignored")
    void lostPageIsAskedForAgain() {
        node(Set.of(ONE, TWO, THREE), true);
        catchUp.connected(TWO);
        catchUp.received(page(TWO, Optional.empty(), false, lease(1, 1, 1, TWO)));
        assertEquals(2, requestsTo(TWO).size());

        scheduler.advance(RETRANSMIT.plusMillis(1));
        assertEquals(3, requestsTo(TWO).size());
        assertEquals(requestsTo(TWO).get(1), requestsTo(TWO).get(2));

        catchUp.received(page(TWO, Optional.empty(), false, lease(1, 1, 1, TWO)));
        assertEquals(3, requestsTo(TWO).size(), "the first page again, late: not asked for");
        catchUp.received(page(TWO, Optional.of(at(1)), true, lease(2, 2, 1, TWO)));
        scheduler.advance(RETRANSMIT.multipliedBy(5));
        assertEquals(3, requestsTo(TWO).size(), "complete: not asked again");
    }

    @Test
    @DisplayName("a peer that disconnects mid-snapshot is read on from where it stopped when it connects again, "
            + "and the others go on meanwhile")
    void peerThatDisconnectsIsReadOnLater() {
        node(Set.of(ONE, TWO, THREE), true);
        catchUp.connected(TWO);
        catchUp.connected(THREE);
        catchUp.received(page(TWO, Optional.empty(), false, lease(1, 1, 1, TWO)));
        catchUp.disconnected(TWO);
        scheduler.advance(RETRANSMIT.multipliedBy(3));
        assertEquals(2, requestsTo(TWO).size(), "not asked while it is away");

        catchUp.received(page(THREE, Optional.empty(), true, lease(1, 1, 1, TWO), lease(2, 2, 1, TWO)));
        assertEquals(0, caughtUp, "node 2's snapshot is not complete");

        catchUp.connected(TWO);
        assertEquals(new PeerMessage.SnapshotRequest(ONE, 3, Optional.of(at(1)), 256), requestsTo(TWO).get(2));
        catchUp.received(page(TWO, Optional.of(at(1)), true, lease(2, 2, 1, TWO)));
        assertEquals(1, caughtUp);
    }

    @Test
    @DisplayName("a page naming an address outside the pools, or an epoch above any seen, is refused whole and its "
            + "peer reported")
    void invalidPagesAreRefusedWithNoStateChange() {
        node(Set.of(ONE, TWO, THREE), true);
        catchUp.connected(TWO);
        catchUp.connected(THREE);
        Lease outside = new Lease(Ipv4Address.parse("10.0.0.1"), lease(1, 1, 1, TWO).clientKey(),
                lease(1, 1, 1, TWO).hardwareAddress(), Optional.empty(), LeaseState.BOUND, Instant.EPOCH,
                new LeaseVersion(3, 1, TWO));
        catchUp.received(page(TWO, Optional.empty(), true, outside));
        Lease future = new Lease(at(2), outside.clientKey(), outside.hardwareAddress(), Optional.empty(),
                LeaseState.BOUND, Instant.EPOCH, new LeaseVersion(4, 1, THREE));
        catchUp.received(page(THREE, Optional.empty(), true, lease(1, 1, 1, THREE), future));

        assertEquals(2, misbehaved.size(), misbehaved.toString());
        assertTrue(misbehaved.get(0).startsWith(TWO + ": ") && misbehaved.get(0).contains("10.0.0.1"), misbehaved.get(0));
        assertTrue(misbehaved.get(1).contains("epoch above 3"), misbehaved.get(1));
        assertEquals(Map.of(), table, "nothing of either page is installed, not even its good lease");
        assertEquals(0, caughtUp);
        scheduler.advance(RETRANSMIT.multipliedBy(3));
        assertEquals(1, requestsTo(TWO).size(), "a peer that sent a bad page is not read from until it reconnects");
    }

    @Test
    @DisplayName("of five members, the recovery ends after three complete snapshots, not two; ceil(n/2) in general")
    void recoveryNeedsCeilingOfHalfThePeers() {
        assertEquals(List.of(0, 1, 2, 2, 3, 3, 4), IntStream.rangeClosed(1, 7).map(LeaseCatchUp::peersNeeded).boxed().toList());
        node(Set.of(ONE, TWO, THREE, FOUR, FIVE), true);
        for (NodeId peer : List.of(TWO, THREE, FOUR, FIVE)) {
            catchUp.connected(peer);
        }
        catchUp.received(page(TWO, Optional.empty(), true, lease(1, 1, 1, TWO)));
        catchUp.received(page(FOUR, Optional.empty(), true, lease(1, 1, 1, TWO)));
        catchUp.disconnected(THREE);
        assertEquals(0, caughtUp);
        assertTrue(replication.recovering());

        catchUp.received(page(FIVE, Optional.empty(), true, lease(1, 1, 1, TWO)));
        assertEquals(1, caughtUp);
        assertFalse(replication.recovering());
    }

    @Test
    @DisplayName("a node alone has no peer to read: its recovery ends at once")
    void nodeAloneCatchesUpAtOnce() {
        node(Set.of(ONE), true);

        assertEquals(1, caughtUp);
        assertEquals(1, settled);
        assertFalse(replication.recovering());
    }

    @Test
    @DisplayName("while recovering the node refuses changes and installs committed leases; once caught up it "
            + "accepts changes, except of an address the pages disagreed on, until a commit settles it")
    void disagreeingAddressIsSettledByACommit() {
        node(Set.of(ONE, TWO, THREE), true);
        replication.received(new PeerMessage.LeaseCommit(TWO, 3, lease(5, 5, 1, TWO)));
        assertEquals(lease(5, 5, 1, TWO), table.get(at(5)));
        replication.received(new PeerMessage.LeaseChange(TWO, 3, lease(6, 6, 1, TWO), Optional.empty()));
        assertEquals(1, transport.sent(PeerMessage.LeaseRefusal.class).size(), "refused while recovering");

        catchUp.connected(TWO);
        catchUp.connected(THREE);
        // Two siblings of .1: each replaced version 1, one of them may be committed with this node's lost answer.
        // .3 is on node 2 only: node 3 may have missed a change that replaced nothing, or node 2 holds an uncommitted one.
        catchUp.received(page(TWO, Optional.empty(), true, lease(1, 1, 2, TWO), lease(2, 2, 1, TWO), lease(3, 3, 1, TWO)));
        catchUp.received(page(THREE, Optional.empty(), true, lease(1, 7, 2, THREE), lease(2, 2, 1, TWO)));
        assertEquals(1, caughtUp);
        assertEquals(lease(1, 7, 2, THREE), table.get(at(1)), "the highest version is kept");
        assertTrue(replication.unsettled(at(1)));
        assertFalse(replication.unsettled(at(2)));
        assertTrue(replication.unsettled(at(3)));
        assertFalse(replication.unsettled(at(5)), "a committed lease installed meanwhile is settled");

        replication.received(new PeerMessage.LeaseChange(TWO, 3, lease(2, 2, 2, TWO), Optional.of(lease(2, 2, 1, TWO))));
        assertEquals(lease(2, 2, 2, TWO), table.get(at(2)), "an agreed address takes changes again");
        replication.received(new PeerMessage.LeaseChange(THREE, 3, lease(1, 7, 3, THREE),
                Optional.of(lease(1, 7, 2, THREE))));
        assertEquals(lease(1, 7, 2, THREE), table.get(at(1)), "an unsettled address takes none");
        assertEquals(2, transport.sent(PeerMessage.LeaseRefusal.class).size());
        replication.propose(lease(1, 8, 3, ONE), Optional.of(lease(1, 7, 2, THREE)), outcomes::add);
        scheduler.runDue();
        assertEquals(List.of(LeaseReplication.Outcome.REFUSED), outcomes, "nor of this node's own");

        replication.received(new PeerMessage.LeaseCommit(TWO, 3, lease(1, 1, 3, TWO)));
        assertFalse(replication.unsettled(at(1)), "a committed lease above settles it");
        assertEquals(0, settled, ".3 is still unsettled");
        assertEquals(lease(1, 1, 3, TWO), table.get(at(1)));
    }

    @Test
    @DisplayName("a writer forgets the acknowledgements of a peer that asks for a snapshot, and sends it the change again")
    void writerForgetsTheAnswersOfAPeerThatLostItsStore() {
        slowDisk = true;
        node(Set.of(ONE, TWO, THREE), false);
        Lease change = lease(1, 1, 1, ONE);
        replication.propose(change, Optional.empty(), outcomes::add);
        replication.received(new PeerMessage.LeaseAck(TWO, 3, change));
        assertEquals(change, table.get(at(1)), "one peer's answer makes this node's copy a majority: written");

        catchUp.received(new PeerMessage.SnapshotRequest(TWO, 3, Optional.empty(), 256));
        notDurable.forEach(Runnable::run);
        notDurable.clear();
        scheduler.runDue();
        assertEquals(List.of(), outcomes, "node 2's answer is on no disk any more");

        // Resent within two retransmission intervals.
        scheduler.advance(Duration.ofMillis(110));
        assertEquals(1, transport.sent().stream().filter(sent -> sent.to().equals(Optional.of(TWO))
                && sent.message().equals(new PeerMessage.LeaseChange(ONE, 3, change, Optional.empty()))).count(),
                "sent again to node 2, whose answer is forgotten");
        replication.received(new PeerMessage.LeaseAck(THREE, 3, change));
        scheduler.runDue();
        assertEquals(List.of(LeaseReplication.Outcome.COMMITTED), outcomes);
    }
}
