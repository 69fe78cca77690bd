package dev.dhcpcluster.adapter.storage;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import dev.dhcpcluster.port.time.Clock;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
    static Completion write(LeaseStore store, List<Lease> batch) {
        Completion completion = new Completion();
        store.write(batch, completion);
        return completion;
    }

    /** Records the outcome of a write; lets a test wait for it. */
    static final class Completion implements WriteCompletion {
        final AtomicInteger durableCalls = new AtomicInteger();
        final AtomicInteger failedCalls = new AtomicInteger();
        final AtomicReference<LeaseStoreException> failure = new AtomicReference<>();
        private final CountDownLatch reported = new CountDownLatch(1);

        @Override
        public void durable() {
            durableCalls.incrementAndGet();
            reported.countDown();
        }

        @Override
        public void failed(LeaseStoreException cause) {
            failure.compareAndSet(null, cause);
            failedCalls.incrementAndGet();
            reported.countDown();
        }

        Completion await() throws InterruptedException {
            assertTrue(reported.await(10, TimeUnit.SECONDS), "the store reported nothing within 10 s");
            return this;
        }

        /** Waits, and fails the test with the store's reason unless the write is durable. */
        void awaitDurable() throws InterruptedException {
            await();
            if (failure.get() != null) {
                throw new AssertionError("the write failed", failure.get());
            }
        }

        /** Waits, fails the test if the write is durable, and returns why it failed. */
        LeaseStoreException awaitFailure() throws InterruptedException {
            await();
            if (failure.get() == null) {
                throw new AssertionError("the write was reported durable; expected a failure");
            }
            return failure.get();
        }
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
