package dev.dhcpcluster.bootstrap.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.TestPackets;
import dev.dhcpcluster.core.testing.RecordingTransport;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.testkit.LoopbackTransport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DhcpNodeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Ipv4Address RELAY = Ipv4Address.parse("198.18.0.1");

    @TempDir
    Path directory;

    private String json() {
        return """
                {"node": {"id": 3, "data-directory": "%s"},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": 0},
                 "lease-store": {"type": "memory"},
                 "admin": {"enabled": false},
                 "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/24", "pools": [{"pool": "198.18.0.10 - 198.18.0.20"}]}]}}
                """.formatted(directory);
    }

    @Test
    @DisplayName("a node built from a file's JSON with the application's own transport answers a DISCOVER through it")
    void anEmbeddedNodeServesThroughTheApplicationsTransport() throws Exception {
        LoopbackTransport transport = new LoopbackTransport(Ipv4Address.parse("127.0.0.1"));
        byte[] discover = TestPackets.discover().withGiaddr(RELAY.toString()).encode();
        try (DhcpNode node = DhcpNode.builder().configJson(json()).transport(transport).build()) {
            assertEquals(NodeState.NEW, node.status().state());

            node.start();
            node.awaitServing(WAIT);
            transport.inject(discover, RELAY, 67, Optional.empty());
            LoopbackTransport.Sent offer = transport.nextSent(WAIT)
                    .orElseThrow(() -> new AssertionError("no reply within " + WAIT));

            DhcpMessage reply = DhcpCodec.decode(offer.payload());
            assertEquals(Optional.of(DhcpMessageType.OFFER), reply.messageType());
            DhcpNodeStatus status = node.status();
            assertEquals(NodeState.SERVING, status.state());
            assertEquals(11, status.pools().orElseThrow().subnets().get(0).size());
        }
        assertFalse(transport.inject(discover, RELAY, 67, Optional.empty()), "stopping the node closed the transport");
    }

    @Test
    @DisplayName("a node built from objects, with no file, serves; its status names its transport and port")
    void aNodeBuiltFromObjectsServes() throws Exception {
        ServerConfig server = new dev.dhcpcluster.bootstrap.config.ConfigLoader().parse(json(), "x").server();
        RecordingTransport transport = new RecordingTransport();
        DhcpNode node = DhcpNode.builder().server(server, directory).transport(transport).build();
        try {
            node.start();

            assertEquals(OptionalInt.of(67), node.status().port());
            assertEquals(NodeState.SERVING, node.state());
        } finally {
            node.stop();
        }
        assertEquals(NodeState.STOPPED, node.state());
        assertThrows(IllegalStateException.class, node::start, "a node starts once");
    }

    @Test
    @DisplayName("a bad configuration is refused at build, naming the field; none or two configurations are a mistake")
    void aBadConfigurationIsRefusedAtBuild() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> DhcpNode.builder().configJson(json().replace("\"listen-port\": 0", "\"listen-port\": -1")).build());
        assertEquals("transport.listen-port: must be 0-65535, not -1", e.errors().get(0).toString());
        assertThrows(IllegalStateException.class, () -> DhcpNode.builder().build());
        assertThrows(IllegalStateException.class, () -> DhcpNode.builder().configJson(json())
                .configFile(directory.resolve("node.json")).build());
    }

    @Test
    @DisplayName("awaitServing gives up after its timeout on a node nobody starts, and fails at once on a stopped one")
    void awaitServingTimesOutOrFails() throws Exception {
        DhcpNode node = DhcpNode.builder().configJson(json()).transport(new RecordingTransport()).build();

        assertThrows(TimeoutException.class, () -> node.awaitServing(Duration.ofMillis(50)));
        node.stop();
        assertThrows(IllegalStateException.class, () -> node.awaitServing(WAIT));
    }
}
