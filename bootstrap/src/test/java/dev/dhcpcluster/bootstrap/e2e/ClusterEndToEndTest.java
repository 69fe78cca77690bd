package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dhcpcluster.core.cluster.LoadBalancing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Three nodes of one cluster on one bridge, each hearing every client broadcast: real clients keep
 * their addresses when the node that served them is SIGKILLed, perfdhcp broadcasting at all three
 * gets exactly one OFFER per DISCOVER and no address twice, and every ACKed lease survives a
 * SIGKILL of all three nodes.
 */
@EndToEnd(requires = {"dhclient", "udhcpc", "perfdhcp", "busybox"})
class ClusterEndToEndTest {

    /**
     * The link's subnet, whose pool of 2,033 addresses makes 8 blocks of 256: one or more for each
     * node, one in reserve.
     */
    private static final NodeConfigFile.Subnet LAN = new NodeConfigFile.Subnet(
            1, "198.18.0.0/21", "198.18.0.10", "198.18.7.250", LabCluster.address(1), List.of());
    private static final String PERFDHCP_ADDRESS = "198.18.0.5";
    private static final Duration LEASE_WAIT = Duration.ofSeconds(45);
    /**
     * perfdhcp's DORA exchanges and their rate. The rate is modest, as three nodes share the
     * machine with perfdhcp, which may start a few exchanges beyond -n before it stops.
     */
    private static final int CLIENTS = 300;
    private static final int RATE = 100;
    /**
     * How long perfdhcp waits for an answer before it counts the request lost, in seconds (given
     * twice: once for the DISCOVER-OFFER exchanges, once for the REQUEST-ACK ones): far
     * beyond any answer of an idle machine, but a loaded one may delay an ACK, which waits for a
     * majority's disk, by a second or more.
     */
    private static final String PERFDHCP_DROP_TIME = "10";
    private static final Duration COUNTERS_WAIT = Duration.ofSeconds(10);
    /**
     * A 60 s lease with T1 at 8 s and T2 at 12 s: dhclient rebinds by broadcast from 12 s after it
     * was bound until the lease ends, and udhcpc (which ignores T1 and T2, and gives up rebinding
     * after two broadcasts a second apart) would renew by itself only at 30 s, well after the test
     * has told it to.
     */
    private static final int LEASE = 60;
    private static final int RENEW = 8;
    private static final int REBIND = 12;

    /**
     * dhclient and udhcpc, bound through the cluster, are served by the node that holds their
     * RFC 3074 bucket; that node is SIGKILLed by its PID. Once the survivors have taken its share,
     * dhclient, whose renewals at T1 go unanswered, rebinds by broadcast at T2, and udhcpc, told to
     * renew, rebinds after its unicast to the dead node went unanswered: both keep their addresses,
     * extended by a survivor. A new client of the same bucket is served by a survivor too.
     */
    @Test
    @DisplayName("SIGKILL the node that served dhclient and udhcpc: both rebind to the same address on a survivor, "
            + "and a new client is served")
    void clientsKeepTheirAddressesWhenTheirNodeIsKilled() {
        try (NetworkLab lab = NetworkLab.create()) {
            LabCluster cluster = LabCluster.start(lab, config().withLeaseTimes(LEASE, RENEW, REBIND));
            // All three clients in one bucket, so one node serves them all, whoever it is.
            List<String> macs = macsOfOneBucket(3);
            Dhclient dhclient = new Dhclient(lab, clientHost(lab, "dhc", macs.get(0)), "dhclient");
            Udhcpc udhcpc = new Udhcpc(lab, clientHost(lab, "udh", macs.get(1)), "udhcpc");
            LabHost lateHost = clientHost(lab, "late", macs.get(2));
            cluster.awaitSettled(LabCluster.all());

            dhclient.start();
            udhcpc.start();
            LeaseEvent dhclientBound = dhclient.await("to be BOUND", 0, e -> e.is("BOUND"), LEASE_WAIT);
            LeaseEvent udhcpcBound = udhcpc.await("to be bound", 0, e -> e.is("bound"), LEASE_WAIT);
            int served = cluster.nodeWithServerIdentifier(dhclientBound.serverId());
            assertEquals(LabCluster.address(served), udhcpcBound.serverId(),
                    () -> "clients of one bucket served by two nodes: " + dhclientBound + ", " + udhcpcBound
                            + cluster.describe());
            assertNotEquals(dhclientBound.address(), udhcpcBound.address());
            assertTrue(LAN.poolContains(dhclientBound.address()) && LAN.poolContains(udhcpcBound.address()),
                    () -> dhclientBound + ", " + udhcpcBound);
            int dhclientAfterBound = dhclient.script().events().size();
            int udhcpcAfterBound = udhcpc.script().events().size();

            cluster.kill(served);
            List<Integer> survivors = LabCluster.allBut(served);
            cluster.awaitSettled(survivors);

            udhcpc.renew();
            LeaseEvent udhcpcBack = udhcpc.await("to report its first event after the kill", udhcpcAfterBound,
                    e -> true, LEASE_WAIT);
            LeaseEvent dhclientBack = dhclient.await("to report its first event after the kill", dhclientAfterBound,
                    e -> true, LEASE_WAIT);

            Supplier<String> evidence = () -> "dhclient " + dhclient.script().events() + "\nudhcpc "
                    + udhcpc.script().events() + cluster.describe();
            // An ACK while bound is "renew" to udhcpc's script, however the request went; dhclient says
            // RENEW or REBIND. Both came from a survivor, so through a broadcast: the dead node is gone.
            assertTrue(udhcpcBack.is("renew"), evidence);
            assertTrue(dhclientBack.is("RENEW") || dhclientBack.is("REBIND"), evidence);
            assertEquals(udhcpcBound.address(), udhcpcBack.address(), evidence);
            assertEquals(dhclientBound.address(), dhclientBack.address(), evidence);
            int udhcpcServer = cluster.nodeWithServerIdentifier(udhcpcBack.serverId());
            int dhclientServer = cluster.nodeWithServerIdentifier(dhclientBack.serverId());
            assertTrue(survivors.contains(udhcpcServer), evidence);
            // One bucket, one owner: the survivor that took the dead node's bucket answered both.
            assertEquals(udhcpcServer, dhclientServer, evidence);
            for (int survivor : survivors) {
                Map<String, JsonNode> leases = cluster.leases(survivor)
                        .orElseThrow(() -> new AssertionFailedError("no /leases from node " + survivor));
                for (LeaseEvent back : List.of(udhcpcBack, dhclientBack)) {
                    JsonNode lease = Optional.ofNullable(leases.get(back.address())).orElseThrow(
                            () -> new AssertionFailedError("node " + survivor + " has no lease of " + back.address()
                                    + ": " + leases.keySet()));
                    assertEquals("BOUND", lease.path("state").asText(), lease::toString);
                    assertEquals(cluster.nodeWithServerIdentifier(back.serverId()), lease.path("writer").asInt(),
                            () -> "node " + survivor + " does not hold the extension as its writer wrote it: " + lease);
                }
            }

            Udhcpc late = new Udhcpc(lab, lateHost, "late");
            late.start();
            LeaseEvent lateBound = late.await("to be bound", 0, e -> e.is("bound"), LEASE_WAIT);
            assertEquals(udhcpcServer, cluster.nodeWithServerIdentifier(lateBound.serverId()),
                    () -> "the new client of the bucket was not served by its new owner: " + lateBound);
            assertTrue(LAN.poolContains(lateBound.address()), lateBound::toString);
            assertTrue(!Set.of(dhclientBound.address(), udhcpcBound.address()).contains(lateBound.address()),
                    () -> "a held address leased again: " + lateBound + cluster.describe());
        }
    }

    /**
     * perfdhcp broadcasts DISCOVERs as a relay on the nodes' link (giaddr its own address), so each
     * of the three nodes receives every one; the one that holds the client's bucket answers, the
     * two others drop it as not theirs. Each node's counters must therefore show exactly D
     * DISCOVERs received, and the three together D OFFERs sent and 2D DISCOVERs dropped for the
     * bucket, D being the DISCOVERs perfdhcp sent; likewise one ACK per REQUEST. perfdhcp gets an
     * answer to every request and sees no address twice.
     */
    @Test
    @DisplayName("perfdhcp broadcasting at 3 nodes: every node hears each DISCOVER, exactly one OFFERs, "
            + "no address twice")
    void perfdhcpGetsOneOfferPerDiscoverAndNoAddressTwice() {
        try (NetworkLab lab = NetworkLab.create()) {
            LabCluster cluster = LabCluster.start(lab, config());
            LabHost perfHost = lab.addHost("perf", PERFDHCP_ADDRESS + LabCluster.LINK_PREFIX);
            cluster.awaitSettled(LabCluster.all());
            Counters before = Counters.read(cluster);

            PerfdhcpReport report = perfdhcp(lab, perfHost, CLIENTS, RATE);

            PerfdhcpReport.Exchange discover = report.exchange("DISCOVER-OFFER");
            PerfdhcpReport.Exchange request = report.exchange("REQUEST-ACK");
            long discovers = discover.sent();
            long requests = request.sent();
            Counters after = Poll.until(COUNTERS_WAIT, "every node to count the " + discovers + " DISCOVERs and "
                    + requests + " REQUESTs perfdhcp sent", () -> {
                        Counters now = Counters.read(cluster);
                        return now.minus(before).heardEverything(discovers, requests)
                                ? Optional.of(now) : Optional.empty();
                    }, () -> Counters.read(cluster).minus(before) + cluster.describe());
            Counters counted = after.minus(before);
            String evidence = counted + "\n" + report + cluster.describe();

            assertTrue(discovers >= CLIENTS, evidence);
            assertEquals(0, discover.nonUniqueAddresses(), evidence);
            assertEquals(0, request.nonUniqueAddresses(), evidence);
            assertEquals(discovers, counted.sum(counted.offers), () -> "not one OFFER per DISCOVER: " + evidence);
            assertEquals(2 * discovers, counted.sum(counted.notOurBucket), evidence);
            assertEquals(requests, counted.sum(counted.acks), () -> "not one ACK per REQUEST: " + evidence);
            assertEquals(0, counted.sum(counted.naks), evidence);
            // And perfdhcp got them all: one OFFER for each DISCOVER, one ACK for each REQUEST.
            assertEquals(discovers, discover.received(), evidence);
            assertEquals(requests, discovers, evidence);
            assertEquals(requests, request.received(), evidence);
        }
    }

    /**
     * Leases ACKed to perfdhcp's clients and to a udhcpc, once every node holds them durably, are
     * all still on every node after all three were SIGKILLed and started again: the same
     * addresses, clients, expiries and versions.
     */
    @Test
    @DisplayName("after a SIGKILL of all 3 nodes and a restart, every node still holds every ACKed lease")
    void everyAckedLeaseSurvivesASigkillOfAllNodes() {
        try (NetworkLab lab = NetworkLab.create()) {
            LabCluster cluster = LabCluster.start(lab, config());
            LabHost perfHost = lab.addHost("perf", PERFDHCP_ADDRESS + LabCluster.LINK_PREFIX);
            Udhcpc udhcpc = new Udhcpc(lab, lab.addHost("udh"), "udhcpc");
            cluster.awaitSettled(LabCluster.all());

            udhcpc.start();
            LeaseEvent bound = udhcpc.await("to be bound", 0, e -> e.is("bound"), LEASE_WAIT);
            PerfdhcpReport report = perfdhcp(lab, perfHost, CLIENTS / 2, RATE);
            long acked = cluster.metricSum("dhcpcluster_leases_bound_total");

            // Every lease on every node, each node's store done with every change: the ACKed set.
            Map<String, JsonNode> before = Poll.until(COUNTERS_WAIT, "every node to hold the same "
                    + acked + " leases durably", () -> sameOnEveryNode(cluster)
                    .filter(leases -> leases.size() == acked), cluster::describe);
            String evidence = report + cluster.describe();
            assertTrue(before.containsKey(bound.address()), evidence);
            assertTrue(before.size() >= report.exchange("REQUEST-ACK").received() + 1, evidence);
            assertTrue(before.values().stream().allMatch(lease -> lease.path("state").asText().equals("BOUND")),
                    () -> before.values().toString());

            for (int id : LabCluster.all()) {
                cluster.kill(id);
            }
            cluster.restartAll();

            for (int id : LabCluster.all()) {
                int node = id;
                Map<String, JsonNode> after = Poll.until(COUNTERS_WAIT, "node " + id + " to answer /leases",
                        () -> cluster.leases(node), cluster::describe);
                assertEquals(before, after,
                        () -> "node " + node + " lost or changed ACKed leases" + cluster.describe());
            }
        }
    }

    /** The leases every node holds, if all hold the same and none has a change still to make durable. */
    private static Optional<Map<String, JsonNode>> sameOnEveryNode(LabCluster cluster) {
        Map<String, JsonNode> first = null;
        for (int id : LabCluster.all()) {
            Optional<JsonNode> status = cluster.status(id);
            if (status.isEmpty() || status.get().path("store").path("pending").asLong(-1) != 0) {
                return Optional.empty();
            }
            Optional<Map<String, JsonNode>> leases = cluster.leases(id);
            if (leases.isEmpty() || (first != null && !first.equals(leases.get()))) {
                return Optional.empty();
            }
            first = leases.get();
        }
        return Optional.ofNullable(first);
    }

    /**
     * Runs perfdhcp on {@code host}, broadcasting on its interface ({@code -l eth0}: to
     * 255.255.255.255, with giaddr its own address) about {@code exchanges} DORA exchanges at
     * {@code rate} per second, in one thread; returns its report. perfdhcp takes its clients
     * round-robin from ten times as many (-R), so each exchange is a new client even when it
     * overshoots -n a little, and -u then counts an address seen twice as the cluster's fault.
     */
    private static PerfdhcpReport perfdhcp(NetworkLab lab, LabHost host, int exchanges, int rate) {
        LabProcess perfdhcp = lab.start("perfdhcp", host, List.of(Tools.require("perfdhcp"), "-4", "-g", "single",
                "-l", host.interfaceName(), "-r", Integer.toString(rate), "-R", Integer.toString(10 * exchanges),
                "-n", Integer.toString(exchanges), "-p", "30", "-d", PERFDHCP_DROP_TIME, "-d", PERFDHCP_DROP_TIME,
                "-W", "2000000", "-u"));
        int exit = perfdhcp.awaitExit(Duration.ofSeconds(60));
        // perfdhcp exits with 3 when some packets were dropped; the report says how many.
        assertTrue(Set.of(0, 3).contains(exit), perfdhcp::describe);
        return PerfdhcpReport.parse(perfdhcp.output());
    }

    /** A client host on the bridge with the MAC address {@code mac}. */
    private static LabHost clientHost(NetworkLab lab, String role, String mac) {
        LabHost host = lab.addHost(role);
        host.setMacAddress(mac);
        return host;
    }

    /**
     * {@code count} locally administered MAC addresses whose clients all fall in one RFC 3074
     * bucket, whichever key the node hashes: the hardware address alone (a client that sends no
     * client identifier, as dhclient by default) or the client identifier of type 1 with it (as
     * udhcpc sends).
     */
    static List<String> macsOfOneBucket(int count) {
        List<String> macs = new ArrayList<>();
        int bucket = -1;
        for (int serial = 1; macs.size() < count && serial < 1 << 24; serial++) {
            byte[] mac = {0x02, 0x00, 0x00, (byte) (serial >> 16), (byte) (serial >> 8), (byte) serial};
            byte[] clientId = new byte[7];
            clientId[0] = 1;
            System.arraycopy(mac, 0, clientId, 1, 6);
            int byAddress = LoadBalancing.hash(mac);
            if (byAddress == LoadBalancing.hash(clientId) && (bucket < 0 || byAddress == bucket)) {
                bucket = byAddress;
                macs.add(HexFormat.ofDelimiter(":").formatHex(mac));
            }
        }
        if (macs.size() < count) {
            throw new IllegalStateException("found only " + macs + " in one bucket");
        }
        return macs;
    }

    private static NodeConfigFile config() {
        return NodeConfigFile.servingInterface("eth0").withSubnet(LAN);
    }

    /**
     * The nodes' DHCP counters by node id, from {@code /metrics}.
     *
     * @param discovers DISCOVERs received
     * @param requests REQUESTs received
     * @param offers OFFERs sent
     * @param acks ACKs sent
     * @param naks NAKs sent
     * @param notOurBucket requests dropped because another node holds the client's bucket
     */
    private record Counters(Map<Integer, Long> discovers, Map<Integer, Long> requests, Map<Integer, Long> offers,
            Map<Integer, Long> acks, Map<Integer, Long> naks, Map<Integer, Long> notOurBucket) {

        static Counters read(LabCluster cluster) {
            Map<Integer, Long> discovers = new TreeMap<>();
            Map<Integer, Long> requests = new TreeMap<>();
            Map<Integer, Long> offers = new TreeMap<>();
            Map<Integer, Long> acks = new TreeMap<>();
            Map<Integer, Long> naks = new TreeMap<>();
            Map<Integer, Long> notOurBucket = new TreeMap<>();
            for (int id : LabCluster.all()) {
                discovers.put(id, cluster.metric(id, "dhcpcluster_dhcp_packets_received_total{type=\"discover\"}"));
                requests.put(id, cluster.metric(id, "dhcpcluster_dhcp_packets_received_total{type=\"request\"}"));
                offers.put(id, cluster.metric(id, "dhcpcluster_dhcp_packets_sent_total{type=\"offer\"}"));
                acks.put(id, cluster.metric(id, "dhcpcluster_dhcp_packets_sent_total{type=\"ack\"}"));
                naks.put(id, cluster.metric(id, "dhcpcluster_dhcp_packets_sent_total{type=\"nak\"}"));
                notOurBucket.put(id,
                        cluster.metric(id, "dhcpcluster_dhcp_packets_dropped_total{reason=\"not_this_nodes_bucket\"}"));
            }
            return new Counters(discovers, requests, offers, acks, naks, notOurBucket);
        }

        Counters minus(Counters earlier) {
            return new Counters(minus(discovers, earlier.discovers), minus(requests, earlier.requests),
                    minus(offers, earlier.offers), minus(acks, earlier.acks), minus(naks, earlier.naks),
                    minus(notOurBucket, earlier.notOurBucket));
        }

        /** True once every node received exactly these many DISCOVERs and REQUESTs. */
        boolean heardEverything(long discoversSent, long requestsSent) {
            return discovers.values().stream().allMatch(count -> count == discoversSent)
                    && requests.values().stream().allMatch(count -> count == requestsSent);
        }

        long sum(Map<Integer, Long> counts) {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }

        private static Map<Integer, Long> minus(Map<Integer, Long> later, Map<Integer, Long> earlier) {
            Map<Integer, Long> difference = new TreeMap<>();
            later.forEach((id, count) -> difference.put(id, count - earlier.getOrDefault(id, 0L)));
            return difference;
        }
    }
}
