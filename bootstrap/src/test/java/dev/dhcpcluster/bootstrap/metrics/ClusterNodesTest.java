package dev.dhcpcluster.bootstrap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dhcpcluster.bootstrap.cli.StatusCommandAccess;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.e2e.Poll;
import dev.dhcpcluster.bootstrap.runtime.NodeComponent;
import dev.dhcpcluster.bootstrap.secret.ClusterSecret;
import dev.dhcpcluster.bootstrap.secret.PrivateFiles;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.testkit.client.ClientSession;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two cluster nodes in one process, over real TCP on loopback: they connect, elect the higher one,
 * and show it on {@code /status}, in the {@code status} table and on {@code /metrics}, whose
 * cluster metrics are exactly those docs/metrics.md lists in its cluster section.
 */
class ClusterNodesTest {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration ELECTION_TIMEOUT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RELAY = "127.0.0.2";
    private static final Duration FLOOD = Duration.ofSeconds(3);

    @TempDir
    Path data;
    private final List<NodeComponent> nodes = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        nodes.forEach(node -> node.runtime().stop(START_TIMEOUT));
    }

    /** Starts nodes 1 and 2; returns their cluster ports. */
    private int[] startTwoNodes(int relayPort) throws Exception {
        return startTwoNodes(relayPort, "");
    }

    /** Starts nodes 1 and 2 with {@code extra} fields in their cluster sections; returns their cluster ports. */
    private int[] startTwoNodes(int relayPort, String extra) throws Exception {
        Path secret = data.resolve("cluster.key");
        ClusterSecret.generate(secret, false);
        int[] ports = {freePort(), freePort()};
        for (int id = 1; id <= 2; id++) {
            NodeComponent component = NodeComponent.of(config(id, ports, secret, relayPort, extra));
            component.runtime().start(START_TIMEOUT);
            nodes.add(component);
        }
        return ports;
    }

    @Test
    @DisplayName("a flood of DISCOVERs at the highest rate one sender reaches starts no election: the leader, the epoch and the election counts stay")
    void aDhcpFloodStartsNoElection() throws Exception {
        try (DatagramSocket sink = new DatagramSocket(new InetSocketAddress(RELAY, 0));
                DatagramChannel flood = DatagramChannel.open()) {
            startTwoNodes(sink.getLocalPort());
            Poll.until(ELECTION_TIMEOUT, "node 2 leads", () -> {
                JsonNode one = status(nodes.get(0)).path("cluster");
                return one.path("leader").asInt() == 2 && "leader".equals(status(nodes.get(1)).path("cluster")
                        .path("role").asText()) ? Optional.of(true) : Optional.empty();
            }, () -> status(nodes.get(0)) + "\n" + status(nodes.get(1)));
            PrometheusText.Exposition before = scrape(nodes.get(1));
            PrometheusText.Exposition followerBefore = scrape(nodes.get(0));
            flood.bind(new InetSocketAddress(RELAY, 0));
            InetSocketAddress leader = new InetSocketAddress("127.0.0.1", nodes.get(1).runtime().node().boundPort().getAsInt());
            ByteBuffer discover = ByteBuffer.wrap(DhcpCodec.encode(new ClientSession(1, HardwareAddress.ethernet(
                    new byte[] {2, 0, 0, 0x46, 0, 1}), Ipv4Address.parse(RELAY), 0, Optional.empty()).discover(0x464c4f4f),
                    DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH));
            long sent = 0;
            long end = System.nanoTime() + FLOOD.toNanos();
            while (System.nanoTime() < end) {
                discover.rewind();
                flood.send(discover, leader);
                sent++;
            }
            PrometheusText.Exposition after = scrape(nodes.get(1));
            double received = after.value("dhcpcluster_dhcp_packets_received_total", "type", "discover")
                    - before.value("dhcpcluster_dhcp_packets_received_total", "type", "discover");
            double shed = 0;
            for (String reason : new String[] {"full", "expired"}) {
                shed += after.value("dhcpcluster_event_loop_datagrams_shed_total", "class", "discover", "reason", reason);
            }
            System.out.printf(java.util.Locale.ROOT, "flood: %d DISCOVERs sent in %d s (%.0f/s) to the leader, %.0f "
                    + "handled, %.0f shed in its DHCP lane; elections started before %.0f, after %.0f%n", sent,
                    FLOOD.toSeconds(), sent / (double) FLOOD.toSeconds(), received, shed,
                    before.value("dhcpcluster_elections_started_total"),
                    after.value("dhcpcluster_elections_started_total"));

            assertTrue(received > 0, "the leader served the flood");
            for (NodeComponent node : nodes) {
                JsonNode cluster = status(node).path("cluster");
                assertEquals(2, cluster.path("leader").asInt(), cluster.toString());
                assertTrue(cluster.path("majority-present").asBoolean(), cluster.toString());
            }
            assertEquals(before.value("dhcpcluster_election_epoch"), after.value("dhcpcluster_election_epoch"),
                    "the epoch did not move");
            for (String kind : List.of("election_started", "stepped_down", "leader_lost")) {
                assertEquals(before.value("dhcpcluster_election_events_total", "kind", kind),
                        after.value("dhcpcluster_election_events_total", "kind", kind), kind + " on the leader");
            }
            for (String kind : List.of("election_started", "leader_lost")) {
                assertEquals(followerBefore.value("dhcpcluster_election_events_total", "kind", kind),
                        scrape(nodes.get(0)).value("dhcpcluster_election_events_total", "kind", kind),
                        kind + " on the follower");
            }
        }
    }

    @Test
    @DisplayName("over TLS (PKCS#12 stores made by keytool, passwords in files) two nodes connect and elect the higher")
    void overTls() throws Exception {
        Path keystore = data.resolve("cluster.p12");
        Path certificate = data.resolve("cluster.crt");
        Path truststore = data.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "cluster", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=lab",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "key-secret");
        keytool("-exportcert", "-alias", "cluster", "-keystore", keystore.toString(), "-storepass", "key-secret",
                "-file", certificate.toString());
        keytool("-importcert", "-noprompt", "-alias", "cluster", "-file", certificate.toString(), "-storetype",
                "PKCS12", "-keystore", truststore.toString(), "-storepass", "trust-secret");
        PrivateFiles.create(data.resolve("key.pass"), "key-secret\n");
        PrivateFiles.create(data.resolve("trust.pass"), "trust-secret\n");
        startTwoNodes(67, """
                , "tls": { "keystore": "%s", "keystore-password-file": "%s",
                           "truststore": "%s", "truststore-password-file": "%s" }""".formatted(keystore,
                data.resolve("key.pass"), truststore, data.resolve("trust.pass")));

        Poll.until(ELECTION_TIMEOUT, "both nodes follow node 2 over TLS", () -> {
            JsonNode one = status(nodes.get(0)).path("cluster");
            JsonNode two = status(nodes.get(1)).path("cluster");
            return one.path("leader").asInt() == 2 && "leader".equals(two.path("role").asText())
                    && one.path("peers-connected").asInt() == 1 ? Optional.of(true) : Optional.empty();
        }, () -> status(nodes.get(0)) + "\n" + status(nodes.get(1)));
        assertEquals(0, scrape(nodes.get(0)).value("dhcpcluster_peer_refusals_total", "reason", "tls_failure"));
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, process.exitValue(), output);
    }

    @Test
    @DisplayName("two nodes elect the higher, agree on its epoch, and show it on /status, in status and on /metrics")
    void twoNodesElectTheHigher() throws Exception {
        int[] ports = startTwoNodes(67);

        JsonNode[] statuses = Poll.until(ELECTION_TIMEOUT, "both nodes follow node 2 in one epoch", () -> {
            JsonNode one = status(nodes.get(0)).path("cluster");
            JsonNode two = status(nodes.get(1)).path("cluster");
            boolean agreed = one.path("leader").asInt() == 2 && two.path("leader").asInt() == 2
                    && one.path("epoch").asLong() > 0 && one.path("epoch").asLong() == two.path("epoch").asLong()
                    && "leader".equals(two.path("role").asText()) && "follower".equals(one.path("role").asText());
            return agreed ? Optional.of(new JsonNode[] {one, two}) : Optional.empty();
        }, () -> status(nodes.get(0)) + "\n" + status(nodes.get(1)));

        JsonNode follower = statuses[0];
        assertEquals("cluster", follower.path("mode").asText());
        assertEquals("lab", follower.path("name").asText());
        assertEquals(2, follower.path("majority").asInt());
        assertTrue(follower.path("majority-present").asBoolean());
        assertEquals(1, follower.path("peers-connected").asInt());
        JsonNode peer = follower.path("members").get(1);
        assertEquals(2, peer.path("id").asInt());
        assertEquals("127.0.0.1:" + ports[1], peer.path("address").asText());
        assertTrue(peer.path("connected").asBoolean() && peer.path("alive").asBoolean(), peer.toString());
        assertTrue(peer.path("last-heard-ms").asLong() < 1000, peer.toString());
        assertEquals(2, peer.path("leader").asInt());
        // The follower's free addresses per subnet: its one subnet, named by the first address of its pool
        // (198.18.0.10 - 198.18.0.19), with its total (0 here: these nodes' pools differ, and the leader
        // dealt node 1 a block of its own pool, 198.18.0.20).
        JsonNode space = Poll.until(ELECTION_TIMEOUT, "node 1 holds blocks under a current grant", () -> {
            JsonNode now = status(nodes.get(0)).path("cluster").path("address-space");
            return now.path("grant-current").asBoolean() && now.path("blocks").size() > 0 ? Optional.of(now)
                    : Optional.empty();
        }, () -> status(nodes.get(0)).toString());
        JsonNode bySubnet = space.path("free-by-subnet");
        assertEquals(List.of("198.18.0.10"), iterable(bySubnet.fieldNames()), space.toString());
        assertEquals(space.path("free-addresses").asLong(), bySubnet.path("198.18.0.10").asLong(), space.toString());
        List<String> table = StatusCommandAccess.table(status(nodes.get(0)));
        assertTrue(table.stream().anyMatch(line -> line.startsWith("cluster    \"lab\": this node is follower; leader 2,")),
                String.join("\n", table));
        assertTrue(table.stream().anyMatch(line -> line.startsWith("  member 2    127.0.0.1:" + ports[1])
                && line.contains("connected, alive, heard")), String.join("\n", table));

        PrometheusText.Exposition metrics = Poll.until(ELECTION_TIMEOUT, "a round trip measured", () -> {
            PrometheusText.Exposition scraped = scrape(nodes.get(0));
            return scraped.families().containsKey("dhcpcluster_peer_round_trip_seconds")
                    && !scraped.family("dhcpcluster_peer_round_trip_seconds").samples().isEmpty()
                    && scraped.value("dhcpcluster_election_leader") == 2 ? Optional.of(scraped) : Optional.empty();
        }, () -> "");
        assertEquals(1, metrics.value("dhcpcluster_election_role", "role", "follower"));
        assertEquals(0, metrics.value("dhcpcluster_election_role", "role", "leader"));
        assertEquals(follower.path("epoch").asLong(), metrics.value("dhcpcluster_election_epoch"));
        assertEquals(1, metrics.value("dhcpcluster_election_majority_present"));
        assertEquals(1, metrics.value("dhcpcluster_peers_connected"));
        assertTrue(metrics.value("dhcpcluster_peer_connection_events_total", "event", "connected") >= 1);
        assertEquals(0, metrics.value("dhcpcluster_peer_refusals_total", "reason", "wrong_secret"));
        assertTrue(metrics.value("dhcpcluster_peer_round_trip_seconds", "peer", "2") > 0);
        assertTrue(metrics.value("dhcpcluster_election_events_total", "kind", "following") >= 1);
        Set<String> cluster = new TreeSet<>();
        Set<String> single = NodeMetricsScrapeTest.documented(false);
        for (String name : metrics.families().keySet()) {
            if (name.startsWith("dhcpcluster_") && !single.contains(name)) {
                cluster.add(name);
            }
        }
        assertEquals(NodeMetricsScrapeTest.documented(true), cluster,
                "docs/metrics.md's cluster section lists every cluster metric, and no other");
    }

    private NodeConfig config(int id, int[] ports, Path secret, int relayPort, String extra) throws Exception {
        int other = id == 1 ? 2 : 1;
        String json = """
                {
                  "node": { "id": %d, "data-directory": "%s" },
                  "transport": { "type": "udp", "listen-address": "127.0.0.1", "listen-port": 0, "relay-port": %d },
                  "lease-store": { "type": "memory" },
                  "admin": { "listen": "127.0.0.1:0" },
                  "cluster": { "name": "lab", "listen": "127.0.0.1:%d", "secret-file": "%s",
                               "peers": [ { "id": %d, "address": "127.0.0.1:%d" } ]%s },
                  "Dhcp4": { "subnet4": [ { "id": 1, "subnet": "198.18.0.0/24",
                                            "pools": [ { "pool": "198.18.0.%d0 - 198.18.0.%d9" } ],
                                            "relay": { "ip-addresses": [ "127.0.0.2" ] } } ] }
                }
                """.formatted(id, data.resolve("node" + id), relayPort, ports[id - 1], secret, other, ports[other - 1],
                extra, id, id);
        return new ConfigLoader().parse(json, "cluster-node-" + id);
    }

    private static List<String> iterable(java.util.Iterator<String> names) {
        List<String> list = new java.util.ArrayList<>();
        names.forEachRemaining(list::add);
        return list;
    }

    private JsonNode status(NodeComponent node) {
        return readTree(get(node, "/status"));
    }

    private PrometheusText.Exposition scrape(NodeComponent node) {
        try {
            return PrometheusText.parse(get(node, "/metrics"));
        } catch (PrometheusText.MalformedException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode readTree(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private String get(NodeComponent node, String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + node.admin().port() + path)).timeout(START_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
