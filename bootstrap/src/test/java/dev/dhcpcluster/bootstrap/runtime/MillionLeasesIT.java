package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.adapter.storage.SqliteLeaseStore;
import dev.dhcpcluster.bootstrap.e2e.Poll;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.telemetry.StoreEvents;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node from the shipped jar, in a 256 MB heap, on a store of a million leases: it starts, serves
 * a new client and gives a client already in the store its own address back, and does not run out
 * of memory. It prints how long it took to serve; the 3 s target is measured by
 * {@code benchmarks/million-leases.sh}, not asserted here, where only a generous bound holds.
 * Everything runs on loopback: the leased addresses (127.64.0.0/11) are only numbers in the store.
 */
class MillionLeasesIT {

    private static final Path JAR = Path.of("target", "dhcpcluster.jar");
    static final int LEASES = 1_000_000;
    private static final Ipv4Address FIRST = Ipv4Address.parse("127.64.0.1");
    /** How long the node may take to serve: far above the target, so that only a broken start fails. */
    private static final Duration SERVING_BOUND = Duration.ofSeconds(60);
    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    @DisplayName("a node in -Xmx256m on a million stored leases serves, returning a stored client's own address")
    void nodeServesAMillionLeasesInA256MegabyteHeap() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "the package phase builds " + JAR.toAbsolutePath());
        Path data = dir.resolve("data");
        long generated = System.nanoTime();
        generateStore(data.resolve("leases.db"));
        System.out.printf("MillionLeasesIT: generated %,d leases in %.1f s%n", LEASES,
                (System.nanoTime() - generated) / 1e9);

        int serverPort = freePort("127.0.0.1");
        int relayPort = freePort("127.0.0.2");
        Path config = dir.resolve("node.json");
        Files.writeString(config, """
                {"node": {"id": 1, "data-directory": "%s"},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": %d, "relay-port": %d},
                 "admin": {"listen": "127.0.0.1:0"},
                 "Dhcp4": {"valid-lifetime": 86400,
                   "subnet4": [{"subnet": "127.64.0.0/11", "pools": [{"pool": "127.64.0.1 - 127.95.255.254"}],
                                "relay": {"ip-addresses": ["127.0.0.2"]}}]}}
                """.formatted(data, serverPort, relayPort));
        Path out = dir.resolve("node-out.txt");
        Path err = dir.resolve("node-err.txt");
        long launched = System.nanoTime();
        Process node = java(List.of("-Xmx256m", "-jar", JAR.toString(), "run", "--config", config.toString()), out, err);
        try {
            Poll.until(SERVING_BOUND, "the node's serving line", () -> {
                if (!node.isAlive()) {
                    throw new AssertionError("the node exited with " + node.exitValue() + ":\n" + read(out) + "\n"
                            + read(err));
                }
                return read(out).contains("serving") ? Optional.of(true) : Optional.empty();
            }, () -> "stdout:\n" + read(out) + "\nstderr:\n" + read(err));
            double servingSeconds = (System.nanoTime() - launched) / 1e9;
            System.out.printf("MillionLeasesIT: the node served %.2f s after its JVM was started (-Xmx256m, %,d leases)%n",
                    servingSeconds, LEASES);
            assertTrue(read(err).contains("loaded 1,000,000 leases") || read(err).contains("loaded 1000000 leases"),
                    read(err));

            // A client of the store, the 12,346th: its own address back, not a new one.
            int known = 12_345;
            Ipv4Address own = FIRST.plus(known);
            assertEquals(own, lease(1L + known, serverPort, relayPort), "a stored client gets its own address back");
            // A client the store does not know: a free address of the pool, none of the stored ones.
            Ipv4Address fresh = lease(5_000_000L, serverPort, relayPort);
            long offset = fresh.toUnsignedLong() - FIRST.toUnsignedLong();
            assertTrue(offset >= LEASES || offset < 0, "a new client gets an address nobody holds, not " + fresh);

            assertTrue(node.isAlive(), "the node still runs");
        } finally {
            node.destroy();
            assertTrue(node.waitFor(30, TimeUnit.SECONDS), "the node stops on SIGTERM");
        }
        assertFalse(read(err).contains("OutOfMemoryError") || read(out).contains("OutOfMemoryError"),
                "the node ran out of memory:\n" + read(err));
    }

    /** The address the jar's test client with hardware address number {@code mac} leases. */
    private Ipv4Address lease(long mac, int serverPort, int relayPort) throws IOException, InterruptedException {
        Path acks = dir.resolve("acks-" + mac + ".txt");
        Path out = dir.resolve("client-" + mac + "-out.txt");
        Path err = dir.resolve("client-" + mac + "-err.txt");
        Process client = java(List.of("-jar", JAR.toString(), "client", "--server", "127.0.0.1",
                "--server-port", Integer.toString(serverPort), "--bind", "127.0.0.2", "--port",
                Integer.toString(relayPort), "--first-mac", Long.toString(mac), "--count", "1",
                "--ack-log", acks.toString()), out, err);
        if (!client.waitFor(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new AssertionError("the client did not finish:\n" + read(out) + "\n" + read(err));
        }
        assertEquals(0, client.exitValue(), "client " + mac + ":\n" + read(out) + "\n" + read(err));
        // received address hardware-address lease-seconds expiry
        String[] fields = Files.readString(acks).trim().split(" ");
        return Ipv4Address.parse(fields[1]);
    }

    static Process java(List<String> arguments, Path out, Path err) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(arguments);
        return new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    static int freePort(String address) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address), 0))) {
            return socket.getLocalPort();
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /**
     * A store of {@link #LEASES} bound leases: lease {@code i} binds {@code FIRST + i} to the client
     * the test client plays with {@code --first-mac (1 + i)} (hardware address 02:00 and the number
     * in four octets), until a day from now; every fourth has a host name. The store creates the
     * file (its schema); the rows go in through one transaction on a plain connection without a
     * journal, as the schema in docs/lease-store.md describes them.
     */
    static void generateStore(Path file) throws Exception {
        try (SqliteLeaseStore store = new SqliteLeaseStore(file, System::currentTimeMillis, new StoreEvents() { },
                Duration.ofDays(1))) {
            store.loadAll();
        }
        Instant expiry = Instant.now().plus(Duration.ofDays(1));
        String expiryText = ISO_MILLIS.format(expiry);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement pragmas = connection.createStatement()) {
            pragmas.execute("PRAGMA journal_mode = OFF");
            pragmas.execute("PRAGMA synchronous = OFF");
            // Room for the table and its three indexes, so that the inserts do not spill pages to disk.
            pragmas.execute("PRAGMA cache_size = -262144");
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO lease (address_int, address, hw_type, hw_address, client_key, hostname, state,
                                       expiry_ms, expiry, epoch, counter, writer_node, hostname_sent)
                    VALUES (?, ?, 1, ?, ?, ?, 'bound', ?, ?, 0, 1, 1, ?)""")) {
                for (int i = 0; i < LEASES; i++) {
                    insertRow(insert, i, expiry.toEpochMilli(), expiryText);
                    if (i % 10_000 == 9_999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            connection.commit();
            connection.setAutoCommit(true);
            pragmas.execute("PRAGMA journal_mode = WAL");
        }
    }

    private static void insertRow(PreparedStatement insert, int i, long expiryMillis, String expiryText)
            throws SQLException {
        long mac = 1L + i;
        String hardware = String.format(Locale.ROOT, "02:00:%02x:%02x:%02x:%02x", mac >>> 24 & 0xFF, mac >>> 16 & 0xFF,
                mac >>> 8 & 0xFF, mac & 0xFF);
        Ipv4Address address = FIRST.plus(i);
        insert.setLong(1, address.toUnsignedLong());
        insert.setString(2, address.toString());
        insert.setString(3, hardware);
        insert.setString(4, "hw:01:" + hardware);
        boolean named = i % 4 == 0;
        insert.setString(5, named ? "host-" + i : null);
        insert.setLong(6, expiryMillis);
        insert.setString(7, expiryText);
        insert.setBytes(8, named ? ("host-" + i).getBytes(java.nio.charset.StandardCharsets.US_ASCII) : null);
        insert.addBatch();
    }
}
