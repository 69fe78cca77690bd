package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.e2e.LoopbackRelay;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NodeRuntime#reload} on a node serving real datagrams on loopback, in this JVM: clients
 * behind a relay on 127.0.0.2 lease, the file changes, the node reloads, the clients renew.
 */
class NodeReloadTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String OLD_DNS = "198.18.0.3";
    private static final String NEW_DNS = "198.18.0.53";

    @TempDir
    Path dir;
    private Path file;
    private LoopbackRelay relay;
    private NodeRuntime node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.stop(TIMEOUT);
        }
        if (relay != null) {
            relay.close();
        }
    }

    private String nodeFile(int listenPort, String dns, String pool) {
        return """
                {"node": {"id": 1, "data-directory": "%s"},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": %d, "relay-port": %d},
                 "lease-store": {"type": "sqlite"},
                 "admin": {"listen": "127.0.0.1:0"},
                 "Dhcp4": {"valid-lifetime": 3600,
                           "subnet4": [{"subnet": "198.18.0.0/24", "pools": [{"pool": "%s"}],
                                        "relay": {"ip-addresses": ["%s"]},
                                        "option-data": [{"name": "domain-name-servers", "data": "%s"}]}]}}
                """.formatted(dir.resolve("data"), listenPort, relay.port(), pool, LoopbackRelay.ADDRESS, dns);
    }

    private void start() throws Exception {
        relay = LoopbackRelay.open();
        file = dir.resolve("node.json");
        Files.writeString(file, nodeFile(0, OLD_DNS, "198.18.0.10 - 198.18.0.99"));
        NodeConfig config = new ConfigLoader().load(file);
        node = NodeComponent.of(config, ConfigSource.file(file)).runtime();
        node.start(TIMEOUT);
        relay.forwardTo(new InetSocketAddress("127.0.0.1", node.node().boundPort().getAsInt()));
    }

    private static HardwareAddress mac(int n) {
        return HardwareAddress.parseEthernet(String.format("02:00:00:00:01:%02x", n));
    }

    private static void assertDns(String expected, DhcpMessage ack) {
        assertArrayEquals(Ipv4Address.parse(expected).toBytes(),
                ack.options().get(OptionCode.DOMAIN_NAME_SERVERS).orElseThrow(), "domain-name-servers");
    }

    private List<Ipv4Address> leaseClients(int count) {
        List<Ipv4Address> addresses = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            DhcpMessage ack = relay.lease(mac(n));
            assertDns(OLD_DNS, ack);
            addresses.add(ack.yiaddr());
        }
        return addresses;
    }

    @Test
    @DisplayName("a new option reaches the next renewal; every client keeps its address")
    void newOptionOnRenewal() throws Exception {
        start();
        List<Ipv4Address> leased = leaseClients(3);
        Files.writeString(file, nodeFile(0, NEW_DNS, "198.18.0.10 - 198.18.0.99"));

        ReloadOutcome outcome = node.reload();

        assertEquals(new ReloadOutcome(true, List.of("subnet 198.18.0.0/24: option domain-name-servers changed"),
                List.of(), List.of()), outcome);
        for (int n = 1; n <= 3; n++) {
            DhcpMessage ack = relay.renew(mac(n));
            assertEquals(leased.get(n - 1), ack.yiaddr());
            assertDns(NEW_DNS, ack);
        }
        assertEquals(3, node.node().usage().subnets().get(0).bound());
    }

    @Test
    @DisplayName("a file with an error is refused, naming its field, and the node serves on with its old config")
    void brokenFileIsRefused() throws Exception {
        start();
        leaseClients(1);
        Files.writeString(file, nodeFile(0, NEW_DNS, "198.18.0.99 - 198.18.0.10"));

        ReloadOutcome outcome = node.reload();

        assertFalse(outcome.applied());
        assertEquals(1, outcome.errors().size(), outcome.errors().toString());
        assertTrue(outcome.errors().get(0).startsWith("Dhcp4.subnet4[0].pools[0].pool: "), outcome.errors().get(0));
        assertDns(OLD_DNS, relay.renew(mac(1)));
        assertDns(OLD_DNS, relay.lease(mac(2)));
    }

    @Test
    @DisplayName("a new listen port is reported as needing a restart while the new option applies")
    void listenPortNeedsRestart() throws Exception {
        start();
        leaseClients(1);
        int port = node.node().boundPort().getAsInt();
        Files.writeString(file, nodeFile(port + 1, NEW_DNS, "198.18.0.10 - 198.18.0.99"));

        ReloadOutcome outcome = node.reload();

        assertTrue(outcome.applied(), outcome.toString());
        assertEquals(List.of("transport.listen-port"), outcome.restartNeeded());
        assertEquals(List.of("subnet 198.18.0.0/24: option domain-name-servers changed",
                "transport.listen-port changed; it takes effect after a restart"), outcome.lines());
        assertEquals(port, node.node().boundPort().getAsInt(), "still listening where it started");
        assertDns(NEW_DNS, relay.renew(mac(1)));
        assertEquals(List.of("transport.listen-port"), node.reload().restartNeeded(), "named until the restart");
    }

    @Test
    @DisplayName("a pool added by a reload serves new clients, and a lease of the removed pool stays bound")
    void poolsChange() throws Exception {
        start();
        Ipv4Address first = leaseClients(1).get(0);
        assertEquals(Ipv4Address.parse("198.18.0.10"), first);
        Files.writeString(file, nodeFile(0, OLD_DNS, "198.18.0.200 - 198.18.0.210"));

        ReloadOutcome outcome = node.reload();

        assertTrue(outcome.applied(), outcome.toString());
        assertEquals(Ipv4Address.parse("198.18.0.200"), relay.lease(mac(2)).yiaddr());
        assertEquals(2, node.node().usage().subnets().get(0).bound(), "the old pool's lease still holds its address");
    }

    @Test
    @DisplayName("a reload of an unchanged file applies with no changes")
    void unchangedFile() throws Exception {
        start();

        assertEquals(new ReloadOutcome(true, List.of(), List.of(), List.of()), node.reload());
    }

    @Test
    @DisplayName("a node configured without a file refuses to reload, saying there is no file")
    void noFile() throws Exception {
        relay = LoopbackRelay.open();
        file = dir.resolve("node.json");
        Files.writeString(file, nodeFile(0, OLD_DNS, "198.18.0.10 - 198.18.0.99"));
        node = NodeComponent.of(new ConfigLoader().load(file), ConfigSource.none("the demo's built-in config"))
                .runtime();
        node.start(TIMEOUT);

        ReloadOutcome outcome = node.reload();

        assertFalse(outcome.applied());
        assertEquals(List.of("(file): the node runs on the demo's built-in config, not on a file: there is nothing to "
                + "read again"), outcome.errors());
    }
}
