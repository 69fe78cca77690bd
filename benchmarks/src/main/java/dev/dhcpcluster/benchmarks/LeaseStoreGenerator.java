package dev.dhcpcluster.benchmarks;

import dev.dhcpcluster.adapter.storage.SqliteLeaseStore;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.HostNameSent;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.telemetry.StoreEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes a SQLite lease store of many bound leases, for measuring a node's start and heap with a
 * large store ({@code benchmarks/million-leases.sh}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.dhcpcluster.benchmarks.LeaseStoreGenerator FILE COUNT FIRST-ADDRESS
 * </pre>
 *
 * Lease {@code i} binds {@code FIRST-ADDRESS + i} to the client that {@code dhcpcluster client
 * --first-mac (1 + i)} plays (hardware address {@code 02:00} followed by {@code 1 + i} in four
 * octets, no client identifier), until a day from now, written by node 1; every fourth lease has
 * a host name ({@code host-i}, as sent). The file must not exist yet. The store creates the file;
 * the rows go in through one transaction of plain inserts, which takes seconds where the store's
 * own durable write path would take most of a minute.
 */
public final class LeaseStoreGenerator {

    private LeaseStoreGenerator() {
    }

    /** Runs the generator; see the class comment for the arguments. */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: LeaseStoreGenerator FILE COUNT FIRST-ADDRESS");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        Ipv4Address first = Ipv4Address.parse(args[2]);
        if (Files.exists(file)) {
            System.err.println(file + " exists already; the generator writes a new store only");
            System.exit(2);
        }
        long started = System.nanoTime();
        write(file, count, first, Instant.now().plus(Duration.ofDays(1)));
        System.out.printf("wrote %d leases to %s in %.1f s%n", count, file, (System.nanoTime() - started) / 1e9);
    }

    /** Lease {@code i} of a generated store (see the class comment). */
    static Lease lease(int i, Ipv4Address first, Instant expiry) {
        long number = 1L + i;
        HardwareAddress hardware = HardwareAddress.ethernet(new byte[] {
            0x02, 0x00, (byte) (number >>> 24), (byte) (number >>> 16), (byte) (number >>> 8), (byte) number});
        boolean named = i % 4 == 0;
        return new Lease(first.plus(i), ClientKey.ofHardware(hardware), hardware,
                named ? Optional.of("host-" + i) : Optional.empty(), LeaseState.BOUND, expiry,
                LeaseVersion.first(LeaseVersion.NO_EPOCH, new NodeId(1)),
                named ? Optional.of(HostNameSent.ofLatin1("host-" + i)) : Optional.empty());
    }

    /**
     * Creates the store's file through the store itself (its schema, as a node creates it), then
     * fills its table in one transaction on a plain connection without a journal or syncs: a
     * generated file needs no crash safety, and the rows are the ones the store writes itself.
     */
    private static void write(Path file, int count, Ipv4Address first, Instant expiry)
            throws LeaseStoreException, SQLException {
        try (SqliteLeaseStore store = new SqliteLeaseStore(file, System::currentTimeMillis, new StoreEvents() { },
                Duration.ofDays(1))) {
            store.loadAll();
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
                Statement pragmas = connection.createStatement()) {
            pragmas.execute("PRAGMA journal_mode = OFF");
            pragmas.execute("PRAGMA synchronous = OFF");
            // Room for the table and its three indexes, so that the inserts do not spill pages to disk.
            pragmas.execute("PRAGMA cache_size = -262144");
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                for (int i = 0; i < count; i++) {
                    bind(insert, lease(i, first, expiry));
                    insert.addBatch();
                    if (i % 10_000 == 9_999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            connection.commit();
            connection.setAutoCommit(true);
            // The store runs in WAL mode; leave the file as it found it.
            pragmas.execute("PRAGMA journal_mode = WAL");
        }
    }

    /** A row of the store's {@code lease} table (schema version 3, {@code docs/lease-store.md}). */
    private static final String INSERT = """
            INSERT INTO lease (address_int, address, hw_type, hw_address, client_key, hostname, state,
                               expiry_ms, expiry, epoch, counter, writer_node, hostname_sent)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private static void bind(PreparedStatement insert, Lease lease) throws SQLException {
        insert.setLong(1, lease.address().toUnsignedLong());
        insert.setString(2, lease.address().toString());
        insert.setInt(3, lease.hardwareAddress().type());
        insert.setString(4, lease.hardwareAddress().toString());
        insert.setString(5, lease.clientKey().toString());
        insert.setString(6, lease.hostname().orElse(null));
        insert.setString(7, lease.state().name().toLowerCase(Locale.ROOT));
        insert.setLong(8, lease.expiry().toEpochMilli());
        insert.setString(9, ISO_MILLIS.format(lease.expiry()));
        insert.setLong(10, lease.version().epoch());
        insert.setLong(11, lease.version().counter());
        insert.setInt(12, lease.writer().value());
        insert.setBytes(13, lease.hostnameSent().map(HostNameSent::octets).orElse(null));
    }
}
