package dev.dhcpcluster.core.relay;

import static dev.dhcpcluster.core.relay.ClusterFixture.NODES;
import static dev.dhcpcluster.core.relay.ClusterFixture.NODE_1;
import static dev.dhcpcluster.core.relay.ClusterFixture.NODE_2;
import static dev.dhcpcluster.core.relay.ClusterFixture.NODE_3;
import static dev.dhcpcluster.core.relay.ClusterFixture.SERVERS;
import static dev.dhcpcluster.core.relay.ClusterFixture.SERVER_1;
import static dev.dhcpcluster.core.relay.ClusterFixture.SERVER_2;
import static dev.dhcpcluster.core.relay.ClusterFixture.SERVER_3;
import static dev.dhcpcluster.core.relay.ClusterFixture.START;
import static dev.dhcpcluster.core.relay.ClusterFixture.allReport;
import static dev.dhcpcluster.core.relay.ClusterFixture.assignment;
import static dev.dhcpcluster.core.relay.ClusterFixture.bucketOf;
import static dev.dhcpcluster.core.relay.ClusterFixture.report;
import static dev.dhcpcluster.core.relay.ClusterFixture.seconds;
import static dev.dhcpcluster.core.relay.RelayFixture.forwarded;
import static dev.dhcpcluster.core.relay.RelayFixture.golden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.cluster.LoadBalancing;
import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.core.dhcp.TestPackets;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which servers get a client's request, rule by rule, with the cluster's reports played on a
 * virtual clock: the requests are the ones the relay agent forwards (giaddr set, option 82 with
 * circuit-id "eth1" added).
 */
class RelayRoutesTest {

    private static final HardwareAddress CLIENT = TestPackets.DEFAULT_MAC;
    private static final HardwareAddress OTHER_CLIENT = HardwareAddress.parseEthernet("02:00:00:00:00:99");

    private final ClusterWatch watch = new ClusterWatch(NODES);
    private final RelayRoutes routes = new RelayRoutes(SERVERS, RelayOverrides.none());

    /** The request as the agent forwards it when {@code client} sends it on eth1. */
    private static byte[] forward(TestPackets.Packet client) {
        return forwarded(RelayFixture.agent().fromClient(client.encode(), "eth1")).packet();
    }

    private static byte[] discover() {
        return forward(TestPackets.discover());
    }

    /** The three nodes report, at {@code now}, an assignment giving the test client's bucket to {@code owner}. */
    private void clientOwnedBy(NodeId owner, long epoch, long sequence, long now) {
        allReport(watch, epoch, sequence, assignment(bucketOf(discover()), owner), now);
    }

    private List<RelayServer> targets(byte[] request, long now) {
        return routes.targets(request, watch.picture(now), now);
    }

    /** Every bucket to node 1 except {@code bucket}, which goes to {@code owner}. */
    private static SortedMap<Integer, NodeId> onlyBucketTo(int bucket, NodeId owner) {
        SortedMap<Integer, NodeId> holders = new TreeMap<>();
        for (int b = 0; b < LoadBalancing.BUCKETS; b++) {
            holders.put(b, b == bucket ? owner : NODE_1);
        }
        return holders;
    }

    /**
     * {@code reporting} nodes heartbeat each second from {@code from} to {@code to}, inclusive,
     * each reporting assignment 1.1 with the test client's bucket owned by {@code owner}.
     */
    private void heartbeats(NodeId owner, long from, long to, NodeId... reporting) {
        SortedMap<Integer, NodeId> buckets = assignment(bucketOf(discover()), owner);
        for (long now = from; now <= to; now += seconds(1)) {
            for (NodeId node : reporting) {
                watch.reported(report(node, 1, 1, buckets), now);
            }
        }
    }

    private static List<String> goldenPackets() {
        return RelayFixture.GOLDEN;
    }

    @Test
    @DisplayName("rule 2: a relay that never reached the cluster sends to every configured server, in order")
    void neverReachedGoesToEveryServer() {
        assertEquals(SERVERS, targets(discover(), START));
        assertEquals(SERVERS, routes.targets(discover(), ClusterPicture.neverReached(), START));
    }

    @Test
    @DisplayName("rule 2: a plain relay (servers without nodes) sends every request to every server")
    void aPlainRelaySendsToEveryServer() {
        List<RelayServer> plain = List.of(RelayServer.of(Ipv4Address.parse("198.18.100.1")),
                RelayServer.of(Ipv4Address.parse("198.18.100.2")));
        RelayRoutes plainRoutes = new RelayRoutes(plain, RelayOverrides.none());

        for (int i = 0; i < 3; i++) {
            assertEquals(plain, plainRoutes.targets(discover(), ClusterPicture.neverReached(), START + seconds(i)));
        }
    }

    @Test
    @DisplayName("rule 3: the live owner of the client's bucket gets the request alone")
    void theLiveOwnerAlone() {
        clientOwnedBy(NODE_2, 1, 1, START);

        assertEquals(List.of(SERVER_2), targets(discover(), START));
        assertEquals(List.of(SERVER_2), targets(forward(TestPackets.request().withXid(77)), START + seconds(0.5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenPackets")
    @DisplayName("rule 3: real clients' packets go to the owner of the bucket the nodes compute for them")
    void realClientsGoToTheirBucketsOwner(String name) {
        byte[] request = forwarded(RelayFixture.agent().fromClient(golden(name), "eth1")).packet();
        int bucket = bucketOf(request);
        for (NodeId owner : List.of(NODE_1, NODE_2, NODE_3)) {
            allReport(watch, 1, owner.value(), assignment(bucket, owner), START);
            RelayRoutes fresh = new RelayRoutes(SERVERS, RelayOverrides.none());
            assertEquals(List.of(SERVERS.get(owner.value() - 1)), fresh.targets(request, watch.picture(START), START));
        }
    }

    @Test
    @DisplayName("rule 3: a client identifier (option 61) decides the bucket, not the hardware address")
    void theClientIdentifierDecidesTheBucket() {
        byte[] clientId = {1, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
        byte[] request = forward(TestPackets.discover().withClientId(clientId));
        int bucket = LoadBalancing.hash(clientId);
        assertEquals(bucket, bucketOf(request), "the bucket the nodes compute");
        assertNotEquals(bucket, LoadBalancing.hash(CLIENT.octets()), "the test needs the MAC's bucket to differ");
        allReport(watch, 1, 1, onlyBucketTo(bucket, NODE_3), START);

        assertEquals(List.of(SERVER_3), targets(request, START));
    }

    @Test
    @DisplayName("rule 3: an option 61 split into two instances is hashed whole, as the decoder joins it (RFC 3396)")
    void aSplitClientIdentifierIsJoined() {
        byte[] client = rawDiscover(new byte[] {
            (byte) OptionCode.CLIENT_IDENTIFIER, 3, 1, 0x21, 0x22,
            (byte) OptionCode.CLIENT_IDENTIFIER, 4, 0x23, 0x24, 0x25, 0x26});
        byte[] request = forwarded(RelayFixture.agent().fromClient(client, "eth1")).packet();
        int bucket = LoadBalancing.hash(new byte[] {1, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26});
        assertEquals(bucket, bucketOf(request), "the bucket the nodes compute");
        assertNotEquals(bucket, LoadBalancing.hash(new byte[] {1, 0x21, 0x22}), "the test needs the halves to differ");
        allReport(watch, 1, 1, onlyBucketTo(bucket, NODE_3), START);

        assertEquals(List.of(SERVER_3), targets(request, START));
    }

    @Test
    @DisplayName("rule 4: an owner that stops reporting gets requests until its failure timeout, then the live nodes do")
    void aDeadOwnerIsPassedOverAfterItsFailureTimeout() {
        heartbeats(NODE_2, START, START, NODE_1, NODE_2, NODE_3);
        heartbeats(NODE_2, START + seconds(1), START + seconds(4), NODE_1, NODE_3);

        assertEquals(List.of(SERVER_2), targets(forward(TestPackets.discover().withXid(1)), START + seconds(3)));
        assertEquals(List.of(SERVER_1, SERVER_3), targets(forward(TestPackets.discover().withXid(2)), START + seconds(3) + 1));
    }

    @Test
    @DisplayName("rule 4: an owner whose connection is lost is passed over at once")
    void aDisconnectedOwnerIsPassedOverAtOnce() {
        clientOwnedBy(NODE_2, 1, 1, START);

        watch.disconnected(NODE_2, START + seconds(0.2));

        assertEquals(List.of(SERVER_1, SERVER_3), targets(discover(), START + seconds(0.2)));
    }

    @Test
    @DisplayName("rule 4: with no live node at all, every configured server gets the request")
    void noLiveNodeGoesToEveryServer() {
        clientOwnedBy(NODE_2, 1, 1, START);

        assertEquals(SERVERS, targets(discover(), START + seconds(30)));
    }

    @Test
    @DisplayName("rule 4: a bucket no one holds goes to every live node")
    void anUnheldBucketGoesToEveryLiveNode() {
        TreeMap<Integer, NodeId> holders = new TreeMap<>(assignment(0, NODE_1));
        holders.remove(bucketOf(discover()));
        allReport(watch, 1, 1, holders, START);
        watch.disconnected(NODE_1, START);

        assertEquals(List.of(SERVER_2, SERVER_3), targets(discover(), START));
    }

    @Test
    @DisplayName("rule 3: a new assignment naming a new owner moves the client's requests to it")
    void aNewAssignmentMovesTheClient() {
        clientOwnedBy(NODE_1, 2, 1, START);
        assertEquals(List.of(SERVER_1), targets(forward(TestPackets.discover().withXid(1)), START));

        watch.reported(report(NODE_1, 2, 2, assignment(bucketOf(discover()), NODE_3)), START + seconds(1));

        assertEquals(List.of(SERVER_3), targets(forward(TestPackets.discover().withXid(2)), START + seconds(1)));
    }

    @Test
    @DisplayName("rule 3: an older report arriving late does not move the client back")
    void anOlderReportDoesNotRollBack() {
        clientOwnedBy(NODE_3, 2, 2, START);

        watch.reported(report(NODE_1, 2, 1, assignment(bucketOf(discover()), NODE_1)), START + seconds(1));
        watch.reported(report(NODE_2, 1, 9, assignment(bucketOf(discover()), NODE_2)), START + seconds(1));

        assertEquals(List.of(SERVER_3), targets(discover(), START + seconds(1)));
    }

    @Test
    @DisplayName("rule 1: a MAC pin beats a circuit-id pin, and both beat the bucket's owner")
    void aMacPinBeatsACircuitIdPin() {
        RelayRoutes pinned = new RelayRoutes(SERVERS, new RelayOverrides(
                Map.of(CLIENT, SERVER_3),
                Map.of(Octets.of("eth1".getBytes(StandardCharsets.US_ASCII)), SERVER_2)));
        clientOwnedBy(NODE_1, 1, 1, START);
        ClusterPicture picture = watch.picture(START);

        assertEquals(List.of(SERVER_3), pinned.targets(discover(), picture, START), "the MAC pin");
        byte[] other = forward(TestPackets.discover().withHardwareAddress(OTHER_CLIENT));
        assertEquals(List.of(SERVER_2), pinned.targets(other, picture, START), "eth1's circuit-id pin");
        byte[] viaEth2 = forwarded(RelayFixture.agent().fromClient(
                TestPackets.discover().withHardwareAddress(OTHER_CLIENT).withXid(77).encode(), "eth2")).packet();
        assertEquals(List.of(SERVERS.get(picture.ownerOf(bucketOf(viaEth2)).orElseThrow().value() - 1)),
                pinned.targets(viaEth2, picture, START), "eth2's circuit-id is not pinned: the owner");
    }

    @Test
    @DisplayName("rule 1: the circuit-id of option 82 from a trusted element pins as well")
    void aTrustedElementsCircuitIdPins() {
        RelayRoutes pinned = new RelayRoutes(SERVERS, new RelayOverrides(Map.of(),
                Map.of(Octets.of("port-7".getBytes(StandardCharsets.US_ASCII)), SERVER_1)));
        clientOwnedBy(NODE_3, 1, 1, START);
        byte[] request = forwarded(RelayFixture.agent().fromClient(TestPackets.discover()
                .withRelayAgentSubOption(2, new byte[] {9, 9})
                .withRelayAgentSubOption(1, "port-7".getBytes(StandardCharsets.US_ASCII)).encode(), "eth2")).packet();

        assertEquals(List.of(SERVER_1), pinned.targets(request, watch.picture(START), START));
    }

    @Test
    @DisplayName("rule 1: a circuit-id in the second instance of a split option 82 is found (RFC 3396)")
    void aCircuitIdInASplitOptionPins() {
        RelayRoutes pinned = new RelayRoutes(SERVERS, new RelayOverrides(Map.of(),
                Map.of(Octets.of("port-7".getBytes(StandardCharsets.US_ASCII)), SERVER_2)));
        clientOwnedBy(NODE_3, 1, 1, START);
        byte[] client = rawDiscover(new byte[] {
            (byte) OptionCode.RELAY_AGENT_INFORMATION, 4, 2, 2, 9, 9,
            (byte) OptionCode.RELAY_AGENT_INFORMATION, 8, 1, 6, 'p', 'o', 'r', 't', '-', '7'});
        byte[] request = forwarded(RelayFixture.agent().fromClient(client, "eth2")).packet();

        assertEquals(List.of(SERVER_2), pinned.targets(request, watch.picture(START), START));
    }

    @Test
    @DisplayName("rule 1: a client pinned to a dead node falls back to the live owner; pinned again when the node is back")
    void aPinToADeadNodeFallsBack() {
        RelayRoutes pinned = new RelayRoutes(SERVERS, new RelayOverrides(Map.of(CLIENT, SERVER_1), Map.of()));
        clientOwnedBy(NODE_2, 1, 1, START);
        assertEquals(List.of(SERVER_1), pinned.targets(forward(TestPackets.discover().withXid(1)), watch.picture(START), START));

        watch.disconnected(NODE_1, START + seconds(1));
        assertEquals(List.of(SERVER_2), pinned.targets(forward(TestPackets.discover().withXid(2)),
                watch.picture(START + seconds(1)), START + seconds(1)));

        watch.reported(report(NODE_1, 1, 1, assignment(bucketOf(discover()), NODE_2)), START + seconds(2));
        assertEquals(List.of(SERVER_1), pinned.targets(forward(TestPackets.discover().withXid(3)),
                watch.picture(START + seconds(2)), START + seconds(2)));
    }

    @Test
    @DisplayName("rule 1: before the cluster is reached no node is known dead, so the pin holds")
    void aPinHoldsBeforeTheClusterIsReached() {
        RelayRoutes pinned = new RelayRoutes(SERVERS, new RelayOverrides(Map.of(CLIENT, SERVER_2), Map.of()));

        assertEquals(List.of(SERVER_2), pinned.targets(discover(), ClusterPicture.neverReached(), START));
    }

    @Test
    @DisplayName("rule 1: a node pinned for a client whose bucket is another's stays silent, so the retransmission goes to every live node")
    void aPinnedNodeThatDoesNotAnswerYieldsOnRetransmission() {
        RelayRoutes pinned = new RelayRoutes(SERVERS, new RelayOverrides(Map.of(CLIENT, SERVER_1), Map.of()));
        heartbeats(NODE_2, START, START + seconds(30), NODE_1, NODE_2, NODE_3);

        assertEquals(List.of(SERVER_1), pinned.targets(discover(), watch.picture(START), START));
        assertEquals(SERVERS, pinned.targets(discover(), watch.picture(START + seconds(4)), START + seconds(4)),
                "node 1 holds no bucket of the client's and did not answer: any node that can, should");
        assertEquals(List.of(SERVER_1), pinned.targets(forward(TestPackets.discover().withXid(9)),
                watch.picture(START + seconds(5)), START + seconds(5)), "the next exchange tries the pin first again");
    }

    @Test
    @DisplayName("rule 1: a pin to a server outside the cluster holds for retransmissions too, whatever the cluster says")
    void aPinOutsideTheClusterAlwaysHolds() {
        RelayServer bench = RelayServer.of(Ipv4Address.parse("198.18.100.9"));
        List<RelayServer> servers = List.of(SERVER_1, SERVER_2, SERVER_3, bench);
        RelayRoutes pinned = new RelayRoutes(servers, new RelayOverrides(Map.of(CLIENT, bench), Map.of()));
        heartbeats(NODE_2, START, START + seconds(30), NODE_1, NODE_2, NODE_3);

        assertEquals(List.of(bench), pinned.targets(discover(), ClusterPicture.neverReached(), START));
        assertEquals(List.of(bench), pinned.targets(discover(), watch.picture(START), START));
        assertEquals(List.of(bench), pinned.targets(discover(), watch.picture(START + seconds(4)), START + seconds(4)),
                "the operator chose that server: the relay does not send its clients to the cluster behind its back");
    }

    @Test
    @DisplayName("rule 5: the client's retransmission (same MAC, xid and type) within 10 s fans out to every live node")
    void aRetransmissionFansOut() {
        heartbeats(NODE_2, START, START + seconds(30), NODE_1, NODE_2);

        assertEquals(List.of(SERVER_2), targets(discover(), START));
        assertEquals(List.of(SERVER_1, SERVER_2), targets(discover(), START + seconds(4)), "the owner did not answer");
        assertEquals(List.of(SERVER_1, SERVER_2), targets(discover(), START + seconds(12)), "still the same exchange");
        assertEquals(List.of(SERVER_2), targets(discover(), START + seconds(30)), "more than 10 s later: a new exchange");
    }

    @Test
    @DisplayName("rule 5: a new xid, another client, or the REQUEST that follows the DISCOVER goes to the owner alone")
    void otherTransactionsAreNoRetransmission() {
        clientOwnedBy(NODE_2, 1, 1, START);
        assertEquals(List.of(SERVER_2), targets(discover(), START));

        assertEquals(List.of(SERVER_2), targets(forward(TestPackets.request()), START + seconds(1)),
                "RFC 2131: the REQUEST keeps the DISCOVER's xid");
        assertEquals(List.of(SERVER_2), targets(forward(TestPackets.discover().withXid(5)), START + seconds(1)));
        byte[] other = forward(TestPackets.discover().withHardwareAddress(OTHER_CLIENT));
        NodeId otherOwner = watch.picture(START).ownerOf(bucketOf(other)).orElseThrow();
        assertEquals(List.of(SERVERS.get(otherOwner.value() - 1)), targets(other, START + seconds(1)));
    }

    @Test
    @DisplayName("rule 5: a request already sent to every live node is not fanned out again as a retransmission")
    void aForwardToEveryLiveNodeIsNoMissedOwner() {
        clientOwnedBy(NODE_2, 1, 1, START);
        watch.disconnected(NODE_2, START);
        assertEquals(List.of(SERVER_1, SERVER_3), targets(discover(), START));

        heartbeats(NODE_2, START + seconds(1), START + seconds(2), NODE_1, NODE_2, NODE_3);

        assertEquals(List.of(SERVER_2), targets(discover(), START + seconds(2)));
    }

    @Test
    @DisplayName("the memory of recent forwards is bounded: a flood of made-up MACs cannot grow it")
    void theMemoryIsBounded() {
        RelayRoutes small = new RelayRoutes(SERVERS, RelayOverrides.none(), 100);
        clientOwnedBy(NODE_2, 1, 1, START);
        ClusterPicture picture = watch.picture(START);
        byte[] request = discover();
        small.targets(request, picture, START);

        for (int i = 0; i < 10_000; i++) {
            byte[] flood = request.clone();
            flood[28 + 4] = (byte) (i >> 8);
            flood[28 + 5] = (byte) i;
            flood[28 + 3] = 0x42;
            small.targets(flood, picture, START + 1);
            assertTrue(small.remembered() <= 100);
        }
        assertEquals(100, small.remembered());
        assertEquals(List.of(SERVER_2), small.targets(request, picture, START + 2),
                "the client's first forward was evicted: its retransmission reads as new");
    }

    @Test
    @DisplayName("forwards older than 10 s are forgotten without waiting for the bound")
    void oldForwardsAreForgotten() {
        clientOwnedBy(NODE_2, 1, 1, START);
        for (int xid = 0; xid < 50; xid++) {
            targets(forward(TestPackets.discover().withXid(xid)), START);
        }
        assertEquals(50, routes.remembered());

        targets(forward(TestPackets.discover().withXid(999)), START + seconds(11));
        assertEquals(1, routes.remembered());
    }

    @Test
    @DisplayName("a server listed twice, or a pin to a server that is not configured, is refused")
    void badRoutesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RelayRoutes(List.of(SERVER_1, SERVER_1), RelayOverrides.none()));
        assertThrows(IllegalArgumentException.class, () -> new RelayRoutes(List.of(), RelayOverrides.none()));
        RelayServer stranger = RelayServer.of(Ipv4Address.parse("198.18.100.9"));
        assertThrows(IllegalArgumentException.class,
                () -> new RelayRoutes(SERVERS, new RelayOverrides(Map.of(CLIENT, stranger), Map.of())));
        assertThrows(IllegalArgumentException.class, () -> routes.targets(new byte[10], ClusterPicture.neverReached(), START));
    }

    /** A DISCOVER from {@link #CLIENT} whose options are {@code options} after option 53, then END, padded to 300 octets. */
    private static byte[] rawDiscover(byte[] options) {
        byte[] base = TestPackets.discover().encode();
        byte[] packet = Arrays.copyOf(base, 300);
        Arrays.fill(packet, 240, 300, (byte) 0);
        int at = 240;
        packet[at++] = (byte) OptionCode.MESSAGE_TYPE;
        packet[at++] = 1;
        packet[at++] = 1;
        System.arraycopy(options, 0, packet, at, options.length);
        packet[at + options.length] = (byte) OptionCode.END;
        return packet;
    }
}
