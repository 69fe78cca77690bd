package dev.dhcpcluster.bootstrap.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.e2e.JavaCommand;
import dev.dhcpcluster.bootstrap.e2e.LoopbackRelay;
import dev.dhcpcluster.bootstrap.e2e.Poll;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGHUP to a running {@code dhcpcluster run} process on loopback: the node reads its file again
 * and goes on serving. Clients behind a relay on 127.0.0.2 lease addresses, the test rewrites the
 * file and sends SIGHUP to the PID it started, and the clients renew: they see the new option, and
 * the store still holds every lease when the node stops.
 */
class ReloadProcessTest {

    private static final Pattern READY = Pattern.compile(
            "(?m)^dhcpcluster node 1 serving 198\\.18\\.0\\.0/24 on udp 127\\.0\\.0\\.1:(\\d+)$");
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String OLD_DNS = "198.18.0.3";
    private static final String NEW_DNS = "198.18.0.53";
    private static final String POOL = "198.18.0.10 - 198.18.0.99";

    @TempDir
    Path dir;
    private Path config;
    private Path stdout;
    private Path stderr;
    private LoopbackRelay relay;
    private Process node;

    @AfterEach
    void cleanUp() {
        if (node != null) {
            node.destroyForcibly();
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    @DisplayName("after SIGHUP a client's renewal carries the new option, and no lease is lost")
    void sighupReloadsTheFile() throws Exception {
        start();
        Map<HardwareAddress, Ipv4Address> leased = new LinkedHashMap<>();
        for (int n = 1; n <= 5; n++) {
            DhcpMessage ack = relay.lease(mac(n));
            assertDns(OLD_DNS, ack);
            leased.put(mac(n), ack.yiaddr());
        }

        write(NEW_DNS, POOL, 0);
        hangUpAndAwait("node 1 reloaded its config: 1 change");

        assertTrue(node.isAlive(), "SIGHUP must not stop the node:\n" + log());
        for (Map.Entry<HardwareAddress, Ipv4Address> client : leased.entrySet()) {
            DhcpMessage ack = relay.renew(client.getKey());
            assertEquals(client.getValue(), ack.yiaddr(), "the renewal keeps the address");
            assertDns(NEW_DNS, ack);
        }
        DhcpMessage newcomer = relay.lease(mac(6));
        assertDns(NEW_DNS, newcomer);
        leased.put(mac(6), newcomer.yiaddr());
        assertTrue(log().contains("reload: subnet 198.18.0.0/24: option domain-name-servers changed"), log());

        stopNode();
        Map<Ipv4Address, String> stored = storedLeases();
        for (Map.Entry<HardwareAddress, Ipv4Address> client : leased.entrySet()) {
            assertEquals("BOUND " + client.getKey(), stored.get(client.getValue()), "lease of " + client.getValue());
        }
        assertEquals(leased.size(), stored.size(), stored.toString());
    }

    @Test
    @DisplayName("after SIGHUP a broken file keeps the old config, naming the field; a new port needs a restart")
    void sighupWithABrokenFileAndAPortChange() throws Exception {
        int port = start();
        assertDns(OLD_DNS, relay.lease(mac(1)));

        write(NEW_DNS, "198.18.0.99 - 198.18.0.10", 0);
        hangUpAndAwait("node 1 kept its config: the file has 1 error: Dhcp4.subnet4[0].pools[0].pool: ");

        assertTrue(node.isAlive(), log());
        assertDns(OLD_DNS, relay.renew(mac(1)));

        write(NEW_DNS, POOL, port + 1);
        hangUpAndAwait("node 1 reloaded its config: 1 change");

        assertTrue(log().contains("reload: transport.listen-port changed; it takes effect after a restart"), log());
        assertDns(NEW_DNS, relay.renew(mac(1)));
        stopNode();
        assertFalse(log().contains("Exception"), "no stack trace:\n" + log());
    }

    // ---- the node process ----------------------------------------------------------------------

    /** Writes the file, starts the node on it and points the relay at it; the node's port. */
    private int start() throws IOException {
        relay = LoopbackRelay.open();
        config = dir.resolve("node.json");
        stdout = dir.resolve("stdout.txt");
        stderr = dir.resolve("stderr.txt");
        write(OLD_DNS, POOL, 0);
        List<String> argv = JavaCommand.of(List.of("-Xmx256m"), "dev.dhcpcluster.bootstrap.Main",
                List.of("run", "--config", config.toString()));
        node = new ProcessBuilder(argv).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        Matcher ready = Poll.until(TIMEOUT, "the ready line of pid " + node.pid(), () -> {
            Matcher matcher = READY.matcher(read(stdout));
            if (matcher.find()) {
                return Optional.of(matcher);
            }
            if (!node.isAlive()) {
                throw new AssertionError("the node exited with " + node.exitValue() + ":\n" + log());
            }
            return Optional.<Matcher>empty();
        }, this::log);
        int port = Integer.parseInt(ready.group(1));
        relay.forwardTo(new InetSocketAddress("127.0.0.1", port));
        return port;
    }

    /**
     * The node file: an SQLite store in the test's directory, a relay port the relay listens on,
     * one subnet with this pool and DNS server; {@code listenPort} 0 lets the system choose.
     */
    private void write(String dns, String pool, int listenPort) throws IOException {
        Files.writeString(config, """
                {"node": {"id": 1, "data-directory": "%s"},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": %d, "relay-port": %d},
                 "lease-store": {"type": "sqlite"},
                 "admin": {"listen": "127.0.0.1:0"},
                 "Dhcp4": {"valid-lifetime": 3600,
                           "subnet4": [{"subnet": "198.18.0.0/24", "pools": [{"pool": "%s"}],
                                        "relay": {"ip-addresses": ["%s"]},
                                        "option-data": [{"name": "domain-name-servers", "data": "%s"}]}]}}
                """.formatted(dir.resolve("data"), listenPort, relay.port(), pool, LoopbackRelay.ADDRESS, dns));
    }

    /** SIGHUP to the PID this test started; waits for one more log line containing {@code text}. */
    private void hangUpAndAwait(String text) throws Exception {
        int before = occurrences(text);
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(node.pid())).redirectErrorStream(true).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue(), new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        Poll.until(TIMEOUT, "'" + text + "' in the node's log after SIGHUP",
                () -> occurrences(text) > before ? Optional.of(true) : Optional.<Boolean>empty(), this::log);
    }

    private int occurrences(String text) {
        String log = log();
        int count = 0;
        for (int at = log.indexOf(text); at >= 0; at = log.indexOf(text, at + 1)) {
            count++;
        }
        return count;
    }

    /** SIGTERM to the node's PID; it stops gracefully. */
    private void stopNode() throws InterruptedException {
        node.destroy();
        assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node did not stop on SIGTERM");
        assertEquals(143, node.exitValue(), log());
    }

    /** The stored leases, as {@code dhcpcluster leases} prints them: address to "STATE hardware-address". */
    private Map<Ipv4Address, String> storedLeases() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DhcpclusterCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("leases", "--config", config.toString());
        assertEquals(0, code, err.toString());
        List<String> lines = new ArrayList<>(out.toString().lines().toList());
        lines.remove(0); // the header
        Map<Ipv4Address, String> leases = new LinkedHashMap<>();
        for (String line : lines) {
            String[] fields = line.split(" ");
            leases.put(Ipv4Address.parse(fields[0]), fields[1] + " " + fields[3]);
        }
        return leases;
    }

    private String log() {
        return read(stderr);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HardwareAddress mac(int n) {
        return HardwareAddress.parseEthernet(String.format("02:00:00:00:02:%02x", n));
    }

    private static void assertDns(String expected, DhcpMessage ack) {
        assertArrayEquals(Ipv4Address.parse(expected).toBytes(),
                ack.options().get(OptionCode.DOMAIN_NAME_SERVERS).orElseThrow(), "domain-name-servers");
    }
}
