package dev.dhcpcluster.bootstrap.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.Ipv4Prefix;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.testkit.ThreadScheduler;
import dev.dhcpcluster.testkit.client.ClientReport;
import dev.dhcpcluster.testkit.client.DhcpClient;
import dev.dhcpcluster.testkit.client.LoadSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dhcpcluster run} as its own process on loopback: it prints the ready line, serves a
 * relay-style client, and stops gracefully on SIGTERM; it refuses to start on a store file it
 * cannot read, with one line and an exit status, and leaves the file alone.
 */
class RunProcessTest {

    private static final Ipv4Address RELAY = Ipv4Address.parse("127.0.0.2");
    private static final Pattern READY = Pattern.compile(
            "dhcpcluster node 3 serving 198\\.18\\.0\\.0/16 on udp 127\\.0\\.0\\.1:(\\d+)");

    @Test
    void aNodeServesUntilSigtermAndThenStopsGracefully(@TempDir Path dir) throws Exception {
        try (ThreadScheduler loop = new ThreadScheduler("test-client");
                DhcpClient client = DhcpClient.open(new InetSocketAddress(RELAY.toString(), 0), loop, loop)) {
            Path config = dir.resolve("node.json");
            Files.writeString(config, """
                    {"node": {"id": 3},
                     "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": 0, "relay-port": %d},
                     "lease-store": {"type": "memory"},
                     "admin": {"enabled": false},
                     "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16",
                                            "pools": [{"pool": "198.18.1.1 - 198.18.1.200"}],
                                            "relay": {"ip-addresses": ["127.0.0.2"]}}]}}
                    """.formatted(client.localPort()));
            Path stderr = dir.resolve("stderr.txt");
            Process node = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "dev.dhcpcluster.bootstrap.Main",
                    "run", "--config", config.toString())
                    .redirectError(stderr.toFile())
                    .start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
                String ready = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
                assertNotNull(ready, "no ready line; stderr: " + Files.readString(stderr));
                Matcher matcher = READY.matcher(ready);
                assertTrue(matcher.matches(), ready);
                int port = Integer.parseInt(matcher.group(1));

                LoadSettings settings = new LoadSettings(20, 4, Duration.ofSeconds(1), 3, false, false,
                        Optional.of(Ipv4Prefix.parse("198.18.0.0/16")), 1, RELAY);
                ClientReport report = client.run(new InetSocketAddress("127.0.0.1", port), settings,
                        settings.longestRun());
                assertTrue(report.success(), String.join("\n", report.lines()));

                node.destroy(); // SIGTERM
                assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node did not stop on SIGTERM");
                assertEquals(143, node.exitValue(), "the exit status of a process ended by SIGTERM");
                assertTrue(Files.readString(stderr).contains("node 3 stopped"), Files.readString(stderr));
            } finally {
                node.destroyForcibly();
            }
        }
    }

    @Test
    void aStoreFileThatIsNotALeaseDatabaseStopsTheNodeAtStartAndIsLeftUntouched(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Path store = data.resolve("leases.db");
        byte[] garbage = new byte[8192];
        new SplittableRandom(3).nextBytes(garbage);
        Files.write(store, garbage);
        Path config = dir.resolve("node.json");
        Files.writeString(config, """
                {"node": {"id": 3, "data-directory": "%s"},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": 0, "relay-port": 6768},
                 "admin": {"listen": "127.0.0.1:0"},
                 "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.1.1 - 198.18.1.200"}],
                                        "relay": {"ip-addresses": ["127.0.0.2"]}}]}}
                """.formatted(data));
        Path stdout = dir.resolve("stdout.txt");
        Path stderr = dir.resolve("stderr.txt");

        Process node = runUntilItExits(config, stdout, stderr, "the node kept running on a file it cannot read");

        String errors = Files.readString(stderr);
        assertEquals(DhcpclusterCommand.FAILED, node.exitValue(), errors);
        assertTrue(errors.contains("node 3 did not start: lease store: " + store + " is not a lease database: it is "
                + "not an SQLite database file"), errors);
        assertFalse(errors.contains("Exception") || errors.contains("\tat "), "no stack trace for a refused file:\n" + errors);
        assertEquals("", Files.readString(stdout), "no ready line");
        assertArrayEquals(garbage, Files.readAllBytes(store), "the refused file is left as it was");
        try (Stream<Path> files = Files.list(data)) {
            assertEquals(List.of(store), files.toList(), "nothing created beside the refused file");
        }
    }

    @Test
    @DisplayName("a second node on an address and port another node holds refuses to start with one line and touches nothing")
    void aNodeWhosePortIsTakenRefusesToStartWithOneLine(@TempDir Path dir) throws Exception {
        try (DatagramSocket firstNode = new DatagramSocket(null)) {
            // As the first node's socket was until now: allowing address reuse, which let a second bind beside it.
            firstNode.setReuseAddress(true);
            firstNode.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = firstNode.getLocalPort();
            Path data = dir.resolve("data");
            Path config = dir.resolve("node.json");
            Files.writeString(config, """
                    {"node": {"id": 3, "data-directory": "%s"},
                     "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": %d, "relay-port": 6768},
                     "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.1.1 - 198.18.1.200"}],
                                            "relay": {"ip-addresses": ["127.0.0.2"]}}]}}
                    """.formatted(data, port));
            Path stdout = dir.resolve("stdout.txt");
            Path stderr = dir.resolve("stderr.txt");

            Process node = runUntilItExits(config, stdout, stderr, "the second node kept running on a taken port");

            List<String> errors = Files.readAllLines(stderr);
            assertEquals(DhcpclusterCommand.FAILED, node.exitValue(), String.join("\n", errors));
            assertEquals(List.of("node 3 did not start: transport: 127.0.0.1:" + port
                    + " is already in use by another process"), errors);
            assertEquals("", Files.readString(stdout), "no ready line");
            assertFalse(Files.exists(data), "no data directory, no lease store: the refused node touched nothing");
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    /** Runs {@code dhcpcluster run --config config} as a process that must exit on its own within a minute. */
    private static Process runUntilItExits(Path config, Path stdout, Path stderr, String stillRunning)
            throws Exception {
        Process node = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.dhcpcluster.bootstrap.Main",
                "run", "--config", config.toString())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            assertTrue(node.waitFor(60, TimeUnit.SECONDS), stillRunning);
        } finally {
            node.destroyForcibly();
        }
        return node;
    }
}
