package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dhcpcluster.core.cluster.GrantTimers;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.election.ElectionTimers;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * dhcpcluster's relay agent on the router of a {@link RoutedLab}, between a client LAN and the
 * three nodes of a cluster on the server LAN: real clients lease, renew and release through it;
 * a plain relay sends each request to every node; a cluster-aware relay sends each request to the
 * node that owns the client's bucket only, and
 * after that node is SIGKILLed the client's next exchange succeeds through the same relay; garbage
 * from the client side and a forged reply from the server side are dropped and counted; perfdhcp
 * through the relay completes every exchange with no address twice.
 *
 * <p>Renewals and releases go by unicast from the client to the node that served it (RFC 2131
 * §4.4.5), routed by the router, not relayed; what the relay carries is every broadcast: the
 * DISCOVERs and REQUESTs of getting a lease.
 */
@EndToEnd(requires = {"dhclient", "udhcpc", "dhcpcd", "mount", "perfdhcp", "busybox", "ss", "sysctl"})
class RelayEndToEndTest {

    private static final Duration LEASE_WAIT = Duration.ofSeconds(45);
    private static final Duration COUNTERS_WAIT = Duration.ofSeconds(10);
    /** A 60 s lease with T1 at 5 s, so that dhclient renews (by unicast, at T1) within the test. */
    private static final int LEASE = 60;
    private static final int RENEW = 5;
    private static final int REBIND = 20;
    /**
     * The longest a client of a SIGKILLed node may wait for its next lease through the relay: the
     * survivors count the node gone after the election's failure timeout (1 s), elect a new leader
     * if it was the leader (an answer and a coordinator timeout, 0.9 s), the leader hands the dead
     * node's buckets on after its takeover wait (5.66 s; a lapse wait of 3.35 s if it was not the
     * leader) and the grant reaches the new owner within two renew intervals (0.4 s); udhcpc
     * sends a DISCOVER every 2 s, with a pause of 2 s after five (-T 2, -A 2), so it asks again
     * within 4 s; and 5 s cover a loaded machine's scheduling and the ACK's wait for a majority's
     * disks. About 17 s in all. The relay itself needs nothing: it learns of the death when the
     * node's connection drops, and within its failure timeout at the latest.
     */
    private static final Duration REACHED_AFTER_KILL = ElectionTimers.DEFAULTS.failureTimeout()
            .plus(ElectionTimers.DEFAULTS.answerTimeout()).plus(ElectionTimers.DEFAULTS.coordinatorTimeout())
            .plusNanos(GrantTimers.DEFAULTS.takeoverWait())
            .plus(GrantTimers.DEFAULTS.renewInterval().multipliedBy(2))
            .plusSeconds(4).plusSeconds(5);
    /** How soon the relay must show a SIGKILLed node down: its failure timeout, and 2 s for the look. */
    private static final Duration DOWN_AFTER_KILL = ElectionTimers.DEFAULTS.failureTimeout().plusSeconds(2);
    /** perfdhcp's exchanges through the relay and their rate: modest, three nodes and a relay share the machine. */
    private static final int PERFDHCP_EXCHANGES = 300;
    private static final int PERFDHCP_RATE = 100;
    private static final String PERFDHCP_ADDRESS = "198.18.64.5";
    private static final String ROGUE_CLIENT_ADDRESS = "198.18.64.6";
    private static final String ROGUE_SERVER_ADDRESS = "198.18.0.99";
    private static final String SAMPLE_DROPPED = "dhcpcluster_relay_dropped_total{reason=\"%s\"}";

    /**
     * A cluster-aware relay, once it knows the cluster, sends each request to the node that holds
     * the client's RFC 3074 bucket, and to no other (a retransmission may go to every live node,
     * so each other node gets fewer than all, and usually none). dhclient, udhcpc and dhcpcd each
     * get a lease of the client LAN through it, from the node it sent their requests to, renew it
     * with that node, and release it; every node holds each lease, then holds it released.
     */
    @Test
    @DisplayName("a cluster-aware relay sends requests to the bucket's owner only; dhclient, udhcpc and dhcpcd "
            + "get, renew and release leases through it")
    void clientsGetRenewAndReleaseThroughAClusterAwareRelay() {
        try (NetworkLab lab = NetworkLab.create()) {
            RoutedLab network = RoutedLab.create(lab);
            LabCluster cluster = network.startCluster(RoutedLab.nodeConfig().withLeaseTimes(LEASE, RENEW, REBIND));
            Dhclient dhclient = new Dhclient(lab, network.clientHost("dhc", "02:00:00:00:64:11"), "dhclient");
            Udhcpc udhcpc = new Udhcpc(lab, network.clientHost("udh", "02:00:00:00:64:12"), "udhcpc");
            Dhcpcd dhcpcd = new Dhcpcd(lab, network.clientHost("dcd", "02:00:00:00:64:13"), "dhcpcd");
            cluster.awaitSettled(LabCluster.all());
            RelayProcess relay = RelayProcess.start(lab, network.router(), "relay", clusterRelay(cluster));
            RelayStatusWait.untilItKnowsTheCluster(relay::status, "the relay",
                    () -> relay.describe() + cluster.describe());

            // dhclient: bound through the relay, renews by itself at T1, released with dhclient -r.
            LeaseEvent dhclientBound = leaseThroughRelay(relay, cluster, dhclient, "BOUND");
            int dhclientRenewals = dhclient.script().events().size();
            LeaseEvent dhclientRenewed = dhclient.await("to renew at T1", dhclientRenewals, e -> e.is("RENEW"), LEASE_WAIT);
            assertEquals(dhclientBound.address(), dhclientRenewed.address(), dhclientRenewed::toString);
            dhclient.awaitLeaseSaved(dhclientBound.address(), LEASE_WAIT);
            Command.Result release = dhclient.release(Duration.ofSeconds(30));
            assertEquals(0, release.exitCode(), release::output);
            assertLeaseOnEveryNode(cluster, dhclientBound.address(), "RELEASED",
                    cluster.nodeWithServerIdentifier(dhclientBound.serverId()));

            // udhcpc: bound through the relay, renews on SIGUSR1, releases on SIGUSR2.
            LeaseEvent udhcpcBound = leaseThroughRelay(relay, cluster, udhcpc, "bound");
            // udhcpc's script flushed the interface's addresses, and with the last one the route.
            udhcpc.host().setDefaultRoute(RoutedLab.ROUTER_CLIENT_SIDE);
            int udhcpcRenewals = udhcpc.script().events().size();
            udhcpc.renew();
            LeaseEvent udhcpcRenewed = udhcpc.await("to renew", udhcpcRenewals, e -> e.is("renew"), LEASE_WAIT);
            assertEquals(udhcpcBound.address(), udhcpcRenewed.address(), udhcpcRenewed::toString);
            udhcpc.release();
            udhcpc.await("to deconfigure", udhcpcRenewals + 1, e -> e.is("deconfig"), LEASE_WAIT);
            assertLeaseOnEveryNode(cluster, udhcpcBound.address(), "RELEASED",
                    cluster.nodeWithServerIdentifier(udhcpcBound.serverId()));

            // dhcpcd: bound through the relay, renews on SIGUSR1, releases on SIGALRM and exits.
            LeaseEvent dhcpcdBound = leaseThroughRelay(relay, cluster, dhcpcd, "BOUND");
            int dhcpcdRenewals = dhcpcd.script().events().size();
            dhcpcd.renew();
            LeaseEvent dhcpcdRenewed = dhcpcd.await("to renew", dhcpcdRenewals, e -> e.is("RENEW"), LEASE_WAIT);
            assertEquals(dhcpcdBound.address(), dhcpcdRenewed.address(), dhcpcdRenewed::toString);
            dhcpcd.release();
            assertEquals(0, dhcpcd.process().awaitExit(LEASE_WAIT), dhcpcd.process()::describe);
            assertLeaseOnEveryNode(cluster, dhcpcdBound.address(), "RELEASED",
                    cluster.nodeWithServerIdentifier(dhcpcdBound.serverId()));

            assertEquals(3, Set.of(dhclientBound.address(), udhcpcBound.address(), dhcpcdBound.address()).size(),
                    () -> "an address leased twice" + cluster.describe());
        }
    }

    /**
     * The node that owns udhcpc's bucket is SIGKILLed; a fresh udhcpc for the same hardware address
     * gets a lease through the same relay, untouched, from a survivor, within
     * {@link #REACHED_AFTER_KILL}, and the relay shows the dead node down within its failure timeout.
     */
    @Test
    @DisplayName("SIGKILL the node that owns a client: the client's next exchange succeeds through the same relay, "
            + "within the cluster's takeover bound")
    void aClientIsServedThroughTheRelayAfterItsNodeIsKilled() {
        try (NetworkLab lab = NetworkLab.create()) {
            RoutedLab network = RoutedLab.create(lab);
            LabCluster cluster = network.startCluster(RoutedLab.nodeConfig());
            LabHost clientHost = network.clientHost("udh", "02:00:00:00:64:21");
            Udhcpc first = new Udhcpc(lab, clientHost, "udhcpc");
            cluster.awaitSettled(LabCluster.all());
            RelayProcess relay = RelayProcess.start(lab, network.router(), "relay", clusterRelay(cluster));
            RelayStatusWait.untilItKnowsTheCluster(relay::status, "the relay",
                    () -> relay.describe() + cluster.describe());
            LeaseEvent bound = leaseThroughRelay(relay, cluster, first, "bound");
            int owner = cluster.nodeWithServerIdentifier(bound.serverId());
            assertTrue(first.process().stop(Duration.ofSeconds(10)).isPresent(), first.process()::describe);
            long relayPid = relay.pid();

            cluster.kill(owner);
            long killed = System.nanoTime();
            Udhcpc next = new Udhcpc(lab, clientHost, "udhcpc-next");
            next.start();
            Poll.until(DOWN_AFTER_KILL, "the relay to show node " + owner + " down",
                    () -> relay.metric("dhcpcluster_relay_node_up{node=\"" + owner + "\"}") == 0
                            && relay.metrics().contains("dhcpcluster_relay_node_up{node=\"" + owner + "\"}")
                            ? Optional.of(true) : Optional.empty(),
                    relay::describe);
            LeaseEvent again = next.await("to be bound after node " + owner + " was killed", 0, e -> e.is("bound"),
                    REACHED_AFTER_KILL);
            Duration took = Duration.ofNanos(System.nanoTime() - killed);

            String evidence = "took " + took.toMillis() + " ms: " + again + "\n" + relay.describe() + cluster.describe();
            int survivor = cluster.nodeWithServerIdentifier(again.serverId());
            assertNotEquals(owner, survivor, evidence);
            assertTrue(RoutedLab.CLIENT_SUBNET.poolContains(again.address()), evidence);
            // The same relay process, never told anything: no reload, no restart.
            assertTrue(relay.isAlive(), evidence);
            assertEquals(relayPid, relay.pid(), evidence);
            assertEquals(0, relay.metric("dhcpcluster_relay_config_reloads_total{outcome=\"applied\"}"), evidence);
            System.out.println("RelayEndToEndTest: a client of the killed node " + owner + " was bound again through the relay by node "
                    + survivor + " " + took.toMillis() + " ms after the SIGKILL (bound " + REACHED_AFTER_KILL.toMillis() + " ms)");
        }
    }

    /**
     * A plain relay (no cluster section). From the client LAN: random bytes, a BOOTREQUEST cut off
     * inside its options, and a BOOTREPLY sent by a client; from the server LAN: a BOOTREPLY to the
     * relay's giaddr, claiming to be node 1, from an address that is no server. The relay forwards
     * none of them, returns none to a client, and counts each under its reason. Then udhcpc still
     * gets a lease of the client LAN through it: the relay sent each of its requests to every
     * configured server, and the node that owns the client's bucket answered.
     */
    @Test
    @DisplayName("a plain relay drops and counts garbage from the client LAN and a forged reply from the server LAN "
            + "by reason, then sends each of udhcpc's requests to all 3 nodes and udhcpc leases through it")
    void aPlainRelayDropsGarbageAndForwardsEveryRequestToEveryServer() {
        try (NetworkLab lab = NetworkLab.create()) {
            RoutedLab network = RoutedLab.create(lab);
            LabCluster cluster = network.startCluster(RoutedLab.nodeConfig());
            LabHost rogueClient = network.clientHostWithAddress("rogue", ROGUE_CLIENT_ADDRESS);
            LabHost rogueServer = network.serverLanHost("forger", ROGUE_SERVER_ADDRESS);
            Udhcpc udhcpc = new Udhcpc(lab, network.clientHost("udh", "02:00:00:00:64:31"), "udhcpc");
            cluster.awaitSettled(LabCluster.all());
            RelayProcess relay = RelayProcess.start(lab, network.router(), "relay", plainRelay());
            String metricsBefore = relay.metrics();
            RelayCounters before = RelayCounters.read(relay);

            byte[] random = new byte[120];
            new SecureRandom().nextBytes(random);
            // A first octet of 2 (BOOTREPLY) would be judged by its source, as any reply is: keep it
            // random bytes that claim to be no reply.
            if (random[0] == DhcpMessage.BOOTREPLY) {
                random[0] = 0;
            }
            byte[] discover = DhcpCodec.encode(discover("02:00:00:00:64:32"), DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
            // Cut inside the host name, the second option: no END, an option running past the end.
            byte[] truncated = Arrays.copyOf(discover, DhcpCodec.OPTIONS_OFFSET + 3 + 2 + 10);
            byte[] replyFromClient = DhcpCodec.encode(offer("02:00:00:00:64:33", LabCluster.address(1)),
                    DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
            send(lab, rogueClient, "garbage", "0.0.0.0", 68, "255.255.255.255", 67, random, truncated, replyFromClient);
            // A forged OFFER for udhcpc's own hardware address, as if node 1 sent it.
            byte[] forged = DhcpCodec.encode(offer("02:00:00:00:64:31", LabCluster.address(1)),
                    DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
            send(lab, rogueServer, "forged", ROGUE_SERVER_ADDRESS, 67, RoutedLab.ROUTER_CLIENT_SIDE, 67, forged);

            // The random bytes and the cut-off request are malformed. A BOOTREPLY is judged by its
            // source first (one UDP socket hears both sides): the client's and the forger's both come
            // from no configured server.
            Map<String, Long> expected = new TreeMap<>(drops("", ""));
            expected.putAll(Map.of("malformed", 2L, "spoofed-reply", 2L));
            Map<String, Long> dropped = Poll.until(COUNTERS_WAIT, "the relay to count its drops " + expected, () -> {
                Map<String, Long> now = drops(relay.metrics(), metricsBefore);
                return now.values().stream().mapToLong(Long::longValue).sum() >= 4 ? Optional.of(now) : Optional.empty();
            }, () -> drops(relay.metrics(), metricsBefore) + "\n" + relay.describe());
            RelayCounters afterGarbage = RelayCounters.read(relay).minus(before);
            String evidence = "dropped " + dropped + ", " + afterGarbage + "\n" + relay.describe();
            assertEquals(expected, dropped, evidence);
            assertEquals(0, afterGarbage.forwarded(), evidence);
            assertEquals(0, afterGarbage.sentInAll(), evidence);
            assertEquals(0, afterGarbage.returned(), () -> "a forged reply reached the client LAN: " + evidence);

            udhcpc.start();
            LeaseEvent bound = udhcpc.await("to be bound after the garbage", 0, e -> e.is("bound"), LEASE_WAIT);
            // The relay counts a reply once it has sent it: the client may be bound a moment before.
            RelayCounters afterLease = Poll.until(COUNTERS_WAIT, "the relay to count the ACK it returned",
                    () -> Optional.of(RelayCounters.read(relay).minus(before)).filter(m -> m.returned() >= 2),
                    () -> RelayCounters.read(relay).minus(before) + relay.describe());
            String leased = bound + " " + afterLease + "\n" + relay.describe() + cluster.describe();
            assertTrue(RoutedLab.CLIENT_SUBNET.poolContains(bound.address()), leased);
            assertEquals(RoutedLab.ROUTER_CLIENT_SIDE, bound.routers(), leased);
            assertTrue(afterLease.forwarded() >= 2, () -> "DISCOVER and REQUEST not forwarded: " + leased);
            for (int id : LabCluster.all()) {
                assertEquals(afterLease.forwarded(), afterLease.sentTo(id),
                        () -> "a plain relay sends every request to every server: " + leased);
            }
            // The forged OFFER named node 1 and an address of its own choosing; the lease is the cluster's.
            assertLeaseOnEveryNode(cluster, bound.address(), "BOUND", cluster.nodeWithServerIdentifier(bound.serverId()));
        }
    }

    /**
     * perfdhcp on the client LAN, given the relay as its server ({@code -l} its own address: it
     * acts as a relay too, so giaddr is its address and the nodes answer it there, through the
     * router), runs {@value #PERFDHCP_EXCHANGES} DORA exchanges at {@value #PERFDHCP_RATE}/s
     * through a cluster-aware relay: every exchange completes, no address is seen twice, and the
     * relay forwarded every request perfdhcp sent.
     */
    @Test
    @DisplayName("perfdhcp through a cluster-aware relay: every exchange completes, no address twice")
    void perfdhcpThroughTheRelayCompletesEveryExchange() {
        try (NetworkLab lab = NetworkLab.create()) {
            RoutedLab network = RoutedLab.create(lab);
            LabCluster cluster = network.startCluster(RoutedLab.nodeConfig());
            LabHost perfHost = network.clientHostWithAddress("perf", PERFDHCP_ADDRESS);
            cluster.awaitSettled(LabCluster.all());
            RelayProcess relay = RelayProcess.start(lab, network.router(), "relay", clusterRelay(cluster));
            RelayStatusWait.untilItKnowsTheCluster(relay::status, "the relay",
                    () -> relay.describe() + cluster.describe());
            RelayCounters before = RelayCounters.read(relay);

            LabProcess perfdhcp = lab.start("perfdhcp", perfHost, List.of(Tools.require("perfdhcp"), "-4",
                    "-r", Integer.toString(PERFDHCP_RATE), "-R", Integer.toString(10 * PERFDHCP_EXCHANGES),
                    "-n", Integer.toString(PERFDHCP_EXCHANGES), "-p", "30", "-d", "10", "-d", "10", "-W", "2000000", "-u",
                    "-l", PERFDHCP_ADDRESS, RoutedLab.ROUTER_CLIENT_SIDE));
            int exit = perfdhcp.awaitExit(Duration.ofSeconds(90));
            assertTrue(Set.of(0, 3).contains(exit), perfdhcp::describe);
            PerfdhcpReport report = PerfdhcpReport.parse(perfdhcp.output());
            PerfdhcpReport.Exchange discover = report.exchange("DISCOVER-OFFER");
            PerfdhcpReport.Exchange request = report.exchange("REQUEST-ACK");
            long requests = discover.sent() + request.sent();
            RelayCounters moved = Poll.until(COUNTERS_WAIT, "the relay to count the " + requests + " requests perfdhcp sent",
                    () -> Optional.of(RelayCounters.read(relay).minus(before)).filter(m -> m.forwarded() >= requests),
                    () -> RelayCounters.read(relay).minus(before) + "\n" + relay.describe());

            String evidence = report + "\n" + moved + "\n" + perfdhcp.describe() + "\n" + relay.describe();
            assertTrue(discover.sent() >= PERFDHCP_EXCHANGES, evidence);
            assertEquals(0, discover.nonUniqueAddresses(), evidence);
            assertEquals(0, request.nonUniqueAddresses(), evidence);
            assertEquals(discover.sent(), discover.received(), () -> "DISCOVERs without an OFFER: " + evidence);
            assertEquals(discover.sent(), request.sent(), evidence);
            assertEquals(request.sent(), request.received(), () -> "REQUESTs without an ACK: " + evidence);
            assertEquals(requests, moved.forwarded(), evidence);
            // Each node owns some buckets: each got a share; the replies went to perfdhcp's own address.
            for (int id : LabCluster.all()) {
                assertTrue(moved.sentTo(id) > 0, evidence);
            }
            assertTrue(moved.sentInAll() < 2 * requests, () -> "the relay fanned requests out: " + evidence);
            assertEquals(0, moved.returned(), evidence);
        }
    }

    /**
     * Lets {@code client} get a lease through the relay (script event {@code boundReason}) and
     * checks what the relay did meanwhile: it forwarded the client's requests and returned the
     * answers, sent every request to the node that answered, and each other node fewer than all.
     */
    private static LeaseEvent leaseThroughRelay(RelayProcess relay, LabCluster cluster, RealClient client,
            String boundReason) {
        RelayCounters before = RelayCounters.read(relay);
        int skip = client.script().events().size();
        client.start();
        LeaseEvent bound = client.await("to be bound through the relay", skip, e -> e.is(boundReason), LEASE_WAIT);
        int owner = cluster.nodeWithServerIdentifier(bound.serverId());
        RelayCounters moved = Poll.until(COUNTERS_WAIT, "the relay to count the ACK it returned",
                () -> Optional.of(RelayCounters.read(relay).minus(before)).filter(m -> m.returned() >= 2),
                () -> RelayCounters.read(relay).minus(before) + relay.describe());
        String evidence = bound + ", owner " + owner + ", " + moved + "\n" + relay.describe() + cluster.describe();
        assertTrue(RoutedLab.CLIENT_SUBNET.poolContains(bound.address()), evidence);
        assertEquals(RoutedLab.ROUTER_CLIENT_SIDE, bound.routers(), evidence);
        assertTrue(moved.forwarded() >= 2, evidence);
        assertEquals(moved.forwarded(), moved.sentTo(owner), () -> "not every request went to the owner: " + evidence);
        for (int other : LabCluster.allBut(owner)) {
            assertTrue(moved.sentTo(other) < moved.forwarded(), () -> "node " + other + " got every request: " + evidence);
        }
        assertLeaseOnEveryNode(cluster, bound.address(), "BOUND", owner);
        return bound;
    }

    /**
     * Waits until every node's {@code /leases} shows {@code address} in {@code state}, written by
     * node {@code writer}: the node that served it, whose change every node holds.
     */
    private static void assertLeaseOnEveryNode(LabCluster cluster, String address, String state, int writer) {
        for (int id : LabCluster.all()) {
            int node = id;
            Supplier<String> evidence = () -> cluster.leases(node).map(Map::toString).orElse("(no answer)")
                    + cluster.describe();
            JsonNode lease = Poll.until(COUNTERS_WAIT, "node " + id + " to hold " + address + " " + state,
                    () -> cluster.leases(node).map(leases -> leases.get(address))
                            .filter(found -> state.equals(found.path("state").asText())),
                    evidence);
            assertTrue(LabAddresses.inSubnet(lease.path("address").asText(), RoutedLab.CLIENT_LAN), lease::toString);
            assertEquals(writer, lease.path("writer").asInt(), () -> "node " + node + ": " + lease);
        }
    }

    /** The relay's drops by reason since {@code before} (a metrics text), for the reasons this test sends. */
    private static Map<String, Long> drops(String now, String before) {
        Map<String, Long> drops = new TreeMap<>();
        for (String reason : List.of("malformed", "not-a-request", "not-a-reply", "spoofed-reply", "not-for-this-relay",
                "spoofed-giaddr", "untrusted-agent-information", "unknown-interface", "too-many-hops", "rate-limited")) {
            String sample = String.format(SAMPLE_DROPPED, reason);
            drops.put(reason, RelayProcess.metric(now, sample) - RelayProcess.metric(before, sample));
        }
        return drops;
    }

    /** Sends {@code payloads} from {@code host} with {@link DatagramSender} and waits until it has. */
    private static void send(NetworkLab lab, LabHost host, String name, String fromAddress, int fromPort,
            String toAddress, int toPort, byte[]... payloads) {
        List<String> arguments = new ArrayList<>(List.of(fromAddress, Integer.toString(fromPort), toAddress,
                Integer.toString(toPort)));
        for (byte[] payload : payloads) {
            arguments.add(HexFormat.of().formatHex(payload));
        }
        LabProcess sender = lab.start(name, host, JavaCommand.of(List.of(), DatagramSender.class.getName(), arguments));
        assertEquals(0, sender.awaitExit(Duration.ofSeconds(30)), sender::describe);
    }

    /** A client's DISCOVER with a long host name as its second option. */
    private static DhcpMessage discover(String mac) {
        return DhcpMessage.builder()
                .xid(0x6401)
                .flags(DhcpMessage.FLAG_BROADCAST)
                .hardwareAddress(HardwareAddress.parseEthernet(mac))
                .options(DhcpOptions.builder().messageType(DhcpMessageType.DISCOVER)
                        .string(12, "a-host-name-long-enough-to-be-cut-off").build())
                .build();
    }

    /** An OFFER to {@code mac} through the relay (giaddr its client-side address), claiming {@code server}. */
    private static DhcpMessage offer(String mac, String server) {
        return DhcpMessage.builder()
                .op(DhcpMessage.BOOTREPLY)
                .xid(0x6402)
                .flags(DhcpMessage.FLAG_BROADCAST)
                .yiaddr(Ipv4Address.parse("198.18.64.200"))
                .giaddr(Ipv4Address.parse(RoutedLab.ROUTER_CLIENT_SIDE))
                .hardwareAddress(HardwareAddress.parseEthernet(mac))
                .options(DhcpOptions.builder().messageType(DhcpMessageType.OFFER)
                        .address(54, Ipv4Address.parse(server))
                        .uint32(51, 3600)
                        .build())
                .build();
    }

    private static RelayConfigFile plainRelay() {
        List<String> servers = new ArrayList<>();
        LabCluster.all().forEach(id -> servers.add(LabCluster.address(id)));
        return RelayConfigFile.plain(RoutedLab.CLIENT_INTERFACE, RoutedLab.ROUTER_CLIENT_SIDE, servers);
    }

    private static RelayConfigFile clusterRelay(LabCluster cluster) {
        return RelayConfigFile.forLabCluster(RoutedLab.CLIENT_INTERFACE, RoutedLab.ROUTER_CLIENT_SIDE)
                .asClusterAware(LabCluster.CLUSTER_NAME, cluster.secretFile());
    }
}
