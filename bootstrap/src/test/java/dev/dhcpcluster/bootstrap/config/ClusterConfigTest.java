package dev.dhcpcluster.bootstrap.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dhcpcluster.bootstrap.runtime.ConfigChanges;
import dev.dhcpcluster.core.cluster.AssignmentPlanner;
import dev.dhcpcluster.core.election.ElectionTimers;
import dev.dhcpcluster.port.model.NodeId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The {@code "cluster"} section of a node file. */
class ClusterConfigTest {

    /** The example section, for node 1. */
    private static ObjectNode cluster(ObjectNode file) {
        ObjectNode cluster = file.putObject("cluster").put("name", "lab").put("listen", "198.18.0.1:6767")
                .put("secret-file", "cluster.key");
        ArrayNode peers = cluster.putArray("peers");
        peers.addObject().put("id", 2).put("address", "198.18.0.2:6767");
        peers.addObject().put("id", 3).put("address", "198.18.0.3:6767");
        return cluster;
    }

    private static List<String> errors(Consumer<ObjectNode> change) {
        return NodeFileFixture.errors(file -> change.accept(cluster(file)));
    }

    private static String onlyPath(Consumer<ObjectNode> change) {
        return NodeFileFixture.onlyError(file -> change.accept(cluster(file))).path();
    }

    @Test
    @DisplayName("the example three-node set: one cluster name and secret file, each node lists the other two at their listen addresses")
    void exampleSet() throws Exception {
        List<NodeConfig> nodes = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            nodes.add(new ConfigLoader().load(Path.of("..", "examples", "cluster", "node" + i + ".json")));
        }
        for (NodeConfig node : nodes) {
            ClusterSettings cluster = node.cluster().orElseThrow();
            assertEquals("lab", cluster.name());
            assertEquals(ElectionTimers.DEFAULTS, cluster.timers());
            assertEquals(Path.of("/var/lib/dhcpcluster/cluster.key"), cluster.secretFile());
            Map<NodeId, Object> expected = new LinkedHashMap<>();
            for (NodeConfig other : nodes) {
                if (!other.node().equals(node.node())) {
                    expected.put(other.node(), other.cluster().orElseThrow().transportSettings().get("listen"));
                }
            }
            assertEquals(expected, cluster.peerAddresses());
        }
    }

    @Test
    @DisplayName("a node file without a cluster section runs alone")
    void alone() throws Exception {
        assertTrue(NodeFileFixture.load(file -> { }).cluster().isEmpty());
    }

    @Test
    @DisplayName("the issue's example resolves: the tcp transport by default with its listen address, defaults for the timers (ElectionTimers.DEFAULTS); the secret in the data directory")
    void example() throws Exception {
        ClusterSettings cluster = NodeFileFixture.load(ClusterConfigTest::cluster).cluster().orElseThrow();

        assertEquals("lab", cluster.name());
        assertEquals("tcp", cluster.transport());
        assertEquals(Map.of("listen", "198.18.0.1:6767"), cluster.transportSettings());
        assertEquals(Path.of("/var/lib/dhcpcluster/cluster.key"), cluster.secretFile());
        assertEquals(List.of(new ClusterSettings.Peer(new NodeId(2), "198.18.0.2:6767"),
                new ClusterSettings.Peer(new NodeId(3), "198.18.0.3:6767")), cluster.peers());
        assertEquals(ElectionTimers.DEFAULTS, cluster.timers());
    }

    @Test
    @DisplayName("every field can be set: the transport named, timers; the transport's limits and TLS files kept for it as written")
    void everyField() throws Exception {
        ClusterSettings cluster = NodeFileFixture.load(file -> {
            ObjectNode section = cluster(file).put("transport", "tcp").put("secret-file", "/etc/dhcpcluster/cluster.key")
                    .put("max-frame-bytes", 65536).put("handshake-timeout-ms", 1500);
            section.putObject("timers").put("heartbeat-interval-ms", 100).put("failure-timeout-ms", 500)
                    .put("answer-timeout-ms", 150).put("coordinator-timeout-ms", 400);
            section.putObject("tls").put("keystore", "node1.p12").put("keystore-password-file", "node1.pass")
                    .put("truststore", "/etc/dhcpcluster/trust.p12").put("truststore-password-file", "trust.pass");
        }).cluster().orElseThrow();

        assertEquals(Path.of("/etc/dhcpcluster/cluster.key"), cluster.secretFile());
        assertEquals(new ElectionTimers(Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofMillis(150),
                Duration.ofMillis(400)), cluster.timers());
        assertEquals("tcp", cluster.transport());
        assertEquals(Set.of("listen", "max-frame-bytes", "handshake-timeout-ms", "tls"),
                cluster.transportSettings().keySet());
        assertEquals(65536, cluster.transportSettings().get("max-frame-bytes"));
        assertEquals(Map.of("keystore", "node1.p12", "keystore-password-file", "node1.pass",
                "truststore", "/etc/dhcpcluster/trust.p12", "truststore-password-file", "trust.pass"),
                cluster.transportSettings().get("tls"));
    }

    @Test
    @DisplayName("missing fields are named with what to write")
    void missing() {
        assertEquals(List.of("cluster.name: missing; the cluster's name, the same on every member, like \"lab\""),
                errors(cluster -> cluster.remove("name")));
        assertEquals("cluster.listen", onlyPath(cluster -> cluster.remove("listen")));
        assertEquals("cluster.secret-file", onlyPath(cluster -> cluster.remove("secret-file")));
        assertEquals("cluster.peers", onlyPath(cluster -> cluster.remove("peers")));
        assertEquals("cluster.peers", onlyPath(cluster -> cluster.putArray("peers")));
        assertEquals("cluster.peers[1].address", onlyPath(cluster -> ((ObjectNode) cluster.get("peers").get(1))
                .remove("address")));
        assertEquals("cluster.peers[0].id", onlyPath(cluster -> ((ObjectNode) cluster.get("peers").get(0))
                .remove("id")));
        assertEquals("cluster.tls.truststore-password-file", onlyPath(cluster -> cluster.putObject("tls")
                .put("keystore", "k.p12").put("keystore-password-file", "k.pass").put("truststore", "t.p12")));
    }

    @Test
    @DisplayName("peer ids are positive, unique and not this node's; addresses parse and are listed once")
    void peers() {
        assertEquals(List.of("cluster.peers[0].id: 0 is not a positive number"),
                errors(cluster -> ((ObjectNode) cluster.get("peers").get(0)).put("id", 0)));
        assertEquals(List.of("cluster.peers[1].id: 2 is listed already, at cluster.peers[0]"),
                errors(cluster -> ((ObjectNode) cluster.get("peers").get(1)).put("id", 2)));
        assertEquals(List.of("cluster.peers[0].id: 1 is this node's own node.id; list only the other members"),
                errors(cluster -> ((ObjectNode) cluster.get("peers").get(0)).put("id", 1)));
        assertEquals(List.of("cluster.peers[1].address: \"198.18.0.2:6767\" is listed already, at cluster.peers[0]"),
                errors(cluster -> ((ObjectNode) cluster.get("peers").get(1)).put("address", "198.18.0.2:6767")));
        assertEquals(List.of("cluster.peers[0].address: \"198.18.0.1:6767\" is this node's own cluster.listen"),
                errors(cluster -> ((ObjectNode) cluster.get("peers").get(0)).put("address", "198.18.0.1:6767")));
        assertEquals(List.of("cluster.peers[0].address: \"node2\" is not an IPv4 address (dotted quad, like 198.18.0.1)"),
                errors(cluster -> ((ObjectNode) cluster.get("peers").get(0)).put("address", "node2:6767")));
        assertEquals(List.of("cluster.peers[0].address: \"198.18.0.2:0\" has port 0, not a TCP port (1-65535)"),
                errors(cluster -> ((ObjectNode) cluster.get("peers").get(0)).put("address", "198.18.0.2:0")));
        assertEquals(List.of("cluster.peers[0].address: \"198.18.0.2\" is not address:port (like \"198.18.0.1:6767\")"),
                errors(cluster -> ((ObjectNode) cluster.get("peers").get(0)).put("address", "198.18.0.2")));
        assertEquals(List.of("cluster.listen: \"198.18.0.1:x\" has a port that is not a number"),
                errors(cluster -> cluster.put("listen", "198.18.0.1:x")));
    }

    @Test
    @DisplayName("the name is 1 to 64 printable ASCII characters")
    void name() {
        assertEquals(List.of("cluster.name: \"\" is not 1 to 64 characters"), errors(cluster -> cluster.put("name", "")));
        assertEquals(List.of("cluster.name: holds a character that is not printable ASCII (U+000A); use letters, "
                + "digits and punctuation, no spaces"), errors(cluster -> cluster.put("name", "lab\nforged")));
        assertEquals("cluster.name", onlyPath(cluster -> cluster.put("name", "x".repeat(65))));
    }

    @Test
    @DisplayName("timers are 1 ms to 10 minutes and the failure timeout at least twice the heartbeat interval")
    void timers() {
        assertEquals(List.of("cluster.timers.failure-timeout-ms: the failure timeout (300 ms) must be at least twice "
                + "the heartbeat interval (200 ms), or one late heartbeat starts an election"),
                errors(cluster -> cluster.putObject("timers").put("failure-timeout-ms", 300)));
        assertEquals(List.of("cluster.timers.heartbeat-interval-ms: the failure timeout (1000 ms) must be at least "
                + "twice the heartbeat interval (600 ms), or one late heartbeat starts an election"),
                errors(cluster -> cluster.putObject("timers").put("heartbeat-interval-ms", 600)));
        assertEquals(List.of("cluster.timers.answer-timeout-ms: 0 is not 1 to 600000 ms"),
                errors(cluster -> cluster.putObject("timers").put("answer-timeout-ms", 0)));
        assertEquals("cluster.timers.coordinator-timeout-ms",
                onlyPath(cluster -> cluster.putObject("timers").put("coordinator-timeout-ms", 600_001)));
        assertEquals("cluster.timers.election-timeout-ms",
                onlyPath(cluster -> cluster.putObject("timers").put("election-timeout-ms", 100)));
    }

    @Test
    @DisplayName("address blocks are dealt by the defaults (8 at first, 2 in reserve, low water 1,024) unless the section sets them")
    void addressBlocks() throws Exception {
        assertEquals(AssignmentPlanner.Rules.DEFAULTS,
                NodeFileFixture.load(ClusterConfigTest::cluster).cluster().orElseThrow().addressBlocks());
        assertEquals(new AssignmentPlanner.Rules(2, 8, 1024), AssignmentPlanner.Rules.DEFAULTS);

        ClusterSettings set = NodeFileFixture.load(file -> cluster(file).putObject("address-blocks").put("initial", 32)
                .put("reserve", 0).put("low-water", 4096)).cluster().orElseThrow();
        ClusterSettings partly = NodeFileFixture.load(file -> cluster(file).putObject("address-blocks")
                .put("low-water", 300)).cluster().orElseThrow();

        assertEquals(new AssignmentPlanner.Rules(0, 32, 4096), set.addressBlocks());
        assertEquals(new AssignmentPlanner.Rules(2, 8, 300), partly.addressBlocks());
    }

    @Test
    @DisplayName("address-block counts out of range, a wrong type or an unknown field are refused, naming the path")
    void addressBlocksChecked() {
        assertEquals(List.of("cluster.address-blocks.initial: 0 is not 1 to 65536 blocks; the most blocks of 256 "
                + "addresses a member gets when it holds none"),
                errors(cluster -> cluster.putObject("address-blocks").put("initial", 0)));
        assertEquals(List.of("cluster.address-blocks.reserve: -1 is not 0 to 65536 blocks; the free blocks kept for a "
                + "member that comes with none"),
                errors(cluster -> cluster.putObject("address-blocks").put("reserve", -1)));
        assertEquals(List.of("cluster.address-blocks.low-water: 16777217 is not 0 to 16777216 addresses; a member with "
                + "fewer free is dealt blocks until it has twice as many"),
                errors(cluster -> cluster.putObject("address-blocks").put("low-water", 16_777_217L)));
        assertEquals("cluster.address-blocks.initial",
                onlyPath(cluster -> cluster.putObject("address-blocks").put("initial", "eight")));
        assertEquals("cluster.address-blocks.low-watermark",
                onlyPath(cluster -> cluster.putObject("address-blocks").put("low-watermark", 10)));
    }

    @Test
    @DisplayName("the cluster section needs a restart: joining, leaving and a changed field are each named")
    void restartOnly() throws Exception {
        NodeConfig alone = NodeFileFixture.load(file -> { });
        NodeConfig member = NodeFileFixture.load(ClusterConfigTest::cluster);
        NodeConfig slower = NodeFileFixture.load(file -> cluster(file).putObject("timers").put("failure-timeout-ms", 2000));
        NodeConfig renamed = NodeFileFixture.load(file -> cluster(file).put("name", "lab2").put("handshake-timeout-ms", 9));
        NodeConfig dealt = NodeFileFixture.load(file -> cluster(file).putObject("address-blocks").put("initial", 2));

        assertEquals(List.of("cluster"), ConfigChanges.restartNeeded(alone, member));
        assertEquals(List.of("cluster"), ConfigChanges.restartNeeded(member, alone));
        assertEquals(List.of("cluster.timers"), ConfigChanges.restartNeeded(member, slower));
        assertEquals(List.of("cluster.address-blocks"), ConfigChanges.restartNeeded(member, dealt));
        assertEquals(List.of("cluster.name", "cluster.handshake-timeout-ms"), ConfigChanges.restartNeeded(member, renamed));
        assertEquals(List.of(), ConfigChanges.restartNeeded(member, NodeFileFixture.load(ClusterConfigTest::cluster)));
    }

    @Test
    @DisplayName("frame and handshake limits are checked")
    void limits() {
        assertEquals(List.of("cluster.max-frame-bytes: 100 is not 1024 to 67108864 bytes"),
                errors(cluster -> cluster.put("max-frame-bytes", 100)));
        assertEquals(List.of("cluster.handshake-timeout-ms: 0 is not 1 to 60000 ms"),
                errors(cluster -> cluster.put("handshake-timeout-ms", 0)));
        assertEquals("cluster.secret-file", onlyPath(cluster -> cluster.put("secret-file", "keys/")));
    }

    @Test
    @DisplayName("an unknown cluster.transport is refused at config check, naming the peer transports on the class path")
    void unknownTransport() {
        assertEquals(List.of("cluster.transport: \"carrier-pigeon\" is not a known peer transport; known: tcp"),
                errors(cluster -> cluster.put("transport", "carrier-pigeon")));
    }

    @Test
    @DisplayName("a field that neither the node nor its transport reads is refused, with the fields the section takes")
    void unknownField() {
        List<String> errors = errors(cluster -> cluster.put("listen-port", 6767));

        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("cluster.listen-port: unknown field (known fields here: "), errors.get(0));
        assertTrue(errors.get(0).contains("listen") && errors.get(0).contains("secret-file")
                && errors.get(0).contains("transport") && errors.get(0).contains("tls"), errors.get(0));
    }
}
