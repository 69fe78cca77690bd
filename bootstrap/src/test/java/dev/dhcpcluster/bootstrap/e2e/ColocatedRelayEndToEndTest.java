package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dhcpcluster.bootstrap.config.AdminSettings;
import dev.dhcpcluster.core.cluster.LoadBalancing;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * A relay in one process with a node ({@code dhcpcluster run} with a {@code relay} section): node 1
 * runs on the router of a {@link RoutedLab}, its pcap transport on the server LAN ({@code eth0}),
 * its relay on the client LAN ({@code eth1}); nodes 2 and 3 run on server-LAN hosts, all three in
 * one cluster. The relay knows the cluster through node 1's own cluster section.
 *
 * <p>A client whose bucket node 1 owns is served without its requests or node 1's replies touching
 * the kernel (relay and node hand them to each other in the process); a client whose bucket node 2
 * or 3 owns is served over the server LAN. udhcpc gets a lease of the client LAN either way and
 * renews it; the relay sent each request to the owner only, as node 1's {@code /status} and
 * {@code /metrics} show; {@code dhcpcluster status} prints the relay after the node; and a SIGHUP
 * with a changed {@code relay.max-hops} is applied while the node keeps serving.
 *
 * <p>The server LAN has no DHCP client in this network, so what node 1 serves on its own link is
 * not tested here ({@link PcapTransportEndToEndTest} and {@link TwoLinkPcapEndToEndTest}
 * cover a pcap node's directly attached clients).
 *
 * <p>One lab and one cluster start serve every check, to keep the test short.
 */
@EndToEnd(requires = {"udhcpc", "busybox", "sysctl"})
class ColocatedRelayEndToEndTest {

    private static final Duration LEASE_WAIT = Duration.ofSeconds(30);
    private static final Duration COUNTERS_WAIT = Duration.ofSeconds(10);
    private static final Duration COMMAND_WAIT = Duration.ofSeconds(30);
    private static final int NODE_WITH_RELAY = 1;
    /**
     * The RFC 3074 buckets of the clients tried, in order, until one was served by node 1 and one
     * by another node. Which node owns a bucket is the leader's choice, seen only in what the nodes
     * answer; but the leader deals free buckets in bucket order to the live node holding fewest
     * ({@code AssignmentPlanner}), so with all three nodes at its first plan buckets 0, 1 and 2 go
     * to nodes 1, 2 and 3, and a node that joins later gets buckets taken from the top (255 down).
     * Either way buckets 0, 255 and 1 include one of node 1's and one of another node's; the
     * others are spares for a plan made otherwise.
     */
    private static final List<Integer> CANDIDATE_BUCKETS = List.of(0, 255, 1, 254, 2, 253, 3, 252, 4, 251, 5, 250);
    private static final String RELOADS_APPLIED = "dhcpcluster_relay_config_reloads_total{outcome=\"applied\"}";
    private static final String RELOADS_REFUSED = "dhcpcluster_relay_config_reloads_total{outcome=\"refused\"}";
    private static final Pattern RELAY_READY = Pattern.compile("(?m)^dhcpcluster node 1 serving .*; relays from "
            + Pattern.quote(RoutedLab.CLIENT_INTERFACE + " " + RoutedLab.ROUTER_CLIENT_SIDE) + ".*$");

    /** A client that got a lease and renewed it, the node that served it, and its key in that node's {@code /leases}. */
    private record Served(String mac, LeaseEvent bound, int owner, String client) {
    }

    @Test
    @DisplayName("a relay in one process with node 1 on the router: udhcpc leases and renews through it from node 1 "
            + "(in process) and from another node (over the network), each request to the owner only; status shows "
            + "the relay; a SIGHUP changing max-hops is applied while the node serves on")
    void aNodeRelaysItsClientLanToTheWholeCluster() {
        try (NetworkLab lab = NetworkLab.create()) {
            RoutedLab network = RoutedLab.createWithNode1OnRouter(lab);
            RelayConfigFile relay = RelayConfigFile.forNodeOfLabCluster(RoutedLab.CLIENT_INTERFACE,
                    RoutedLab.ROUTER_CLIENT_SIDE);
            LabCluster cluster = network.startCluster(id -> id == NODE_WITH_RELAY
                    ? RoutedLab.nodeConfig().withPcapTransport().withRelay(relay)
                    : RoutedLab.nodeConfig());
            NodeProcess node1 = cluster.node(NODE_WITH_RELAY);
            assertTrue(RELAY_READY.matcher(node1.output()).find(), node1::describe);
            List<String> candidates = candidateMacs();
            LabHost clientHost = network.clientHost("udh", candidates.get(0));
            cluster.awaitSettled(LabCluster.all());
            RelayStatusWait.untilItKnowsTheCluster(() -> relayStatus(cluster), "node 1's relay", cluster::describe);

            // A client of node 1 (served in process) and one of node 2 or 3 (served over the server LAN).
            Served inProcess = null;
            Served overNetwork = null;
            int tries = 0;
            while (tries < candidates.size() && (inProcess == null || overNetwork == null)) {
                Served served = leaseAndRenew(lab, cluster, clientHost, candidates.get(tries), "udhcpc" + (tries + 1));
                tries++;
                if (served.owner() == NODE_WITH_RELAY) {
                    inProcess = inProcess == null ? served : inProcess;
                } else {
                    overNetwork = overNetwork == null ? served : overNetwork;
                }
            }
            assertTrue(inProcess != null && overNetwork != null, () -> "no client of node 1 and one of another node "
                    + "among " + candidates + cluster.describe());
            System.out.println("ColocatedRelayEndToEndTest: " + tries + " clients tried; node 1 served " + inProcess
                    + " in process, node " + overNetwork.owner() + " served " + overNetwork + " over the server LAN");

            // The node's status shows the relay, and `dhcpcluster status` prints it after the node.
            JsonNode relayStatus = relayStatus(cluster);
            assertFalse(relayStatus.has("role"), relayStatus::toString);
            assertEquals("edge-1", relayStatus.path("name").asText(), relayStatus::toString);
            assertEquals(RoutedLab.CLIENT_INTERFACE, relayStatus.path("interfaces").path(0).path("name").asText(),
                    relayStatus::toString);
            assertEquals(LabCluster.CLUSTER_NAME, relayStatus.path("cluster").path("name").asText(),
                    relayStatus::toString);
            assertStatusCommandPrintsTheRelay(network.router(), cluster);

            // SIGHUP with max-hops doubled: applied, and the node serves both kinds of client on.
            String before = metrics(cluster);
            long applied = RelayProcess.metric(before, RELOADS_APPLIED);
            long refused = RelayProcess.metric(before, RELOADS_REFUSED);
            int hops = relay.maxHops() * 2;
            cluster.reconfigure(NODE_WITH_RELAY,
                    config -> config.withRelay(config.relay().orElseThrow().withMaxHops(hops)));
            Poll.until(COUNTERS_WAIT, "node 1 to apply the reloaded relay section",
                    () -> RelayProcess.metric(metrics(cluster), RELOADS_APPLIED) > applied
                            ? Optional.of(true) : Optional.empty(),
                    () -> metrics(cluster) + node1.describe());
            String after = metrics(cluster);
            assertEquals(applied + 1, RelayProcess.metric(after, RELOADS_APPLIED), after);
            assertEquals(refused, RelayProcess.metric(after, RELOADS_REFUSED), after);
            // The node's reload outcome names the relay's change under the relay section's path.
            assertTrue(node1.output().contains("relay.max-hops: " + relay.maxHops() + " -> " + hops), node1::describe);
            assertEquals(1, relayStatus(cluster).path("config").path("reloads").asLong(),
                    () -> relayStatus(cluster).toString());
            assertTrue(node1.isAlive(), node1::describe);
            for (Served served : List.of(inProcess, overNetwork)) {
                Served again = leaseAndRenew(lab, cluster, clientHost, served.mac(), "again-" + served.owner());
                assertEquals(served.bound().address(), again.bound().address(), () -> again + " after " + served
                        + cluster.describe());
                assertEquals(served.owner(), again.owner(), () -> again + " after " + served + cluster.describe());
            }
        }
    }

    /**
     * A hardware address for each of {@link #CANDIDATE_BUCKETS}, in that order: the first
     * {@code 02:00:00:65:xx:xx} whose client identifier, as udhcpc sends it (option 61: type 1 and
     * the hardware address), falls in the bucket.
     */
    private static List<String> candidateMacs() {
        Map<Integer, String> byBucket = new HashMap<>();
        for (int low = 0; low < 0x10000 && byBucket.size() < CANDIDATE_BUCKETS.size(); low++) {
            byte[] clientIdentifier = {1, 2, 0, 0, 0x65, (byte) (low >> 8), (byte) low};
            int bucket = LoadBalancing.hash(clientIdentifier);
            if (CANDIDATE_BUCKETS.contains(bucket)) {
                byBucket.putIfAbsent(bucket, String.format("02:00:00:65:%02x:%02x", low >> 8, low & 0xff));
            }
        }
        if (byBucket.size() < CANDIDATE_BUCKETS.size()) {
            throw new IllegalStateException("no hardware address for some of the buckets " + CANDIDATE_BUCKETS);
        }
        return CANDIDATE_BUCKETS.stream().map(byBucket::get).toList();
    }

    /**
     * Gives the client host the hardware address {@code mac}, runs a udhcpc there until it is bound
     * through node 1's relay and has renewed its lease, and stops it (without a release). Checks
     * what a client and an operator see: a lease of the client LAN with the router as gateway,
     * renewed with the same address; the lease BOUND in the owner's {@code /leases}, written by it;
     * and node 1's relay, in its {@code /metrics} and its {@code /status} alike, sent every request
     * to the owner and none to another node (but for a retransmission, which goes to every live
     * node). A renewal goes by unicast to the owner (RFC 2131 §4.4.5): to node 2 or 3 the router
     * forwards it, and the relay has nothing to do with it; node 1's address is the router's own,
     * so there it arrives on the relay's interface and the relay hands it to node 1 in process.
     */
    private static Served leaseAndRenew(NetworkLab lab, LabCluster cluster, LabHost clientHost, String mac,
            String name) {
        clientHost.setMacAddress(mac);
        RelayCounters before = counters(cluster);
        Udhcpc udhcpc = new Udhcpc(lab, clientHost, name);
        udhcpc.start();
        LeaseEvent bound = udhcpc.await("to be bound through node 1's relay", 0, e -> e.is("bound"), LEASE_WAIT);
        int owner = cluster.nodeWithServerIdentifier(bound.serverId());
        RelayCounters moved = awaitReturned(cluster, before, 2);
        String evidence = mac + " " + bound + ", owner " + owner + ", " + moved + cluster.describe();
        assertTrue(RoutedLab.CLIENT_SUBNET.poolContains(bound.address()), evidence);
        assertEquals(RoutedLab.ROUTER_CLIENT_SIDE, bound.routers(), evidence);
        assertTrue(moved.forwarded() >= 2, () -> "DISCOVER and REQUEST not forwarded: " + evidence);
        assertSentToOwnerOnly(moved, 2, owner, evidence);
        assertBoundByOwner(cluster, bound.address(), owner);

        // udhcpc's script flushed the interface's addresses, and with the last one the route.
        clientHost.setDefaultRoute(RoutedLab.ROUTER_CLIENT_SIDE);
        RelayCounters beforeRenewal = counters(cluster);
        int skip = udhcpc.script().events().size();
        udhcpc.renew();
        LeaseEvent renewed = udhcpc.await("to renew with node " + owner, skip, e -> e.is("renew"), LEASE_WAIT);
        assertEquals(bound.address(), renewed.address(), () -> renewed + " after " + evidence);
        assertEquals(bound.serverId(), renewed.serverId(), () -> renewed + " after " + evidence);
        RelayCounters renewal = counters(cluster).minus(beforeRenewal);
        String renewalEvidence = "renewal: " + renewal + ", " + renewed + "\n" + evidence;
        if (owner == NODE_WITH_RELAY) {
            // udhcpc renews with its REQUEST's xid, so within RelayRoutes.RETRANSMISSION_WINDOW_SECONDS
            // of that REQUEST (as here) the relay takes the renewal for a retransmission and sends it
            // to every live node, as it does any retransmission.
            assertTrue(renewal.forwarded() >= 1, () -> "the renewal did not reach node 1: " + renewalEvidence);
            assertEquals(renewal.forwarded(), renewal.sentTo(owner), renewalEvidence);
        } else {
            assertEquals(0, renewal.forwarded(), () -> "a routed renewal was relayed: " + renewalEvidence);
            assertEquals(0, renewal.sentInAll(), renewalEvidence);
        }
        JsonNode lease = assertBoundByOwner(cluster, bound.address(), owner);
        assertTrue(udhcpc.process().stop(Duration.ofSeconds(10)).isPresent(), udhcpc.process()::describe);
        return new Served(mac, bound, owner, lease.path("client").asText());
    }

    /**
     * Every request the relay forwarded went to {@code owner}, and no other node got any of the
     * client's {@code requests} (DORA's 2, a renewal's 1); only a retransmission, which goes to
     * every live node (each forward counts once in {@code forwarded}), may have reached another.
     */
    private static void assertSentToOwnerOnly(RelayCounters moved, int requests, int owner, String evidence) {
        assertEquals(moved.forwarded(), moved.sentTo(owner), () -> "not every request went to the owner: " + evidence);
        long retransmissions = Math.max(0, moved.forwarded() - requests);
        for (int other : LabCluster.allBut(owner)) {
            assertTrue(moved.sentTo(other) <= retransmissions, () -> "node " + other + " got a request: " + evidence);
        }
    }

    /**
     * Waits until node 1's relay has returned {@code replies} replies since {@code before} (it counts
     * a reply once sent; the client may be bound a moment earlier), and its {@code /status} counts
     * what its {@code /metrics} counts; returns what moved.
     */
    private static RelayCounters awaitReturned(LabCluster cluster, RelayCounters before, int replies) {
        return Poll.until(COUNTERS_WAIT, "node 1's relay to count " + replies + " replies, alike in /metrics and /status",
                () -> {
                    RelayCounters metrics = counters(cluster).minus(before);
                    RelayCounters status = RelayCounters.ofStatus(relayStatus(cluster)).minus(before);
                    return metrics.returned() >= replies && metrics.equals(status) ? Optional.of(metrics) : Optional.empty();
                },
                () -> "metrics: " + counters(cluster).minus(before) + ", status: "
                        + RelayCounters.ofStatus(relayStatus(cluster)).minus(before) + cluster.describe());
    }

    /** Waits until the owner's {@code /leases} shows {@code address} BOUND, written by the owner; returns the lease. */
    private static JsonNode assertBoundByOwner(LabCluster cluster, String address, int owner) {
        Supplier<String> evidence = () -> cluster.leases(owner).map(Map::toString).orElse("(no answer)")
                + cluster.describe();
        JsonNode lease = Poll.until(COUNTERS_WAIT, "node " + owner + " to hold " + address + " BOUND",
                () -> cluster.leases(owner).map(leases -> leases.get(address))
                        .filter(found -> "BOUND".equals(found.path("state").asText())),
                evidence);
        assertEquals(owner, lease.path("writer").asInt(), lease::toString);
        return lease;
    }

    /**
     * Runs {@code dhcpcluster status} in the router's namespace against node 1's admin endpoint:
     * it prints the node's table, then the relay's, with every node as an up server of the relay.
     */
    private static void assertStatusCommandPrintsTheRelay(LabHost router, LabCluster cluster) {
        List<String> argv = JavaCommand.of(List.of("-Xmx64m"), "dev.dhcpcluster.bootstrap.Main",
                List.of("status", "--admin", AdminSettings.DEFAULT_LISTEN));
        Command.Result result = Command.run(COMMAND_WAIT, router.inNamespace(argv));
        String evidence = result.output() + cluster.describe();
        assertEquals(0, result.exitCode(), evidence);
        List<String> lines = result.output().lines().toList();
        int node = indexOf(lines, Pattern.compile("^node\\s+1 "), 0, evidence);
        int relay = indexOf(lines, Pattern.compile("^relay\\s+edge-1 "), node + 1, evidence);
        indexOf(lines, Pattern.compile("^interface\\s+" + Pattern.quote(RoutedLab.CLIENT_INTERFACE + " "
                + RoutedLab.ROUTER_CLIENT_SIDE)), relay + 1, evidence);
        for (int id : LabCluster.all()) {
            indexOf(lines, Pattern.compile("^server\\s+" + Pattern.quote(LabCluster.address(id)) + "\\s+node " + id
                    + ", up,"), relay + 1, evidence);
        }
    }

    /** The index of the first of {@code lines} from {@code from} on that {@code pattern} finds; fails if none. */
    private static int indexOf(List<String> lines, Pattern pattern, int from, String evidence) {
        for (int i = from; i < lines.size(); i++) {
            if (pattern.matcher(lines.get(i)).find()) {
                return i;
            }
        }
        throw new AssertionFailedError("no line /" + pattern + "/ after line " + from + " of:\n" + evidence);
    }

    /** Node 1's {@code /status} {@code relay} object; fails if node 1 does not answer or shows none. */
    private static JsonNode relayStatus(LabCluster cluster) {
        JsonNode status = cluster.status(NODE_WITH_RELAY).orElseThrow(
                () -> new AssertionFailedError("node 1 did not answer /status" + cluster.describe()));
        JsonNode relay = status.path("relay");
        if (!relay.isObject()) {
            throw new AssertionFailedError("node 1's /status has no relay object: " + status);
        }
        return relay;
    }

    /** Node 1's {@code /metrics}; fails if it does not answer. */
    private static String metrics(LabCluster cluster) {
        return cluster.node(NODE_WITH_RELAY).admin("/metrics").orElseThrow(
                () -> new AssertionFailedError("node 1 did not answer /metrics" + cluster.describe()));
    }

    /** Node 1's relay counters, from its {@code /metrics}. */
    private static RelayCounters counters(LabCluster cluster) {
        return RelayCounters.parse(metrics(cluster));
    }
}
