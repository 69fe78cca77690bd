package dev.dhcpcluster.bootstrap.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dhcpcluster.bootstrap.cli.DhcpclusterCommand;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.runtime.ConfigSource;
import dev.dhcpcluster.bootstrap.runtime.NodeComponent;
import dev.dhcpcluster.bootstrap.runtime.NodeRuntime;
import dev.dhcpcluster.core.config.Ipv4Prefix;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.testkit.ThreadScheduler;
import dev.dhcpcluster.testkit.client.Ack;
import dev.dhcpcluster.testkit.client.ClientReport;
import dev.dhcpcluster.testkit.client.DhcpClient;
import dev.dhcpcluster.testkit.client.LoadSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node on loopback with its admin endpoint, clients leasing through it as a relay on
 * 127.0.0.2, and the operator's commands ({@code status}, {@code leases}, {@code lease del}) run
 * against it as a user would run them.
 */
class AdminLoopbackTest {

    private static final Ipv4Address RELAY = Ipv4Address.parse("127.0.0.2");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int cli(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return DhcpclusterCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    private static NodeConfig config(Path dir, int relayPort) throws Exception {
        Path file = dir.resolve("node.json");
        Files.writeString(file, """
                {"node": {"id": 7, "data-directory": "%s"},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": 0, "relay-port": %d},
                 "lease-store": {"type": "sqlite"},
                 "admin": {"listen": "127.0.0.1:0"},
                 "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.1.1 - 198.18.1.3"}],
                                        "relay": {"ip-addresses": ["127.0.0.2"]}}]}}
                """.formatted(dir.resolve("data"), relayPort));
        return new ConfigLoader().load(file);
    }

    private static List<Ack> lease(DhcpClient client, int port, int count, long firstMac) throws Exception {
        List<Ack> acks = new CopyOnWriteArrayList<>();
        LoadSettings settings = new LoadSettings(count, count, Duration.ofSeconds(1), 3, false, false,
                Optional.of(Ipv4Prefix.parse("198.18.0.0/16")), firstMac, RELAY);
        ClientReport report = client.run(new InetSocketAddress("127.0.0.1", port), settings, settings.longestRun(),
                acks::add);
        assertTrue(report.success(), String.join("\n", report.lines()));
        return new ArrayList<>(acks);
    }

    @Test
    @DisplayName("status, leases --mac and lease del work against a running node; the removed address is leased again")
    void operatorCommandsAgainstARunningNode(@TempDir Path dir) throws Exception {
        try (ThreadScheduler loop = new ThreadScheduler("test-client");
                DhcpClient client = DhcpClient.open(new InetSocketAddress(RELAY.toString(), 0), loop, loop)) {
            NodeConfig config = config(dir, client.localPort());
            NodeComponent component = NodeComponent.of(config);
            NodeRuntime node = component.runtime();
            node.start(TIMEOUT);
            try {
                int dhcpPort = node.node().boundPort().getAsInt();
                String admin = "127.0.0.1:" + component.admin().port();
                Path tokenFile = config.admin().tokenFile();
                assertTrue(Files.isRegularFile(tokenFile), "the node created its token file");

                List<Ack> acks = lease(client, dhcpPort, 3, 100);
                assertEquals(3, acks.size());

                // status: the table
                assertEquals(0, cli("status", "--admin", admin), err.toString());
                String table = out.toString();
                assertTrue(table.contains("node       7 (dhcpcluster "), table);
                assertTrue(table.contains("transport  udp 127.0.0.1:" + dhcpPort), table);
                assertTrue(table.contains("cluster    single-node, leader 7, members 7"), table);
                assertTrue(table.lines().anyMatch(line -> line.matches("198\\.18\\.0\\.0/16\\s+3\\s+0\\s+0\\s+3\\s+0")),
                        table);
                assertTrue(table.contains("sent 3 OFFER, 3 ACK"), table);

                // status --json: the raw document
                assertEquals(0, cli("status", "--admin", admin, "--json"), err.toString());
                JsonNode status = AdminJson.MAPPER.readTree(out.toString());
                assertEquals(7, status.path("node").asInt());
                assertEquals(3, status.path("pools").get(0).path("bound").asInt());
                assertEquals("sqlite", status.path("store").path("type").asText());
                assertTrue(status.path("store").path("changes-committed").asLong() >= 3, status.toString());

                // leases --mac: one line in today's format
                Ack first = acks.get(0);
                HardwareAddress mac = first.hardwareAddress();
                assertEquals(0, cli("leases", "--admin", admin, "--mac", mac.toString()), err.toString());
                List<String> lines = out.toString().lines().toList();
                assertEquals(2, lines.size(), out.toString());
                assertEquals("address state expiry hardware-address client writer version hostname", lines.get(0));
                assertTrue(lines.get(1).startsWith(first.address() + " BOUND "), lines.get(1));
                assertTrue(lines.get(1).contains(" " + mac + " "), lines.get(1));

                // leases --json: every lease of the subnet, raw
                assertEquals(0, cli("leases", "--admin", admin, "--subnet", "198.18.0.0/16", "--json"), err.toString());
                JsonNode all = AdminJson.MAPPER.readTree(out.toString());
                assertEquals(3, all.path("leases").size(), out.toString());
                assertEquals("BOUND", all.path("leases").get(0).path("state").asText());

                // lease del: refused without a token and with a wrong one
                assertEquals(DhcpclusterCommand.USAGE, cli("lease", "del", first.address().toString(), "--admin", admin));
                assertTrue(err.toString().contains("needs the admin token"), err.toString());
                Path wrong = Files.writeString(dir.resolve("wrong.token"), "not-the-token\n");
                assertEquals(DhcpclusterCommand.FAILED, cli("lease", "del", first.address().toString(), "--admin", admin,
                        "--token-file", wrong.toString()));
                assertTrue(err.toString().contains("not this node's"), err.toString());
                assertEquals(3, node.node().usage().bound(), "nothing removed");

                // ... and done with the node's token
                assertEquals(0, cli("lease", "del", first.address().toString(), "--admin", admin, "--token-file",
                        tokenFile.toString()), err.toString());
                assertTrue(out.toString().startsWith("removed the lease of " + first.address()), out.toString());
                assertEquals(2, node.node().usage().bound());
                assertEquals(1, node.node().usage().free());
                assertEquals(0, cli("leases", "--admin", admin, "--address", first.address().toString()));
                assertTrue(out.toString().lines().skip(1).allMatch(line -> line.contains(" EXPIRED ")), out.toString());

                // A new client gets the freed address: the pool had no other.
                List<Ack> again = lease(client, dhcpPort, 1, 200);
                assertEquals(first.address(), again.get(0).address());
                assertFalse(again.get(0).hardwareAddress().equals(mac));
            } finally {
                node.stop(TIMEOUT);
            }
        }
    }

    @Test
    @DisplayName("with --config the commands find the node at admin.listen, its token in admin.token-file")
    void commandsFindTheNodeThroughItsFile(@TempDir Path dir) throws Exception {
        int adminPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            adminPort = probe.getLocalPort();
        }
        Path file = dir.resolve("node.json");
        Files.writeString(file, """
                {"node": {"id": 8, "data-directory": "%s"},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": 0, "relay-port": 6769},
                 "lease-store": {"type": "sqlite"},
                 "admin": {"listen": "127.0.0.1:%d", "token-file": "%s"},
                 "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.1.1 - 198.18.1.3"}]}]}}
                """.formatted(dir.resolve("data"), adminPort, dir.resolve("secret/admin.token")));
        NodeRuntime node = NodeComponent.of(new ConfigLoader().load(file), ConfigSource.file(file)).runtime();
        node.start(TIMEOUT);
        try {
            assertEquals(0, cli("status", "--config", file.toString()), err.toString());
            assertTrue(out.toString().startsWith("node       8 "), out.toString());
            assertEquals(0, cli("leases", "--config", file.toString()), err.toString());
            assertEquals(List.of("address state expiry hardware-address client writer version hostname"),
                    out.toString().lines().toList());
            assertEquals("", err.toString(), "the node answered: no word of reading the file");

            // Another node's file naming the same admin address: not taken for this node.
            Path other = Files.writeString(dir.resolve("other.json"), Files.readString(file)
                    .replace("\"id\": 8", "\"id\": 9").replace(dir.resolve("data").toString(),
                            dir.resolve("other").toString()));
            assertEquals(DhcpclusterCommand.FAILED, cli("leases", "--config", other.toString()));
            assertTrue(err.toString().contains("is node 8, not node 9 of " + other), err.toString());

            // The token comes from admin.token-file; no lease holds the address.
            assertEquals(DhcpclusterCommand.FAILED, cli("lease", "del", "198.18.1.1", "--config", file.toString()));
            assertEquals("no lease holds 198.18.1.1" + System.lineSeparator(), err.toString());

            // The token comes from admin.token-file; the node reads the same file again.
            assertEquals(0, cli("reload", "--config", file.toString()), err.toString());
            assertEquals(List.of("reloaded: nothing changed live"), out.toString().lines().toList());
        } finally {
            node.stop(TIMEOUT);
        }
    }

    @Test
    @DisplayName("a node that does not answer: one clear line, exit 1")
    void noNode() {
        // Port 9 (discard) on loopback: nothing of ours listens there.
        assertEquals(DhcpclusterCommand.FAILED, cli("status", "--admin", "127.0.0.1:9"));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("no node answers at http://127.0.0.1:9/"), err.toString());
    }
}
