package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.testing.ManualClock;
import dev.dhcpcluster.core.testing.ManualScheduler;
import dev.dhcpcluster.core.testing.RecordingPeerTransport;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AssignmentRecord;
import dev.dhcpcluster.port.peer.AssignmentStore;
import dev.dhcpcluster.port.peer.PeerMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** One member's and one leader's side of the grants, on a manual clock. */
class OwnershipGrantsTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    private static final NodeId THREE = new NodeId(3);
    private static final List<Ipv4Address> POOL = List.of(Ipv4Address.parse("198.18.0.0"),
            Ipv4Address.parse("198.18.1.0"));

    private final ManualClock clock = new ManualClock();
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final RecordingPeerTransport peers = new RecordingPeerTransport();
    private final List<AssignmentRecord> saved = new ArrayList<>();
    private final AssignmentStore store = new AssignmentStore() {
        @Override
        public Optional<AssignmentRecord> load() {
            return saved.isEmpty() ? Optional.empty() : Optional.of(saved.get(saved.size() - 1));
        }

        @Override
        public void save(AssignmentRecord assignment) {
            peers.sendToAll(new PeerMessage.Heartbeat(ONE, 0, Optional.empty(), false)); // marks the order
            saved.add(assignment);
        }
    };
    private Leadership leadership;

    private OwnershipGrants grants(NodeId self) {
        OwnershipGrants grants = new OwnershipGrants(self, Set.of(ONE, TWO, THREE), GrantTimers.DEFAULTS, clock,
                scheduler, peers, store, () -> leadership, PoolBlocks.oneSubnet(POOL), new AssignmentPlanner.Rules(0, 1, 1), blocks -> 256L);
        grants.start();
        return grants;
    }

    private static AssignmentRecord allToOne() {
        java.util.SortedMap<Integer, NodeId> buckets = new java.util.TreeMap<>();
        for (int bucket = 0; bucket < 256; bucket++) {
            buckets.put(bucket, ONE);
        }
        java.util.SortedMap<Ipv4Address, NodeId> blocks = new java.util.TreeMap<>();
        blocks.put(POOL.get(0), ONE);
        return new AssignmentRecord(7, 1, blocks, buckets);
    }

    @Test
    @DisplayName("a member saves an offered assignment before it acknowledges it, and holds nothing until granted")
    void aMemberPersistsBeforeItAcknowledges() {
        leadership = new Leadership(7, Optional.of(THREE), false, true, Optional.of(THREE));
        OwnershipGrants member = grants(ONE);

        member.received(new PeerMessage.AssignmentOffer(THREE, 7, allToOne()));

        List<RecordingPeerTransport.Sent> sent = peers.sent();
        assertEquals(List.of(allToOne()), saved);
        assertTrue(sent.get(0).message() instanceof PeerMessage.Heartbeat, "saved first: " + sent);
        assertEquals(new PeerMessage.AssignmentAccepted(ONE, 7, 7, 1), sent.get(1).message());
        assertTrue(member.holdings().isEmpty());
    }

    @Test
    @DisplayName("a grant is counted from when the member asked, not from when the answer arrived")
    void aGrantCountsFromTheRequest() {
        leadership = new Leadership(7, Optional.of(THREE), false, true, Optional.of(THREE));
        OwnershipGrants member = grants(ONE);
        member.received(new PeerMessage.AssignmentOffer(THREE, 7, allToOne()));
        peers.clear();
        scheduler.advance(Duration.ofMillis(200));
        PeerMessage.GrantRequest request = peers.sent(PeerMessage.GrantRequest.class).get(0);

        scheduler.advance(Duration.ofMillis(1000)); // the answer takes a second to arrive
        member.received(new PeerMessage.Grant(THREE, 7, request.requestNanos(), 7, 1));
        assertEquals(256, member.holdings().buckets().size());
        assertEquals(Set.of(POOL.get(0)), member.holdings().blocks());

        leadership = new Leadership(7, Optional.of(THREE), false, false, Optional.empty()); // cut off from now on
        scheduler.advance(Duration.ofMillis(1999));
        assertFalse(member.holdings().isEmpty(), "2.999 s after it asked, the 3 s grant is current");
        scheduler.advance(Duration.ofMillis(1));
        assertTrue(member.holdings().isEmpty(), "3 s after it asked, the grant has lapsed");
        assertFalse(member.grantCurrent());
    }

    @Test
    @DisplayName("a member that cannot serve (its lease store was lost) asks for no grant, but still acknowledges "
            + "assignments, and asks again once it can")
    void aMemberThatCannotServeAsksForNoGrant() {
        leadership = new Leadership(7, Optional.of(THREE), false, true, Optional.of(THREE));
        boolean[] canServe = {false};
        OwnershipGrants member = new OwnershipGrants(ONE, Set.of(ONE, TWO, THREE), GrantTimers.DEFAULTS, clock,
                scheduler, peers, store, () -> leadership, PoolBlocks.oneSubnet(POOL), new AssignmentPlanner.Rules(0, 1, 1), blocks -> 256L,
                () -> canServe[0]);
        member.start();
        member.received(new PeerMessage.AssignmentOffer(THREE, 7, allToOne()));
        scheduler.advance(Duration.ofSeconds(1));

        assertTrue(peers.sent(PeerMessage.GrantRequest.class).isEmpty(), "no grant asked for: " + peers.sent());
        assertEquals(1, peers.sent(PeerMessage.AssignmentAccepted.class).size(), "the offer is acknowledged");
        assertTrue(member.holdings().isEmpty());

        canServe[0] = true;
        scheduler.advance(Duration.ofMillis(200));
        assertFalse(peers.sent(PeerMessage.GrantRequest.class).isEmpty(), "it asks once it can serve");
    }

    @Test
    @DisplayName("a grant from a leader this member did not acknowledge, or for another version, is ignored")
    void foreignGrantsAreIgnored() {
        leadership = new Leadership(7, Optional.of(THREE), false, true, Optional.of(THREE));
        OwnershipGrants member = grants(ONE);
        member.received(new PeerMessage.AssignmentOffer(THREE, 7, allToOne()));
        long now = clock.elapsedNanos();

        member.received(new PeerMessage.Grant(TWO, 7, now, 7, 1));
        member.received(new PeerMessage.Grant(THREE, 6, now, 7, 1));
        member.received(new PeerMessage.Grant(THREE, 7, now, 7, 2));

        assertFalse(member.grantCurrent());
    }

    @Test
    @DisplayName("a new leader learns from a majority, commits on a majority's acknowledgement, and only then grants")
    void aLeaderGrantsOnlyACommittedAssignment() {
        leadership = new Leadership(7, Optional.of(THREE), true, false, Optional.of(THREE));
        OwnershipGrants leader = grants(THREE);
        scheduler.advance(Duration.ofMillis(200));
        assertTrue(peers.sent(PeerMessage.AssignmentOffer.class).isEmpty(), "nothing before a majority reported");

        leader.received(new PeerMessage.AssignmentReport(ONE, 7, AssignmentRecord.NONE));
        leader.received(new PeerMessage.GrantRequest(ONE, 7, 42, 0, 0, free(0)));
        PeerMessage.AssignmentOffer offer = peers.sent(PeerMessage.AssignmentOffer.class).get(0);
        assertEquals(7, offer.assignment().epoch());
        assertTrue(peers.sent(PeerMessage.Grant.class).isEmpty(), "no grant before the commit");

        leader.received(new PeerMessage.AssignmentAccepted(ONE, 7, 7, offer.assignment().sequence()));
        leader.received(new PeerMessage.GrantRequest(ONE, 7, 43, 7, offer.assignment().sequence(), free(256)));

        assertEquals(List.of(new PeerMessage.Grant(THREE, 7, 43, 7, offer.assignment().sequence())),
                peers.sent(PeerMessage.Grant.class));
        assertEquals(Optional.of(offer.assignment()), leader.committed().map(Assignment::toRecord));
    }

    @Test
    @DisplayName("a leader whose own blocks run low gives itself another block, as it does a member that reports so")
    void aLeaderRunningLowGetsAnotherBlock() {
        // Five blocks: one each for nodes 1 and 3, one in reserve, one kept for node 2, which is not heard.
        List<Ipv4Address> pool = List.of(Ipv4Address.parse("198.18.0.0"), Ipv4Address.parse("198.18.1.0"),
                Ipv4Address.parse("198.18.2.0"), Ipv4Address.parse("198.18.3.0"), Ipv4Address.parse("198.18.4.0"));
        long[] ownFree = {256};
        leadership = new Leadership(7, Optional.of(THREE), true, false, Optional.of(THREE));
        OwnershipGrants leader = new OwnershipGrants(THREE, Set.of(ONE, TWO, THREE), GrantTimers.DEFAULTS, clock,
                scheduler, peers, store, () -> leadership, PoolBlocks.oneSubnet(pool), new AssignmentPlanner.Rules(1, 1, 64),
                blocks -> ownFree[0]);
        leader.start();
        scheduler.advance(Duration.ofMillis(200));
        leader.received(new PeerMessage.AssignmentReport(ONE, 7, AssignmentRecord.NONE));
        leader.received(new PeerMessage.GrantRequest(ONE, 7, 42, 0, 0, free(0)));
        AssignmentRecord first = peers.sent(PeerMessage.AssignmentOffer.class).get(0).assignment();
        leader.received(new PeerMessage.AssignmentAccepted(ONE, 7, 7, first.sequence()));
        leader.received(new PeerMessage.GrantRequest(ONE, 7, 43, 7, first.sequence(), free(256)));
        assertEquals(1, blocksOf(first, THREE), first.blocks().toString());
        peers.clear();

        ownFree[0] = 10; // its clients took all but 10 addresses of its block
        scheduler.advance(Duration.ofMillis(200));

        List<PeerMessage.AssignmentOffer> offers = peers.sent(PeerMessage.AssignmentOffer.class);
        assertFalse(offers.isEmpty(), "the leader planned again");
        AssignmentRecord next = offers.get(offers.size() - 1).assignment();
        assertEquals(2, blocksOf(next, THREE), next.blocks().toString());
        assertEquals(1, blocksOf(next, ONE), next.blocks().toString());
    }

    @Test
    @DisplayName("after a new configuration adds blocks to the pools, the leader deals them to a member that runs low")
    void aLeaderDealsTheBlocksOfANewConfiguration() {
        List<Ipv4Address> pool = List.of(Ipv4Address.parse("198.18.0.0"), Ipv4Address.parse("198.18.1.0"));
        leadership = new Leadership(7, Optional.of(THREE), true, false, Optional.of(THREE));
        OwnershipGrants leader = new OwnershipGrants(THREE, Set.of(ONE, TWO, THREE), GrantTimers.DEFAULTS, clock,
                scheduler, peers, store, () -> leadership, PoolBlocks.oneSubnet(pool), new AssignmentPlanner.Rules(0, 1, 64), blocks -> 256);
        leader.start();
        scheduler.advance(Duration.ofMillis(200));
        leader.received(new PeerMessage.AssignmentReport(ONE, 7, AssignmentRecord.NONE));
        AssignmentRecord dealt = settleWithNodeOne(leader, 256);
        assertEquals(1, blocksOf(dealt, ONE), dealt.blocks().toString());
        assertEquals(1, blocksOf(dealt, THREE), dealt.blocks().toString());

        AssignmentRecord low = settleWithNodeOne(leader, 10);
        assertEquals(2, low.blocks().size(), "no block is free: node 1 runs low and gets none");

        // Two more: one for node 1, one kept for node 2, which is not heard.
        leader.poolChanged(PoolBlocks.oneSubnet(List.of(pool.get(0), pool.get(1), Ipv4Address.parse("198.18.2.0"),
                Ipv4Address.parse("198.18.3.0"))));
        AssignmentRecord next = settleWithNodeOne(leader, 10);

        assertEquals(Optional.of(ONE), Optional.ofNullable(next.blocks().get(Ipv4Address.parse("198.18.2.0"))),
                next.blocks().toString());
    }

    @Test
    @DisplayName("a member whose free addresses fall below the low water reports at once, not at the next renew interval")
    void aMemberReportsALowWaterCrossingAtOnce() {
        leadership = new Leadership(7, Optional.of(THREE), false, true, Optional.of(THREE));
        long[] free = {600};
        OwnershipGrants member = new OwnershipGrants(ONE, Set.of(ONE, TWO, THREE), GrantTimers.DEFAULTS, clock,
                scheduler, peers, store, () -> leadership, PoolBlocks.oneSubnet(POOL), new AssignmentPlanner.Rules(0, 1, 512),
                blocks -> free[0]);
        member.start();
        member.received(new PeerMessage.AssignmentOffer(THREE, 7, allToOne()));
        peers.clear();

        assertEquals(600, member.checkFree());
        assertTrue(peers.sent(PeerMessage.GrantRequest.class).isEmpty(), "above the low water: nothing sent");

        free[0] = 511;
        assertEquals(511, member.checkFree());
        List<PeerMessage.GrantRequest> requests = peers.sent(PeerMessage.GrantRequest.class);
        assertEquals(1, requests.size(), "reported without waiting for the timer");
        assertEquals(free(511), requests.get(0).freeBySubnet(), "its free addresses in the one subnet");
        assertEquals(1, requests.get(0).sequence(), "for the version it accepted");
    }

    @Test
    @DisplayName("a member that accepts an assignment giving it more blocks asks for their grant at once")
    void aMemberAsksAtOnceForWhatItGains() {
        leadership = new Leadership(7, Optional.of(THREE), false, true, Optional.of(THREE));
        OwnershipGrants member = grants(ONE);
        member.received(new PeerMessage.AssignmentOffer(THREE, 7, allToOne()));
        member.received(new PeerMessage.Grant(THREE, 7, clock.elapsedNanos(), 7, 1));
        assertEquals(Set.of(POOL.get(0)), member.holdings().blocks());
        peers.clear();

        java.util.SortedMap<Ipv4Address, NodeId> more = new java.util.TreeMap<>(allToOne().blocks());
        more.put(POOL.get(1), ONE);
        member.received(new PeerMessage.AssignmentOffer(THREE, 7, new AssignmentRecord(7, 2, more,
                allToOne().buckets())));

        List<RecordingPeerTransport.Sent> sent = peers.sent();
        assertEquals(new PeerMessage.AssignmentAccepted(ONE, 7, 7, 2), sent.get(1).message(), sent.toString());
        PeerMessage.GrantRequest request = (PeerMessage.GrantRequest) sent.get(2).message();
        assertEquals(2, request.sequence(), "asked right behind the acceptance");
        member.received(new PeerMessage.Grant(THREE, 7, request.requestNanos(), 7, 2));
        assertEquals(Set.copyOf(POOL), member.holdings().blocks(), "the new block serves at once");
    }

    @Test
    @DisplayName("a leader plans at once for a member that reports running low, and deals its need only once")
    void aLeaderRefillsALowMemberAtOnceAndOnce() {
        List<Ipv4Address> pool = java.util.stream.IntStream.range(0, 16)
                .mapToObj(i -> Ipv4Address.parse("198.18." + i + ".0")).toList();
        leadership = new Leadership(7, Optional.of(THREE), true, false, Optional.of(THREE));
        OwnershipGrants leader = new OwnershipGrants(THREE, Set.of(ONE, TWO, THREE), GrantTimers.DEFAULTS, clock,
                scheduler, peers, store, () -> leadership, PoolBlocks.oneSubnet(pool), new AssignmentPlanner.Rules(1, 1, 512), blocks -> 10_000);
        leader.start();
        scheduler.advance(Duration.ofMillis(200));
        leader.received(new PeerMessage.AssignmentReport(ONE, 7, AssignmentRecord.NONE));
        AssignmentRecord first = settleWithNodeOne(leader, 10_000);
        assertEquals(1, blocksOf(first, ONE), first.blocks().toString());
        peers.clear();

        leader.received(new PeerMessage.GrantRequest(ONE, 7, 1_000, 7, first.sequence(), free(100)));

        List<PeerMessage.AssignmentOffer> offers = peers.sent(PeerMessage.AssignmentOffer.class);
        assertEquals(1, offers.size(), "planned on the report, with no timer: " + peers.sent());
        AssignmentRecord refill = offers.get(0).assignment();
        assertEquals(1 + 4, blocksOf(refill, ONE), "100 free + 4 blocks reaches twice the low water");
        leader.received(new PeerMessage.AssignmentAccepted(ONE, 7, 7, refill.sequence()));
        peers.clear();

        scheduler.advance(Duration.ofMillis(400)); // node 1 has not reported on its new blocks yet
        assertTrue(peers.sent(PeerMessage.AssignmentOffer.class).isEmpty(),
                "the old count is not taken for a second need: " + peers.sent());
    }

    /**
     * Node 1, live and reporting {@code free} addresses, accepts every assignment the leader offers
     * for a few renew intervals; returns the last one offered.
     */
    private AssignmentRecord settleWithNodeOne(OwnershipGrants leader, long free) {
        return settleWithNodeOne(leader, free(free));
    }

    /** A member's free addresses in the one subnet of these tests' pools (named by 198.18.0.0, its first block). */
    private static java.util.SortedMap<Ipv4Address, Long> free(long count) {
        return new java.util.TreeMap<>(java.util.Map.of(Ipv4Address.parse("198.18.0.0"), count));
    }

    private static long blocksOf(AssignmentRecord assignment, NodeId node) {
        return assignment.blocks().values().stream().filter(node::equals).count();
    }

    @Test
    @DisplayName("the waits follow the stated rule: G × (1 + ρ) + m and (G + T) × (1 + ρ) + m")
    void theWaitsAreAsStated() {
        assertEquals(3_350_000_000L, GrantTimers.DEFAULTS.lapseWait());
        assertEquals(5_660_000_000L, GrantTimers.DEFAULTS.takeoverWait());
    }

    // ---- pools of two subnets: subnet A from 198.18.0.0, subnet B from 198.18.64.0 ----

    private static final Ipv4Address A = Ipv4Address.parse("198.18.0.0");
    private static final Ipv4Address B = Ipv4Address.parse("198.18.64.0");

    /** Subnets A and B of {@code perSubnet} blocks each. */
    private static PoolBlocks twoSubnets(int perSubnet, int inB) {
        List<Ipv4Address> a = new ArrayList<>();
        List<Ipv4Address> b = new ArrayList<>();
        for (int i = 0; i < perSubnet; i++) {
            a.add(Ipv4Address.parse("198.18." + i + ".0"));
        }
        for (int i = 0; i < inB; i++) {
            b.add(Ipv4Address.parse("198.18." + (64 + i) + ".0"));
        }
        return PoolBlocks.bySubnet(List.of(a, b));
    }

    @Test
    @DisplayName("a member counts its free addresses per subnet and reports at once when one subnet runs low, "
            + "however much it has free in the other")
    void aMemberReportsALowSubnetAtOnce() {
        leadership = new Leadership(7, Optional.of(THREE), false, true, Optional.of(THREE));
        long[] inA = {2000};
        long[] inB = {600};
        OwnershipGrants member = new OwnershipGrants(ONE, Set.of(ONE, TWO, THREE), GrantTimers.DEFAULTS, clock,
                scheduler, peers, store, () -> leadership, twoSubnets(2, 2), new AssignmentPlanner.Rules(0, 1, 512),
                blocks -> blocks.contains(A) ? inA[0] : inB[0]);
        member.start();
        java.util.SortedMap<Ipv4Address, NodeId> blocks = new java.util.TreeMap<>(java.util.Map.of(A, ONE, B, ONE));
        member.received(new PeerMessage.AssignmentOffer(THREE, 7, new AssignmentRecord(7, 1, blocks,
                allToOne().buckets())));
        peers.clear();

        assertEquals(600, member.checkFree(), "the fewest free of any subnet");
        assertTrue(peers.sent(PeerMessage.GrantRequest.class).isEmpty(), "above the low water in both: nothing sent");

        inB[0] = 100;
        assertEquals(100, member.checkFree());
        List<PeerMessage.GrantRequest> requests = peers.sent(PeerMessage.GrantRequest.class);
        assertEquals(1, requests.size(), "B runs low, 2,100 free in all: reported without waiting for the timer");
        assertEquals(java.util.Map.of(A, 2000L, B, 100L), requests.get(0).freeBySubnet());
    }

    @Test
    @DisplayName("a leader refills a member that reports running low in one subnet with blocks of that subnet")
    void aLeaderRefillsTheLowSubnet() {
        leadership = new Leadership(7, Optional.of(THREE), true, false, Optional.of(THREE));
        OwnershipGrants leader = new OwnershipGrants(THREE, Set.of(ONE, TWO, THREE), GrantTimers.DEFAULTS, clock,
                scheduler, peers, store, () -> leadership, twoSubnets(4, 4), new AssignmentPlanner.Rules(0, 1, 64),
                blocks -> 5000);
        leader.start();
        scheduler.advance(Duration.ofMillis(200));
        leader.received(new PeerMessage.AssignmentReport(ONE, 7, AssignmentRecord.NONE));
        AssignmentRecord dealt = settleWithNodeOne(leader, new java.util.TreeMap<>(java.util.Map.of(A, 5000L, B, 5000L)));
        assertEquals(2, blocksOf(dealt, ONE), "one block of each subnet: " + dealt.blocks());

        AssignmentRecord refilled = settleWithNodeOne(leader, new java.util.TreeMap<>(java.util.Map.of(A, 5000L, B, 10L)));

        assertEquals(Optional.of(ONE), Optional.ofNullable(refilled.blocks().get(Ipv4Address.parse("198.18.66.0"))),
                "a block of B, where it runs low: " + refilled.blocks());
        assertEquals(3, blocksOf(refilled, ONE), "none of A, where it has plenty: " + refilled.blocks());
    }

    @Test
    @DisplayName("the leader tells once per plan, not once per renew interval, of a subnet with too few blocks for "
            + "every live member")
    void aLeaderTellsOfAShortSubnetOncePerPlan() {
        leadership = new Leadership(7, Optional.of(THREE), true, false, Optional.of(THREE));
        OwnershipGrants leader = new OwnershipGrants(THREE, Set.of(ONE, TWO, THREE), GrantTimers.DEFAULTS, clock,
                scheduler, peers, store, () -> leadership, twoSubnets(4, 1), new AssignmentPlanner.Rules(0, 1, 64),
                blocks -> 5000);
        List<Long> sequences = new ArrayList<>();
        List<String> lacking = new ArrayList<>();
        leader.onShortSubnets((plan, subnets) -> {
            sequences.add(plan.sequence());
            lacking.add(subnets.toString());
        });
        leader.start();
        scheduler.advance(Duration.ofMillis(200));
        leader.received(new PeerMessage.AssignmentReport(ONE, 7, AssignmentRecord.NONE));

        AssignmentRecord dealt = settleWithNodeOne(leader, new java.util.TreeMap<>(java.util.Map.of(A, 5000L, B, 5000L)));
        int told = sequences.size();
        scheduler.advance(Duration.ofSeconds(2)); // ten more renew intervals, nothing changes

        NodeId without = dealt.blocks().get(B).equals(ONE) ? THREE : ONE;
        assertFalse(sequences.isEmpty(), "the one block of B is held, and a live member has none: " + dealt.blocks());
        assertEquals(dealt.sequence(), sequences.get(sequences.size() - 1), "told of the plan in force");
        assertEquals(sequences.stream().distinct().sorted().toList(), sequences, "each plan told once");
        assertEquals(told, sequences.size(), "nothing more while no new plan is made");
        assertEquals("{" + B + "=[" + without + "]}", lacking.get(lacking.size() - 1));
    }

    /** As {@link #settleWithNodeOne(OwnershipGrants, long)}, node 1 reporting free addresses per subnet. */
    private AssignmentRecord settleWithNodeOne(OwnershipGrants leader, java.util.SortedMap<Ipv4Address, Long> free) {
        AssignmentRecord last = null;
        long stamp = 100;
        for (int round = 0; round < 10; round++) {
            List<PeerMessage.AssignmentOffer> offers = peers.sent(PeerMessage.AssignmentOffer.class);
            if (!offers.isEmpty()) {
                last = offers.get(offers.size() - 1).assignment();
                leader.received(new PeerMessage.AssignmentAccepted(ONE, 7, last.epoch(), last.sequence()));
            }
            leader.received(new PeerMessage.GrantRequest(ONE, 7, stamp++, last == null ? 0 : last.epoch(),
                    last == null ? 0 : last.sequence(), free));
            scheduler.advance(Duration.ofMillis(200));
        }
        return last;
    }
}
