package dev.dhcpcluster.bootstrap.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dhcpcluster.bootstrap.admin.AdminJson;
import dev.dhcpcluster.bootstrap.cli.StatusCommandAccess;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.e2e.Poll;
import dev.dhcpcluster.bootstrap.runtime.ConfigSource;
import dev.dhcpcluster.bootstrap.runtime.NodeComponent;
import dev.dhcpcluster.bootstrap.runtime.NodeRuntime;
import dev.dhcpcluster.bootstrap.runtime.ReloadOutcome;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node and its relay in one process, as {@code dhcpcluster run} wires them, on a transport that
 * stands in for the pcap one: a client's DISCOVER captured on the relay's interface goes through the
 * relay to the node in process and back to the client; the node's status, metrics and reload show
 * the relay.
 */
class ColocatedRelayTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Ipv4Address NODE_ADDRESS = Ipv4Address.parse("198.18.0.1");

    /** The capture and socket of the shared transport: handed datagrams by the test, records what is sent. */
    static final class Wire implements DhcpTransport {
        volatile DhcpHandler handler;
        volatile boolean closed;
        final List<Sent> sent = new CopyOnWriteArrayList<>();

        @Override
        public void start(DhcpHandler handler) {
            this.handler = handler;
        }

        @Override
        public void send(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
            sent.add(new Sent(payload, delivery, interfaceName));
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** One datagram the transport was asked to send. */
    record Sent(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
    }

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final Wire wire = new Wire();
    private final NodeRelayReader reader = new NodeRelayReader(name -> Optional.empty());
    private Path file;
    private NodeComponent component;
    private NodeRuntime node;
    private ColocatedRelay relay;
    private List<String> interfaces;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (node != null) {
            node.stop(TIMEOUT);
        }
    }

    private String nodeFile(String relaySection) {
        return """
                {"node": {"id": 1, "data-directory": "%s"},
                 "transport": {"type": "pcap", "interfaces": ["eth0"], "listen-port": 6700, "relay-port": 6700},
                 "lease-store": {"type": "memory"},
                 "admin": {"listen": "127.0.0.1:0"},
                 "relay": %s,
                 "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.64.10 - 198.18.64.99"}]}]}}
                """.formatted(dir.resolve("data"), relaySection);
    }

    private static String relaySection(String servers) {
        return """
                {"interfaces": [{"name": "lan1", "address": "198.18.64.1"}], "servers": [%s]}
                """.formatted(servers);
    }

    /** Starts the node, then its relay, as {@code run} does. */
    private void start() throws Exception {
        file = dir.resolve("node.json");
        Files.writeString(file, nodeFile(relaySection("{\"address\": \"198.18.0.1\"}")));
        ConfigLoader loader = new ConfigLoader().withCompanion(reader);
        NodeConfig config = loader.load(file);
        RelayConfig relayConfig = reader.load(file, config).orElseThrow();
        relay = ColocatedRelay.of(config, relayConfig, file, reader, names -> {
            interfaces = names;
            return wire;
        }, () -> Set.of(NODE_ADDRESS, Ipv4Address.parse("198.18.64.1")));
        component = NodeComponent.of(relay.node(), ConfigSource.file(file, loader));
        node = component.runtime();
        node.accompany(relay);
        relay.registerMetrics(component.metrics());
        node.start(TIMEOUT);
        relay.start();
    }

    private static Datagram discover() {
        byte[] payload = DhcpCodec.encode(DhcpMessage.builder().op(DhcpMessage.BOOTREQUEST).xid(7)
                .hardwareAddress(HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, 0, 1}))
                .options(DhcpOptions.builder().messageType(DhcpMessageType.DISCOVER).build()).build(),
                DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
        return new Datagram(payload, Ipv4Address.ZERO, 68, Ipv4Address.parse("198.18.64.1"), Optional.of("lan1"));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + component.admin().port() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    @DisplayName("a client on the relay's LAN gets the node's OFFER through the relay, in process; status and metrics show it")
    void clientIsServedThroughTheRelay() throws Exception {
        start();
        assertEquals(List.of("eth0", "lan1"), interfaces, "one capture of the node's interfaces and the relay's");

        wire.handler.handle(discover());

        Sent offer = Poll.until(TIMEOUT, "the OFFER sent to the client on lan1", () -> wire.sent.stream()
                .filter(sent -> sent.interfaceName().equals(Optional.of("lan1"))).findFirst(), wire.sent::toString);
        DhcpMessage message = DhcpCodec.decode(offer.payload());
        assertEquals(DhcpMessage.BOOTREPLY, message.op());
        assertEquals(Optional.of(DhcpMessageType.OFFER), message.options().messageType());
        assertEquals(Ipv4Address.parse("198.18.64.1"), message.giaddr());
        assertEquals(1, wire.sent.size(), "nothing but the reply to the client left: " + wire.sent);
        assertEquals(1, relay.relay().counters().forwarded());
        assertEquals(1, relay.relay().counters().returned());

        JsonNode status = AdminJson.MAPPER.readTree(get("/status").body());
        JsonNode shown = status.path("relay");
        assertTrue(shown.isObject(), status.toString());
        assertFalse(shown.has("role"), shown.toString());
        assertEquals("198.18.0.1", shown.path("servers").get(0).path("address").asText());
        assertEquals(1, shown.path("forwarded").asLong());
        List<String> table = StatusCommandAccess.table(status);
        assertTrue(table.stream().anyMatch(line -> line.startsWith("relay      ")), table.toString());
        assertTrue(table.contains("interface  lan1 198.18.64.1"), table.toString());
        assertTrue(table.contains("traffic    forwarded 1, returned 1; dropped nothing"), table.toString());

        String metrics = get("/metrics").body();
        assertTrue(metrics.contains("dhcpcluster_relay_forwarded_total 1.0"), metrics);
        assertTrue(metrics.contains("dhcpcluster_relay_returned_total 1.0"), metrics);
        assertTrue(metrics.contains("dhcpcluster_relay_sent_total{server=\"198.18.0.1\"} 1.0"), metrics);
    }

    @Test
    @DisplayName("a reload applies a changed relay.servers as relay. changes; a bad relay section refuses the whole reload; "
            + "a removed one needs a restart")
    void reloadTakesTheRelaySection() throws Exception {
        start();
        Files.writeString(file, nodeFile(relaySection("{\"address\": \"198.18.0.1\"}, {\"address\": \"198.18.0.5\"}")));

        ReloadOutcome applied = node.reload();

        assertEquals(new ReloadOutcome(true, List.of("relay.servers: [198.18.0.1] -> [198.18.0.1, 198.18.0.5]"),
                List.of(), List.of()), applied);
        assertEquals(List.of(NODE_ADDRESS, Ipv4Address.parse("198.18.0.5")), relay.relay().config().settings().servers());

        Files.writeString(file, nodeFile("""
                {"transport": {"type": "pcap"}, "interfaces": [{"name": "lan1", "address": "198.18.64.1"}],
                 "servers": [{"address": "198.18.0.9"}]}
                """).replace("198.18.64.99", "198.18.64.50"));
        ReloadOutcome refused = node.reload();

        assertFalse(refused.applied());
        assertEquals(List.of("relay.transport: a relay in one process with a node shares the node's transport; remove it"),
                refused.errors());
        assertEquals(List.of(NODE_ADDRESS, Ipv4Address.parse("198.18.0.5")), relay.relay().config().settings().servers());
        assertEquals(90, node.node().usage().subnets().get(0).size(), "the node keeps its pool too");

        Files.writeString(file, nodeFile("{}").replace("\"relay\": {},", ""));
        ReloadOutcome removed = node.reload();

        assertEquals(new ReloadOutcome(true, List.of(), List.of("relay"), List.of()), removed);
        assertEquals(List.of(NODE_ADDRESS, Ipv4Address.parse("198.18.0.5")), relay.relay().config().settings().servers(),
                "the relay runs on until a restart");
    }
}
