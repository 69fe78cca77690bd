package dev.dhcpcluster.adapter.storage;


import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.testkit.contract.RecordingCompletion;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.sqlite.SQLiteConfig;

/** Leases, a virtual clock, completions to wait for, and a side look into a database file. */
final class StoreFixtures {

    /** 2023-11-14T22:13:20Z: where the virtual clock starts. */
    static final long START = 1_700_000_000_000L;

    private StoreFixtures() {
    }

    /** A clock that stands still until the test moves it. */
    static final class ManualTime implements Clock {
        private final AtomicLong now = new AtomicLong(START);

        @Override
        public long millis() {
            return now.get();
        }

        void advanceMillis(long millis) {
            now.addAndGet(millis);
        }
    }

    /** The address 198.18.x.y with x.y = {@code index}. */
    static Ipv4Address address(int index) {
        return Ipv4Address.of(Ipv4Address.parse("198.18.0.0").value() + index);
    }

    /** The version {@code counter} of node 1 alone: no epoch. */
    static LeaseVersion version(long counter) {
        return new LeaseVersion(LeaseVersion.NO_EPOCH, counter, new NodeId(1));
    }

    /** A lease of {@code address(index)} to a client whose MAC is derived from the index, written by node 1 alone. */
    static Lease lease(int index, long counter, LeaseState state, long expiryMillis) {
        return lease(index, version(counter), state, expiryMillis);
    }

    /** A lease of {@code address(index)} to a client whose MAC is derived from the index. */
    static Lease lease(int index, LeaseVersion version, LeaseState state, long expiryMillis) {
        HardwareAddress mac = HardwareAddress.ethernet(new byte[] {2, 0, 0x5e, 0, (byte) (index >>> 8), (byte) index});
        return new Lease(address(index), ClientKey.ofHardware(mac), mac, Optional.of("host-" + index), state,
                Instant.ofEpochMilli(expiryMillis), version);
    }

    /** A bound lease of {@code address(index)}, written by node 1 alone, that expires an hour after {@link #START}. */
    static Lease lease(int index, long counter) {
        return lease(index, counter, LeaseState.BOUND, START + 3_600_000);
    }

    /**
     * A file of schema version 2, as the node wrote it before versions had epochs, holding the
     * given rows ({@link #versionTwoRow}), and closed.
     */
    static void versionTwoFile(Path file, List<String> rows) throws SQLException {
        try (Connection connection = new SQLiteConfig().createConnection(SqliteLeaseStore.url(file));
                Statement statement = connection.createStatement()) {
            new Schema(Schema.CURRENT.migrations().subList(0, 2)).migrate(connection, 0);
            for (String row : rows) {
                statement.execute("INSERT INTO lease (address_int, address, hw_type, hw_address, client_key, hostname, "
                        + "state, expiry_ms, expiry, owner_node, version, hostname_sent) VALUES " + row);
            }
        }
    }

    /** The values of a version 2 row for {@code lease(index, ...)}, as that version wrote them. */
    static String versionTwoRow(int index, String state, int ownerNode, long version, String hostnameSentSql) {
        Lease lease = lease(index, 1);
        return "(" + lease.address().toUnsignedLong() + ", '" + lease.address() + "', 1, '" + lease.hardwareAddress()
                + "', '" + lease.clientKey() + "', 'host-" + index + "', '" + state + "', " + lease.expiry().toEpochMilli()
                + ", '2023-11-14T23:13:20.000Z', " + ownerNode + ", " + version + ", " + hostnameSentSql + ")";
    }

    /** Writes and waits for the outcome. */
    static RecordingCompletion write(LeaseStore store, List<Lease> batch) {
        RecordingCompletion completion = new RecordingCompletion();
        store.write(batch, completion);
        return completion;
    }

    /** Runs one query on a read-only connection of its own, as an operator's shell would. */
    static <T> T peek(Path file, SqlQuery<T> query) throws SQLException {
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        try (Connection connection = readOnly.createConnection(SqliteLeaseStore.url(file));
                Statement statement = connection.createStatement()) {
            return query.run(statement);
        }
    }

    /** The first column of the first row of {@code sql}, as a long. */
    static long peekLong(Path file, String sql) throws SQLException {
        return peek(file, statement -> {
            try (ResultSet result = statement.executeQuery(sql)) {
                return result.next() ? result.getLong(1) : -1;
            }
        });
    }

    /** The first column of the first row of {@code sql}, as text. */
    static String peekString(Path file, String sql) throws SQLException {
        return peek(file, statement -> {
            try (ResultSet result = statement.executeQuery(sql)) {
                return result.next() ? result.getString(1) : null;
            }
        });
    }

    /** Work on a side connection. */
    @FunctionalInterface
    interface SqlQuery<T> {
        T run(Statement statement) throws SQLException;
    }
}
