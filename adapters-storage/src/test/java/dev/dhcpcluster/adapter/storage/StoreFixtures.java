package dev.dhcpcluster.adapter.storage;


import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.RecordingCompletion;
import dev.dhcpcluster.port.time.Clock;
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

    /** A lease of {@code address(index)} to a client whose MAC is derived from the index. */
    static Lease lease(int index, long version, LeaseState state, long expiryMillis) {
        HardwareAddress mac = HardwareAddress.ethernet(new byte[] {2, 0, 0x5e, 0, (byte) (index >>> 8), (byte) index});
        return new Lease(address(index), ClientKey.ofHardware(mac), mac, Optional.of("host-" + index), state,
                Instant.ofEpochMilli(expiryMillis), new NodeId(1), version);
    }

    /** A bound lease of {@code address(index)} that expires an hour after {@link #START}. */
    static Lease lease(int index, long version) {
        return lease(index, version, LeaseState.BOUND, START + 3_600_000);
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
