package dev.dhcpcluster.bootstrap.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dhcpcluster.bootstrap.cli.DhcpclusterCommand;
import dev.dhcpcluster.bootstrap.e2e.JavaCommand;
import dev.dhcpcluster.bootstrap.e2e.Poll;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.testkit.client.Ack;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise, tested by killing: a node with the SQLite store serves a load from
 * {@code dhcpcluster client}, which logs every DHCPACK the moment it arrives; the node gets SIGKILL
 * at a random moment and starts again. After every kill, every lease the client saw acknowledged
 * must be in the store, bound to the same client, with an expiry no earlier than the client's,
 * and the store must open cleanly: for {@code dhcpcluster leases}, and for the node, which loads
 * exactly what is stored.
 *
 * <p>Each round runs a new client whose first hardware addresses are among the first of the
 * previous round, so those clients come back to their address and get it again with a later expiry:
 * a crash must lose neither new leases nor extended ones.
 *
 * <p>Everything runs on loopback with unprivileged ports, as real processes started from this JVM's
 * classpath, stopped by the PIDs they were started with. The kill moments come from a seeded
 * random source; the seed is printed, and {@code -Ddhcpcluster.crash.seed=N} replays the same
 * schedule ({@code -Ddhcpcluster.crash.rounds=N} changes the number of rounds).
 */
class SigkillCrashTest {

    private static final int ROUNDS = Integer.getInteger("dhcpcluster.crash.rounds", 12);
    private static final String MAIN = "dev.dhcpcluster.bootstrap.Main";
    private static final Ipv4Address RELAY = Ipv4Address.parse("127.0.0.2");
    private static final int CLIENTS_PER_ROUND = 5000;
    /**
     * Each round's clients start this many hardware addresses after the previous round's: a round
     * that got more ACKs than this before its kill leaves returning clients for the next.
     */
    private static final int CLIENT_SHIFT_PER_ROUND = 200;
    /** The node is killed this long at most after the client logged its first ACK of the round. */
    private static final int LONGEST_KILL_DELAY_MILLIS = 1200;
    private static final Duration LEASE_TIME = Duration.ofSeconds(3600);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern READY = Pattern.compile("(?m)^dhcpcluster node 1 serving .* on udp 127\\.0\\.0\\.1:(\\d+)$");
    private static final Pattern LOADED = Pattern.compile("node 1 loaded (\\d+) leases?");

    @Test
    void everyLeaseTheClientSawAckedSurvivesSigkillOfTheNode(@TempDir Path dir) throws Exception {
        long seed = Long.getLong("dhcpcluster.crash.seed", new SplittableRandom().nextLong());
        String replay = " (seed " + seed + "; replay with -Ddhcpcluster.crash.seed=" + seed + ")";
        System.out.println("crash test: " + ROUNDS + " rounds" + replay);
        SplittableRandom random = new SplittableRandom(seed);
        long started = System.nanoTime();

        int relayPort = freeUdpPort(RELAY);
        Path config = dir.resolve("node.json");
        Files.writeString(config, nodeFile(dir.resolve("data"), relayPort));
        Map<Ipv4Address, Ack> promised = new HashMap<>();
        int stored = 0;
        long acks = 0;
        long returning = 0;

        for (int round = 0; round < ROUNDS; round++) {
            String where = "round " + round + replay;
            Path nodeLog = dir.resolve("node-" + round + ".log");
            Path ackLog = dir.resolve("acks-" + round + ".log");
            Path clientLog = dir.resolve("client-" + round + ".log");
            Process node = start(List.of("run", "--config", config.toString()), nodeLog);
            Process client = null;
            try {
                Matcher ready = await(READY, nodeLog, node, where);
                int loaded = loadedLeases(nodeLog, where);
                // The restarted node loads exactly what the store held after the last kill.
                assertEquals(stored, loaded, "leases loaded at start, " + where);

                client = start(clientArguments(Integer.parseInt(ready.group(1)), relayPort, round, ackLog), clientLog);
                Process running = client;
                Poll.until(START_TIMEOUT, "the client's first ACK, " + where, () -> firstAckIn(ackLog, running, node),
                        () -> output(nodeLog) + output(clientLog));
                Thread.sleep(random.nextInt(LONGEST_KILL_DELAY_MILLIS)); // the random moment of the crash

                kill(node);
                // Only now the client: ACKs the node sent before it died may still be on their way to it.
                kill(client);
            } finally {
                node.destroyForcibly();
                if (client != null) {
                    client.destroyForcibly();
                }
            }

            List<Ack> seen = readAcks(ackLog);
            acks += seen.size();
            for (Ack ack : seen) {
                // A later ACK for an address supersedes an earlier one: the store must hold the later expiry.
                if (promised.put(ack.address(), ack) != null) {
                    returning++;
                }
            }
            Map<Ipv4Address, StoredLease> leases = readStore(config, where);
            for (Ack ack : promised.values()) {
                assertKept(ack, leases.get(ack.address()), where);
            }
            stored = leases.size();
            System.out.printf("round %d: %d ACKs seen, %d addresses promised so far, %d leases stored%n", round,
                    seen.size(), promised.size(), stored);
        }

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("crash test passed: %d rounds, %d ACKs (%d to returning clients), %d addresses, every one "
                + "kept, in %d s%s%n", ROUNDS, acks, returning, promised.size(), took.toSeconds(), replay);
        assertTrue(promised.size() > ROUNDS, "the load leased too little to test anything: " + promised.size());
    }

    private static void assertKept(Ack ack, StoredLease lease, String where) {
        if (lease == null) {
            fail("the client saw " + ack.address() + " ACKed (" + ack.toLine() + ") but the store lost it, " + where);
        }
        assertEquals(LeaseState.BOUND, lease.state(), ack.address() + ", " + where);
        assertEquals(ack.hardwareAddress(), lease.hardwareAddress(), ack.address() + ", " + where);
        // Exact: the node and the client read the same wall clock, and neither clock lags it
        // (WallClock), so the node, which handled the REQUEST after the client sent it, never
        // stores an earlier expiry than the client reckoned.
        assertTrue(!lease.expiry().isBefore(ack.expiry()),
                ack.address() + " is stored until " + lease.expiry() + ", but the client was promised "
                        + ack.expiry() + ", " + where);
    }

    // ---- the processes -----------------------------------------------------------------------

    private static Process start(List<String> arguments, Path log) throws IOException {
        List<String> argv = JavaCommand.of(List.of("-Xmx256m", "-XX:+UseSerialGC"), MAIN, arguments);
        return new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** SIGKILL, to the PID this test started, and wait for the process to be gone. */
    private static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "pid " + process.pid() + " survived SIGKILL");
    }

    private static List<String> clientArguments(int nodePort, int relayPort, int round, Path ackLog) {
        // The first clients of a round were served in the previous one: they come back.
        long firstMac = 1 + (long) round * CLIENT_SHIFT_PER_ROUND;
        return List.of("client", "--server", "127.0.0.1", "--server-port", Integer.toString(nodePort),
                "--bind", RELAY.toString(), "--port", Integer.toString(relayPort),
                "--count", Integer.toString(CLIENTS_PER_ROUND), "--concurrency", "32", "--timeout-ms", "500",
                "--retries", "2", "--first-mac", Long.toString(firstMac), "--expect-subnet", "198.18.0.0/16",
                "--ack-log", ackLog.toString());
    }

    private static Matcher await(Pattern pattern, Path log, Process process, String where) {
        return Poll.until(START_TIMEOUT, "/" + pattern + "/ from pid " + process.pid() + ", " + where, () -> {
            Matcher matcher = pattern.matcher(output(log));
            if (matcher.find()) {
                return Optional.of(matcher);
            }
            if (!process.isAlive()) {
                fail("pid " + process.pid() + " exited with " + process.exitValue() + ", " + where + ":\n" + output(log));
            }
            return Optional.empty();
        }, () -> output(log));
    }

    private static int loadedLeases(Path nodeLog, String where) {
        // The log line is written before the ready line is printed, but through an asynchronous appender.
        Matcher loaded = Poll.until(Duration.ofSeconds(10), "the node's 'loaded' line, " + where, () -> {
            Matcher matcher = LOADED.matcher(output(nodeLog));
            return matcher.find() ? Optional.of(matcher) : Optional.empty();
        }, () -> output(nodeLog));
        return Integer.parseInt(loaded.group(1));
    }

    private static Optional<Boolean> firstAckIn(Path ackLog, Process client, Process node) {
        try {
            if (Files.exists(ackLog) && Files.size(ackLog) > 0) {
                return Optional.of(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!client.isAlive() || !node.isAlive()) {
            fail("a process ended before the first ACK: client " + (client.isAlive() ? "running" : "exited")
                    + ", node " + (node.isAlive() ? "running" : "exited"));
        }
        return Optional.empty();
    }

    // ---- what the client saw and what the store holds ----------------------------------------

    private static List<Ack> readAcks(Path ackLog) throws IOException {
        List<Ack> acks = new ArrayList<>();
        // Each line was handed to the system in one write, so even a killed client leaves whole lines.
        for (String line : Files.readAllLines(ackLog, StandardCharsets.US_ASCII)) {
            acks.add(Ack.parse(line));
        }
        return acks;
    }

    /** A lease as {@code dhcpcluster leases} prints it. */
    private record StoredLease(Ipv4Address address, LeaseState state, Instant expiry, HardwareAddress hardwareAddress) {

        static StoredLease parse(String line) {
            String[] fields = line.split(" ", 8);
            return new StoredLease(Ipv4Address.parse(fields[0]), LeaseState.valueOf(fields[1]),
                    Instant.parse(fields[2]), HardwareAddress.parseEthernet(fields[3]));
        }
    }

    /** Reads the store through {@code dhcpcluster leases}, which opens it as the node does. */
    private static Map<Ipv4Address, StoredLease> readStore(Path config, String where) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = DhcpclusterCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("leases", "--config", config.toString());
        assertEquals(0, code, "the store did not open cleanly after the kill, " + where + ": " + err);
        List<String> lines = out.toString().lines().toList();
        assertEquals("address state expiry hardware-address client writer version hostname", lines.get(0));
        Map<Ipv4Address, StoredLease> leases = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            StoredLease lease = StoredLease.parse(line);
            leases.put(lease.address(), lease);
        }
        return leases;
    }

    // ---- setup -------------------------------------------------------------------------------

    private static String nodeFile(Path data, int relayPort) {
        return """
                {"node": {"id": 1, "data-directory": "%s"},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": 0, "relay-port": %d},
                 "lease-store": {"type": "sqlite"},
                 "admin": {"listen": "127.0.0.1:0"},
                 "Dhcp4": {"valid-lifetime": %d,
                           "subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.1.0 - 198.18.255.254"}],
                                        "relay": {"ip-addresses": ["%s"]}}]}}
                """.formatted(data, relayPort, LEASE_TIME.toSeconds(), RELAY);
    }

    private static int freeUdpPort(Ipv4Address address) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(address.toString(), 0))) {
            return socket.getLocalPort();
        }
    }

    private static String output(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
