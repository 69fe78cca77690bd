package dev.dhcpcluster.bootstrap.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.config.ConfigError;
import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.relay.RelayInterface;
import dev.dhcpcluster.core.relay.RelaySettings;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RelayConfigReaderTest {

    private static final Path DIRECTORY = Path.of("/etc/dhcpcluster");

    /** A host whose eth1 carries 198.18.64.1 and nothing else. */
    private final RelayConfigReader reader = new RelayConfigReader(
            name -> name.equals("eth1") ? Optional.of(Ipv4Address.parse("198.18.64.1")) : Optional.empty());

    private RelayConfig parse(String json) throws ConfigException {
        return reader.parse(json, "relay.json", DIRECTORY);
    }

    private List<String> errors(String json) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(json));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    @DisplayName("the example file of the docs reads into the settings it describes, every value where it belongs")
    void readsTheExample() throws Exception {
        RelayConfig config = reader.parse(Files.readString(Path.of("..", "examples", "relay.json"), StandardCharsets.UTF_8),
                "examples/relay.json", DIRECTORY);
        assertEquals(Optional.of("edge-1"), config.name());
        assertEquals(List.of(new RelayInterface("eth1", Ipv4Address.parse("198.18.64.1"), false)),
                config.settings().interfaces());
        assertEquals(Optional.of(Octets.of("edge-1".getBytes(StandardCharsets.US_ASCII))), config.settings().remoteId());
        assertEquals(List.of(Ipv4Address.parse("198.18.0.1"), Ipv4Address.parse("198.18.0.2"), Ipv4Address.parse("198.18.0.3")),
                config.settings().servers());
        assertEquals(Optional.of(new NodeId(2)), config.servers().get(1).node());
        assertEquals(Optional.of("198.18.0.2:6767"), config.servers().get(1).peer());
        assertEquals(new RelayConfig.Cluster("lab", DIRECTORY.resolve("cluster.key")), config.cluster().orElseThrow());
        assertEquals(Map.of(HardwareAddress.parseEthernet("02:00:00:00:00:01"), Ipv4Address.parse("198.18.0.2")),
                config.overrides().byMac());
        assertEquals(new RelayConfig.RateLimit(10, 20, 65536), config.rateLimit().orElseThrow());
        assertEquals("127.0.0.1:9068", config.admin().orElseThrow().toString());
    }

    @Test
    @DisplayName("a minimal file takes every default: port 67, 4 hops, 1472 octets, the interface's own address")
    void defaults() throws Exception {
        RelayConfig config = parse("""
                {"relay": {"transport": {"type": "udp"}, "interfaces": [{"name": "eth1"}],
                           "servers": [{"address": "198.18.0.1"}]}}
                """);
        RelaySettings settings = config.settings();
        assertEquals(Ipv4Address.parse("198.18.64.1"), settings.interfaces().get(0).address());
        assertEquals(4, settings.maxHops());
        assertEquals(1472, settings.maxMessageLength());
        assertEquals(67, settings.serverPort());
        assertEquals(68, settings.clientPort());
        assertEquals(new RelayConfig.Transport("udp", Ipv4Address.ZERO, 67), config.transport());
        assertEquals(Optional.empty(), settings.remoteId());
        assertTrue(config.cluster().isEmpty() && config.admin().isEmpty() && config.rateLimit().isEmpty());
    }

    @Test
    @DisplayName("every problem of the file is reported at once, each by its JSON path")
    void everyProblemByPath() {
        assertEquals(List.of(
                "relay.name: holds a character that is not printable ASCII (U+0020); use letters, digits and punctuation, no spaces",
                "relay.interfaces[0].address: missing, and this host has no interface \"eth9\" with an IPv4 address to take it from",
                "relay.max-hops: 17 is out of range (0 to 16)",
                "relay.cluster.secret-file: missing; the cluster's secret file, a copy of the nodes' one",
                "relay.servers[0].peer: missing; with \"cluster\", every server names its node's peer address, like \"198.18.0.1:6767\"",
                "relay.servers[1].address: 198.18.0.1 is listed already, at relay.servers[0]",
                "relay.servers[1].node: missing; with \"cluster\", every server names its node's node.id",
                "relay.servers[1].peer: \"198.18.0.2\" is not host:port, like \"198.18.0.1:6767\"",
                "relay.rate-limit.requests-per-second: 0.0 is not more than 0 and at most 1000000",
                "relay.admin.listen: \"localhost:9068\" does not start with an IPv4 address; address:port, like \"127.0.0.1:9068\"",
                "relay.transport.client-port: 0 is not a UDP port (1-65535)"), errors("""
                {"relay": {
                  "name": "edge 1",
                  "transport": {"type": "udp", "client-port": 0},
                  "interfaces": [{"name": "eth9"}],
                  "max-hops": 17,
                  "servers": [{"address": "198.18.0.1", "node": 1},
                              {"address": "198.18.0.1", "peer": "198.18.0.2"}],
                  "cluster": {"name": "lab"},
                  "rate-limit": {"requests-per-second": 0},
                  "admin": {"listen": "localhost:9068"}}}
                """));
    }

    @Test
    @DisplayName("an unknown field, a string where a number belongs and a missing section are refused by path")
    void strictJson() {
        assertEquals(List.of("relay.servers[0].adress: unknown field (known fields here: address, node, peer)"), errors("""
                {"relay": {"transport": {"type": "udp"}, "interfaces": [{"name": "eth1"}],
                           "servers": [{"adress": "198.18.0.1"}]}}
                """));
        assertEquals(List.of("relay.max-hops: expected a whole number, found a string"), errors("""
                {"relay": {"transport": {"type": "udp"}, "interfaces": [{"name": "eth1"}], "max-hops": "4",
                           "servers": [{"address": "198.18.0.1"}]}}
                """));
        assertEquals(List.of("relay: missing; a relay file is {\"relay\": {...}}"), errors("{} // nothing"));
        assertEquals(List.of("relay.transport: missing; {\"type\": \"udp\"}",
                "relay.interfaces: empty; the client-facing interface, like [{\"name\": \"eth1\"}]",
                "relay.servers: missing; the servers to forward to, like [{\"address\": \"198.18.0.1\"}]"),
                errors("{\"relay\": {\"interfaces\": []}}"));
    }

    @Test
    @DisplayName("udp serves one interface, pcap several; an unknown transport is refused with the known ones")
    void transports() throws Exception {
        String two = """
                {"relay": {"transport": {"type": "%s"}, "interfaces": [{"name": "eth1"}, {"name": "eth2", "address": "198.18.65.1"}],
                           "servers": [{"address": "198.18.0.1"}]}}
                """;
        assertEquals(List.of("relay.interfaces: lists 2 interfaces; the udp transport serves one (run one relay per interface)"),
                errors(two.formatted("udp")));
        RelayConfig pcap = parse(two.formatted("pcap"));
        assertEquals(List.of("eth1", "eth2"), pcap.settings().interfaces().stream().map(RelayInterface::name).toList());
        assertEquals("pcap", pcap.transport().type());
        assertEquals(List.of("relay.transport.type: \"tcp\" is not a relay transport; \"udp\" or \"pcap\""),
                errors(two.formatted("tcp")));
    }

    @Test
    @DisplayName("an override names one client and one target, among the servers")
    void overrides() {
        assertEquals(List.of(
                "relay.overrides[0]: names both \"mac\" and \"circuit-id\"; one of them picks the clients",
                "relay.overrides[1].server: 198.18.0.9 is not one of relay.servers",
                "relay.overrides[2].node: 3 is not the node of any of relay.servers",
                "relay.overrides[3]: names neither \"server\" nor \"node\"; one of them is where the clients go",
                "relay.overrides[4].mac: not an Ethernet address (six hex octets separated by ':'): \"02:00\"",
                "relay.overrides[5].circuit-id: \"0xzz\" is not hex octets after 0x: "), errors("""
                {"relay": {"transport": {"type": "udp"}, "interfaces": [{"name": "eth1"}],
                           "servers": [{"address": "198.18.0.1", "node": 1}],
                           "overrides": [{"mac": "02:00:00:00:00:01", "circuit-id": "eth1", "node": 1},
                                         {"mac": "02:00:00:00:00:02", "server": "198.18.0.9"},
                                         {"circuit-id": "eth1", "node": 3},
                                         {"circuit-id": "eth2"},
                                         {"mac": "02:00", "node": 1},
                                         {"circuit-id": "0xzz", "node": 1}]}}
                """).stream().map(line -> line.startsWith("relay.overrides[5]") ? line.substring(0, line.indexOf("after 0x: ") + 10) : line)
                .toList());
    }

    @Test
    @DisplayName("a remote-id too long for option 82 with the interface's circuit-id is refused")
    void remoteIdTooLong() {
        List<String> errors = errors("""
                {"relay": {"transport": {"type": "udp"}, "interfaces": [{"name": "eth1"}], "remote-id": "%s",
                           "servers": [{"address": "198.18.0.1"}]}}
                """.formatted("r".repeat(250)));
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("relay: option 82 for interface eth1 would hold"), errors.toString());
    }

    private static String withTls(String tls) {
        return """
                {"relay": {"transport": {"type": "udp"}, "interfaces": [{"name": "eth1"}],
                           "servers": [{"address": "198.18.0.1", "node": 1, "peer": "198.18.0.1:6767"}],
                           "cluster": {"name": "lab", "secret-file": "cluster.key", "tls": {%s}}}}
                """.formatted(tls);
    }

    @Test
    @DisplayName("relay.cluster.tls takes the node's four files, relative to the relay file's directory; a missing, "
            + "empty or directory field is refused by its JSON path, an unknown one too")
    void clusterTls() throws Exception {
        RelayConfig config = parse(withTls("""
                "keystore": "tls/relay.p12", "keystore-password-file": "tls/relay.pass",
                "truststore": "/etc/pki/cluster.p12", "truststore-password-file": "tls/../trust.pass\""""));
        assertEquals(new RelayConfig.Tls(DIRECTORY.resolve("tls/relay.p12"), DIRECTORY.resolve("tls/relay.pass"),
                Path.of("/etc/pki/cluster.p12"), DIRECTORY.resolve("trust.pass")),
                config.cluster().orElseThrow().tls().orElseThrow());

        assertEquals(List.of(
                "relay.cluster.tls.keystore: missing; the relay's key and certificate, a PKCS#12 file",
                "relay.cluster.tls.keystore-password-file: is empty; the file holding the keystore's password",
                "relay.cluster.tls.truststore: \"tls/\" names a directory; name a file",
                "relay.cluster.tls.truststore-password-file: missing; the file holding the truststore's password"),
                errors(withTls("\"keystore-password-file\": \"\", \"truststore\": \"tls/\"")));
        assertTrue(errors(withTls("\"key-store\": \"a.p12\"")).stream()
                .anyMatch(error -> error.contains("key-store")), "an unknown field is refused");
    }
}
