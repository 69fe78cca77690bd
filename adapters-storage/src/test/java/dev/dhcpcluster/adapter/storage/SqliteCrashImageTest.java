package dev.dhcpcluster.adapter.storage;

import static dev.dhcpcluster.adapter.storage.StoreFixtures.lease;
import static dev.dhcpcluster.adapter.storage.StoreFixtures.peekString;
import static dev.dhcpcluster.adapter.storage.StoreFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.adapter.storage.StoreFixtures.ManualTime;
import dev.dhcpcluster.port.model.Lease;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files of a running store, copied as they are on disk (what a killed process leaves behind:
 * the database and its write-ahead log, never closed), open cleanly with every lease reported
 * durable.
 */
class SqliteCrashImageTest {

    @TempDir
    Path running;

    @TempDir
    Path crashed;

    private final List<SqliteLeaseStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(SqliteLeaseStore::close);
    }

    @Test
    void theFilesOfAStoreThatNeverClosedHoldEveryDurableLease() throws Exception {
        SqliteLeaseStore store = store(running.resolve("leases.db"));
        store.loadAll();
        List<Lease> acknowledged = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Lease lease = lease(i, 1);
            write(store, List.of(lease)).awaitDurable();
            acknowledged.add(lease);
        }
        assertTrue(Files.size(running.resolve("leases.db-wal")) > 0, "the leases are still in the log");

        SqliteGroupCommitTest.WriterHold hold = SqliteGroupCommitTest.WriterHold.on(store);
        Files.copy(running.resolve("leases.db"), crashed.resolve("leases.db"));
        Files.copy(running.resolve("leases.db-wal"), crashed.resolve("leases.db-wal"));
        hold.release();

        SqliteLeaseStore restarted = store(crashed.resolve("leases.db"));
        assertEquals(acknowledged, restarted.loadAll());
        assertEquals("ok", peekString(crashed.resolve("leases.db"), "PRAGMA integrity_check"));
    }

    private SqliteLeaseStore store(Path file) {
        SqliteLeaseStore store = new SqliteLeaseStore(file, new ManualTime(), new RecordingStoreEvents(),
                Duration.ofDays(1));
        stores.add(store);
        return store;
    }
}
