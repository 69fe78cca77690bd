package dev.dhcpcluster.adapter.storage;

import static dev.dhcpcluster.adapter.storage.StoreFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.adapter.storage.StoreFixtures.ManualTime;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.testkit.contract.RecordingCompletion;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, made without root by capping the database's pages ({@code PRAGMA max_page_count})
 * on the store's own connection: the batch fails with its cause, nothing of it remains, and the
 * store recovers by itself once there is room again.
 */
class SqliteDiskFullTest {

    @TempDir
    Path directory;

    private final RecordingStoreEvents events = new RecordingStoreEvents();
    private SqliteLeaseStore store;

    @BeforeEach
    void open() throws Exception {
        store = new SqliteLeaseStore(directory.resolve("leases.db"), new ManualTime(), events, Duration.ofDays(1));
        store.loadAll();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aFullDiskFailsTheWholeBatchNamingTheCause() throws Exception {
        List<Lease> before = bulkyLeases(0, 10);
        write(store, before).awaitDurable();
        fillTheDisk();

        LeaseStoreException failure = write(store, bulkyLeases(10, 300)).awaitFailure();

        assertTrue(failure.getMessage().contains("full"), failure.getMessage());
        assertTrue(failure.getMessage().contains("could not commit 300 lease changes"), failure.getMessage());
        assertEquals(before, store.loadAll(), "the failed batch left nothing behind");
        assertEquals(1, events.failures().size());
        assertTrue(events.failures().get(0).cause().contains("full"), events.failures().get(0).cause());
    }

    @Test
    @DisplayName("a full disk fails the start-up check that the store can commit, naming the file and the cause")
    void aFullDiskFailsTheWritableCheck() throws Exception {
        List<Lease> before = bulkyLeases(0, 10);
        write(store, before).awaitDurable();
        fillTheDisk();

        LeaseStoreException failure = assertThrows(LeaseStoreException.class, store::checkWritable);

        assertTrue(failure.getMessage().startsWith(directory.resolve("leases.db") + " cannot commit a change: "),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("full"), failure.getMessage());
        assertEquals(before, store.loadAll(), "the check left nothing behind");
        roomAgain();
        store.checkWritable();
        assertEquals(before, store.loadAll());
    }

    @Test
    void everyWriteOfTheFailedTransactionIsToldAndNoneIsReportedDurable() throws Exception {
        fillTheDisk();
        SqliteGroupCommitTest.WriterHold hold = SqliteGroupCommitTest.WriterHold.on(store);
        List<RecordingCompletion> completions = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            completions.add(write(store, bulkyLeases(i * 10, 10)));
        }
        hold.release();

        for (RecordingCompletion completion : completions) {
            assertInstanceOf(LeaseStoreException.class, completion.awaitFailure());
            assertEquals(0, completion.durableCalls.get());
        }
    }

    @Test
    void theStoreRecoversWithoutARestartWhenThereIsRoomAgain() throws Exception {
        fillTheDisk();
        List<Lease> leases = bulkyLeases(0, 300);
        write(store, leases).awaitFailure();

        roomAgain();
        write(store, leases).awaitDurable();

        assertEquals(leases, store.loadAll());
        List<Object> reported = events.all();
        assertInstanceOf(RecordingStoreEvents.Failure.class, reported.get(reported.size() - 2));
        assertInstanceOf(RecordingStoreEvents.Commit.class, reported.get(reported.size() - 1));
    }

    private void roomAgain() throws Exception {
        store.runOnWriter(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA max_page_count = 1000000");
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /** Caps the database at the pages it has now: the next write that needs a page finds the disk full. */
    private void fillTheDisk() throws Exception {
        store.runOnWriter(connection -> {
            try (Statement statement = connection.createStatement()) {
                long pages;
                try (ResultSet result = statement.executeQuery("PRAGMA page_count")) {
                    result.next();
                    pages = result.getLong(1);
                }
                statement.execute("PRAGMA max_page_count = " + pages);
            }
        }).get(10, TimeUnit.SECONDS);
    }

    /** Leases with long host names: a few hundred need many new pages. */
    private static List<Lease> bulkyLeases(int first, int count) {
        List<Lease> leases = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            HardwareAddress mac = HardwareAddress.ethernet(new byte[] {2, 0, 0x5e, 1, (byte) (i >>> 8), (byte) i});
            leases.add(new Lease(StoreFixtures.address(i), ClientKey.ofHardware(mac), mac,
                    Optional.of("a-rather-long-host-name-".repeat(8) + i), LeaseState.BOUND,
                    Instant.ofEpochMilli(StoreFixtures.START + 3_600_000), StoreFixtures.version(1)));
        }
        return leases;
    }
}
