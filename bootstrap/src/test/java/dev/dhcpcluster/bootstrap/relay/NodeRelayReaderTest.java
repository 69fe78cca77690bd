package dev.dhcpcluster.bootstrap.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.config.ConfigError;
import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.core.relay.RelayInterface;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code relay} section of a node file: the relay that runs in one process with the node. */
class NodeRelayReaderTest {

    @TempDir
    Path dir;

    private final NodeRelayReader reader = new NodeRelayReader(name -> Optional.empty());
    private final ConfigLoader loader = new ConfigLoader().withCompanion(reader);

    private static final String CLUSTER = """
            "cluster": {"name": "lab", "listen": "0.0.0.0:6767", "secret-file": "cluster.key",
                        "peers": [{"id": 2, "address": "198.18.0.2:6767"}]},
            """;

    private static final String PCAP = """
            "transport": {"type": "pcap", "interfaces": ["eth0"], "listen-port": 6700},
            """;

    /** A node file of node 1 with {@code transport}, {@code cluster} (or nothing) and {@code relay}. */
    private String nodeFile(String transport, String cluster, String relay) {
        return """
                {"node": {"id": 1, "data-directory": "%s"},
                 %s
                 %s
                 "relay": %s,
                 "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.8.1 - 198.18.8.99"}]}]}}
                """.formatted(dir.resolve("data"), transport, cluster, relay);
    }

    private static final String RELAY = """
            {"interfaces": [{"name": "lan1", "address": "198.18.64.1"}],
             "servers": [{"address": "198.18.0.1", "node": 1}, {"address": "198.18.0.2", "node": 2}]}
            """;

    private RelayConfig read(String json) throws ConfigException {
        NodeConfig node = loader.parse(json, "node.json");
        return reader.read(json, node, "node.json").orElseThrow();
    }

    private List<String> errors(String json) {
        ConfigException e = assertThrows(ConfigException.class, () -> loader.parse(json, "node.json"));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    @DisplayName("a good section: the node's port and cluster, each server's peer from the node's cluster section")
    void goodSectionTakesWhatTheNodeKnows() throws ConfigException {
        RelayConfig relay = read(nodeFile(PCAP, CLUSTER, RELAY));

        assertEquals(List.of(new RelayInterface("lan1", Ipv4Address.parse("198.18.64.1"), false)),
                relay.settings().interfaces());
        assertEquals(new RelayConfig.Transport("pcap", Ipv4Address.ZERO, 6700), relay.transport());
        assertEquals(6700, relay.settings().serverPort());
        assertEquals(68, relay.settings().clientPort());
        assertEquals(Optional.empty(), relay.admin());
        RelayConfig.Watched watched = relay.watched().orElseThrow();
        assertEquals("lab", watched.cluster().name());
        assertEquals(dir.resolve("data").resolve("cluster.key"), watched.cluster().secretFile());
        assertEquals(Map.of(new NodeId(1), "127.0.0.1:6767", new NodeId(2), "198.18.0.2:6767"), watched.peers());
    }

    @Test
    @DisplayName("a relay.cluster of its own is kept, and a peer written out wins over the node's")
    void ownClusterAndPeerAreKept() throws ConfigException {
        RelayConfig relay = read(nodeFile(PCAP, CLUSTER, """
                {"interfaces": [{"name": "lan1", "address": "198.18.64.1"}],
                 "cluster": {"name": "other", "secret-file": "other.key"},
                 "servers": [{"address": "198.18.0.1", "node": 1, "peer": "198.18.0.1:7000"},
                             {"address": "198.18.0.2", "node": 2}]}
                """));

        RelayConfig.Watched watched = relay.watched().orElseThrow();
        assertEquals("other", watched.cluster().name());
        assertEquals(dir.resolve("data").resolve("other.key"), watched.cluster().secretFile());
        assertEquals(Map.of(new NodeId(1), "198.18.0.1:7000", new NodeId(2), "198.18.0.2:6767"), watched.peers());
    }

    @Test
    @DisplayName("a node without a cluster and a relay without one: a plain relay, servers need no node")
    void noClusterIsAPlainRelay() throws ConfigException {
        RelayConfig relay = read(nodeFile(PCAP, "", """
                {"interfaces": [{"name": "lan1", "address": "198.18.64.1"}], "servers": [{"address": "198.18.0.1"}]}
                """));

        assertEquals(Optional.empty(), relay.cluster());
        assertEquals(List.of(Ipv4Address.parse("198.18.0.1")), relay.settings().servers());
    }

    @Test
    @DisplayName("a node on the udp transport cannot have a relay, and says why")
    void udpNodeIsRefused() {
        List<String> errors = errors(nodeFile(
                "\"transport\": {\"type\": \"udp\", \"listen-address\": \"127.0.0.1\", \"listen-port\": 6700},",
                CLUSTER, RELAY));

        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("relay: a relay in one process with a node needs the node's transport "
                + "to be pcap (transport.type is \"udp\"): "), errors.get(0));
    }

    @Test
    @DisplayName("relay.transport and relay.admin are refused: the relay shares the node's")
    void ownTransportAndAdminAreRefused() {
        List<String> errors = errors(nodeFile(PCAP, CLUSTER, """
                {"transport": {"type": "udp"}, "admin": {"listen": "127.0.0.1:9068"},
                 "interfaces": [{"name": "lan1", "address": "198.18.64.1"}], "servers": [{"address": "198.18.0.1", "node": 1}]}
                """));

        assertEquals(List.of(
                "relay.transport: a relay in one process with a node shares the node's transport; remove it",
                "relay.admin: a relay in one process with a node has no admin endpoint of its own: the node's admin "
                        + "endpoint shows the relay; remove it"), errors);
    }

    @Test
    @DisplayName("a relay interface that is one of the node's is refused, naming both")
    void nodeInterfaceIsRefused() {
        List<String> errors = errors(nodeFile(PCAP, CLUSTER, """
                {"interfaces": [{"name": "eth0", "address": "198.18.64.1"}], "servers": [{"address": "198.18.0.1", "node": 1}]}
                """));

        assertEquals(List.of("relay.interfaces[0].name: \"eth0\" is the node's own, transport.interfaces[0]; a relay "
                + "interface is a client LAN that the node does not serve itself"), errors);
    }

    @Test
    @DisplayName("a server whose node the node's cluster does not know needs its peer")
    void unknownNodeNeedsItsPeer() {
        List<String> errors = errors(nodeFile(PCAP, CLUSTER, """
                {"interfaces": [{"name": "lan1", "address": "198.18.64.1"}], "servers": [{"address": "198.18.0.9", "node": 9}]}
                """));

        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("relay.servers[0].peer: missing"), errors.get(0));
    }

    @Test
    @DisplayName("the relay's problems come at once with the node's own, each by its path")
    void everyProblemAtOnce() {
        String json = nodeFile(PCAP, CLUSTER, """
                {"transport": {"type": "pcap"}, "interfaces": [{"name": "lan1", "address": "198.18.64.1"}],
                 "max-hops": 99, "servers": [{"address": "198.18.0.1", "node": 1}]}
                """).replace("198.18.8.1 - 198.18.8.99", "198.18.8.99 - 198.18.8.1");

        List<String> paths = errors(json).stream().map(error -> error.substring(0, error.indexOf(':'))).toList();

        assertEquals(List.of("Dhcp4.subnet4[0].pools[0].pool", "relay.transport", "relay.max-hops"), paths);
    }

    @Test
    @DisplayName("the shipped example of a node with a relay loads, its servers' peers from its cluster section")
    void exampleLoads() throws ConfigException {
        Path example = Path.of("..", "examples", "cluster", "node1-with-relay.json");
        NodeConfig node = loader.load(example);

        RelayConfig relay = reader.load(example, node).orElseThrow();

        assertEquals(List.of("eth1"), relay.settings().interfaces().stream().map(RelayInterface::name).toList());
        assertEquals(Map.of(new NodeId(1), "198.18.0.1:6767", new NodeId(2), "198.18.0.2:6767",
                new NodeId(3), "198.18.0.3:6767"), relay.watched().orElseThrow().peers());
        assertEquals("lab", relay.watched().orElseThrow().cluster().name());
        assertEquals(67, relay.settings().serverPort());
    }

    @Test
    @DisplayName("a program that runs the node alone refuses a relay section")
    void loaderWithoutRelayRefusesTheSection() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader().parse(nodeFile(PCAP, CLUSTER, RELAY), "node.json"));

        assertEquals(List.of("relay"), e.errors().stream().map(ConfigError::path).toList());
    }

    @Test
    @DisplayName("a node file without a relay section has no relay")
    void noSection() throws ConfigException {
        String json = nodeFile(PCAP, CLUSTER, "{}").replace("\"relay\": {},", "");
        NodeConfig node = loader.parse(json, "node.json");

        assertEquals(Optional.empty(), reader.read(json, node, "node.json"));
    }
}
