package dev.dhcpcluster.bootstrap.cli;

import dev.dhcpcluster.bootstrap.StoreFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.e2e.JavaCommand;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.core.dhcp.TestPackets;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.HostNameSent;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bug 3: host names that would forge a log line or break a table row. A node run as its own process
 * on loopback ACKs the clients that send them, stores their leases without a host name (but with
 * the octets the client sent), and logs them escaped; {@code leases} prints one line per lease even for a store written with such names.
 */
class HostileHostNameTest {

    private static final String FORGED = "x\n2030-01-01 INFO fake: node stopped";
    private static final String SPACES = "my laptop";
    private static final String ESCAPE = "\u001b[31mred";
    private static final String RELAY = "127.0.0.2";
    private static final Pattern READY = Pattern.compile(
            "dhcpcluster node 5 serving 198\\.18\\.0\\.0/16 on udp 127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern LOG_LINE = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S* [A-Z]+ +\\S+: .*");

    @Test
    @DisplayName("bug 3: hostile option 12 names are ACKed, stored without a host name and logged escaped; option 81 is stored")
    void aRunningNodeRefusesHostileNamesAndKeepsItsLogOneLinePerEvent(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Path stderr = dir.resolve("stderr.txt");
        Map<String, Optional<String>> stored = new TreeMap<>();
        Map<String, Optional<HostNameSent>> sent = new TreeMap<>();
        try (DatagramSocket relay = new DatagramSocket(new InetSocketAddress(RELAY, 0))) {
            relay.setSoTimeout(10_000);
            Path config = writeConfig(dir, data, relay.getLocalPort());
            Process node = new ProcessBuilder(JavaCommand.of(List.of(), "dev.dhcpcluster.bootstrap.Main",
                    List.of("--log-level", "DEBUG", "run", "--config", config.toString())))
                    .redirectError(stderr.toFile()).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
                String ready = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
                assertNotNull(ready, "no ready line; stderr: " + Files.readString(stderr));
                Matcher matcher = READY.matcher(ready);
                assertTrue(matcher.matches(), ready);
                InetSocketAddress server = new InetSocketAddress("127.0.0.1", Integer.parseInt(matcher.group(1)));

                bind(relay, server, 1, p -> p.withHostName(FORGED));
                bind(relay, server, 2, p -> p.withHostName(SPACES));
                bind(relay, server, 3, p -> p.withHostName(ESCAPE));
                bind(relay, server, 4, p -> p.withHostName("from-12").withOption(OptionCode.CLIENT_FQDN,
                        new byte[] {0x05, 0, 0, 6, 'l', 'a', 'p', 't', 'o', 'p', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e',
                            3, 'c', 'o', 'm', 0}));
                bind(relay, server, 5, p -> p.withHostName("printer-3"));

                node.destroy(); // SIGTERM: the node stops gracefully and lets go of its store.
                assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node did not stop on SIGTERM");
            } finally {
                node.destroyForcibly();
            }
            for (Lease lease : load(config)) {
                stored.put(lease.hardwareAddress().toString(), lease.hostname());
                sent.put(lease.hardwareAddress().toString(), lease.hostnameSent());
            }
        }

        assertEquals(Map.of(
                "02:00:00:00:00:01", Optional.empty(),
                "02:00:00:00:00:02", Optional.empty(),
                "02:00:00:00:00:03", Optional.empty(),
                "02:00:00:00:00:04", Optional.of("laptop.example.com"),
                "02:00:00:00:00:05", Optional.of("printer-3")), stored);
        assertEquals(Map.of(
                "02:00:00:00:00:01", Optional.of(HostNameSent.of(FORGED.getBytes(StandardCharsets.UTF_8))),
                "02:00:00:00:00:02", Optional.of(HostNameSent.ofLatin1(SPACES)),
                "02:00:00:00:00:03", Optional.of(HostNameSent.ofLatin1(ESCAPE)),
                "02:00:00:00:00:04", Optional.of(HostNameSent.ofLatin1("laptop.example.com.")),
                "02:00:00:00:00:05", Optional.of(HostNameSent.ofLatin1("printer-3"))), sent,
                "the store keeps every name as the client sent it, refused or not");
        String log = Files.readString(stderr, StandardCharsets.UTF_8);
        for (String line : log.split("\n", -1)) {
            if (!line.isEmpty()) {
                assertTrue(LOG_LINE.matcher(line).matches(), "every line is a whole log line:\n" + line + "\n\n" + log);
            }
        }
        assertFalse(log.contains("\u001b"), "no escape character reaches the terminal:\n" + log);
        assertTrue(log.contains("option 12 \"x\\n2030-01-01 INFO fake: node stopped\""), log);
        assertTrue(log.contains("option 12 \"my laptop\""), log);
        assertTrue(log.contains("option 12 \"\\x1B[31mred\""), log);
    }

    @Test
    @DisplayName("bug 3: leases prints one line per lease for a store an older version wrote with hostile host names")
    void leasesKeepsOneLinePerLeaseForHostileStoredNames(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Path config = writeConfig(dir, data, 6768);
        List<String> names = List.of(FORGED, SPACES, ESCAPE, "", "plain");
        LeaseStore store = StoreFiles.of(new ConfigLoader().load(config));
        try {
            assertEquals(List.of(), store.loadAll(), "a new store (loading opens it)");
            List<Lease> leases = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                HardwareAddress mac = HardwareAddress.parseEthernet("02:00:00:00:00:0" + (i + 1));
                leases.add(new Lease(Ipv4Address.parse("198.18.1." + (i + 1)), ClientKey.ofHardware(mac), mac,
                        Optional.of(names.get(i)), LeaseState.BOUND, Instant.parse("2030-01-01T00:00:00Z"),
                        new LeaseVersion(LeaseVersion.NO_EPOCH, 1, new NodeId(5))));
            }
            CompletableFuture<Void> written = new CompletableFuture<>();
            store.write(leases, new WriteCompletion() {
                @Override
                public void durable() {
                    written.complete(null);
                }

                @Override
                public void failed(LeaseStoreException cause) {
                    written.completeExceptionally(cause);
                }
            });
            written.get(30, TimeUnit.SECONDS);
        } finally {
            store.close();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int exit = DhcpclusterCommand.commandLine(new PrintWriter(out), new PrintWriter(err))
                .execute("leases", "--config", config.toString());

        assertEquals(0, exit, err.toString());
        List<String> lines = out.toString().lines().toList();
        assertEquals(1 + names.size(), lines.size(), out.toString());
        int fields = lines.get(0).split(" ").length;
        for (String line : lines.subList(1, lines.size())) {
            assertEquals(fields, line.split(" ", -1).length, "one field per column: " + line);
            assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f), "printable ASCII only: " + line);
        }
        assertTrue(lines.get(1).endsWith(" x\\n2030-01-01\\x20INFO\\x20fake:\\x20node\\x20stopped"), lines.get(1));
        assertTrue(lines.get(3).endsWith(" \\x1B[31mred"), lines.get(3));
        assertTrue(lines.get(4).endsWith(" \"\""), lines.get(4));
    }

    /** DISCOVER, then SELECTING REQUEST built by {@code request}, through the relay; asserts the ACK. */
    private static void bind(DatagramSocket relay, InetSocketAddress server, int client,
            UnaryOperator<TestPackets.Packet> request) throws Exception {
        String mac = "02:00:00:00:00:0" + client;
        send(relay, server, TestPackets.discover().withHardwareAddress(mac).withGiaddr(RELAY).withHops(1));
        DhcpMessage offer = receive(relay);
        assertEquals(Optional.of(DhcpMessageType.OFFER), offer.messageType());
        send(relay, server, request.apply(TestPackets.request().withHardwareAddress(mac).withGiaddr(RELAY).withHops(1)
                .withRequestedAddress(offer.yiaddr())
                .withServerIdentifier(offer.options().address(OptionCode.SERVER_IDENTIFIER).orElseThrow())));
        DhcpMessage ack = receive(relay);
        assertEquals(Optional.of(DhcpMessageType.ACK), ack.messageType(), "client " + client + " is served");
        assertEquals(offer.yiaddr(), ack.yiaddr());
    }

    private static void send(DatagramSocket relay, InetSocketAddress server, TestPackets.Packet packet) throws IOException {
        byte[] payload = packet.encode();
        relay.send(new DatagramPacket(payload, payload.length, server));
    }

    private static DhcpMessage receive(DatagramSocket relay) throws Exception {
        byte[] buffer = new byte[1500];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        relay.receive(packet);
        return DhcpCodec.decode(Arrays.copyOf(buffer, packet.getLength()));
    }

    private static Path writeConfig(Path dir, Path data, int relayPort) throws IOException {
        Path config = dir.resolve("node.json");
        Files.writeString(config, """
                {"node": {"id": 5, "data-directory": "%s"},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": 0, "relay-port": %d},
                 "admin": {"listen": "127.0.0.1:0"},
                 "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.1.1 - 198.18.1.200"}],
                                        "relay": {"ip-addresses": ["%s"]}}]}}
                """.formatted(data, relayPort, RELAY));
        return config;
    }

    private static List<Lease> load(Path config) throws Exception {
        NodeConfig node = new ConfigLoader().load(config);
        try (LeaseStore store = StoreFiles.of(node)) {
            return store.loadAll();
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            return null;
        }
    }
}
