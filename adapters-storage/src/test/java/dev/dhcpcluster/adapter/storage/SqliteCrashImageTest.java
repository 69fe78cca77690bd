package dev.dhcpcluster.adapter.storage;

import static dev.dhcpcluster.adapter.storage.StoreFixtures.lease;
import static dev.dhcpcluster.adapter.storage.StoreFixtures.peekLong;
import static dev.dhcpcluster.adapter.storage.StoreFixtures.peekString;
import static dev.dhcpcluster.adapter.storage.StoreFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.adapter.storage.StoreFixtures.ManualTime;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
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
            // Versions of every shape: a later epoch with a low counter, a writer other than node 1.
            Lease lease = lease(i, new LeaseVersion(i % 3, 1 + i % 5, new NodeId(1 + i % 4)), LeaseState.BOUND,
                    StoreFixtures.START + 3_600_000);
            write(store, List.of(lease)).awaitDurable();
            acknowledged.add(lease);
        }
        // Lower versions arriving late are acknowledged too, and change nothing.
        for (int i = 0; i < 100; i += 7) {
            Lease stale = lease(i, new LeaseVersion(0, 0, new NodeId(9)), LeaseState.RELEASED, StoreFixtures.START);
            write(store, List.of(stale)).awaitDurable();
        }
        assertTrue(Files.size(running.resolve("leases.db-wal")) > 0, "the leases are still in the log");

        crashCopy(store);

        SqliteLeaseStore restarted = store(crashed.resolve("leases.db"));
        assertEquals(acknowledged, restarted.loadAll());
        assertEquals("ok", peekString(crashed.resolve("leases.db"), "PRAGMA integrity_check"));
    }

    @Test
    void theFilesOfAStoreThatMigratedAVersion2FileAndNeverClosedHoldItsLeasesAtVersion3() throws Exception {
        Path file = running.resolve("leases.db");
        StoreFixtures.versionTwoFile(file, List.of(StoreFixtures.versionTwoRow(1, "bound", 2, 17, "NULL"),
                StoreFixtures.versionTwoRow(2, "bound", 3, 4, "NULL")));
        SqliteLeaseStore store = store(file);
        store.loadAll();
        Lease newer = lease(2, new LeaseVersion(1, 5, new NodeId(1)), LeaseState.RELEASED, StoreFixtures.START);
        write(store, List.of(newer)).awaitDurable();

        crashCopy(store);

        SqliteLeaseStore restarted = store(crashed.resolve("leases.db"));
        Lease migrated = lease(1, new LeaseVersion(0, 17, new NodeId(2)), LeaseState.BOUND,
                StoreFixtures.START + 3_600_000);
        assertEquals(List.of(migrated, newer), restarted.loadAll());
        assertEquals(3, peekLong(crashed.resolve("leases.db"), "PRAGMA user_version"));
        assertEquals("ok", peekString(crashed.resolve("leases.db"), "PRAGMA integrity_check"));
    }

    /** Copies the running store's database and log as a killed process would leave them, mid-run. */
    private void crashCopy(SqliteLeaseStore store) throws Exception {
        SqliteGroupCommitTest.WriterHold hold = SqliteGroupCommitTest.WriterHold.on(store);
        Files.copy(running.resolve("leases.db"), crashed.resolve("leases.db"));
        if (Files.exists(running.resolve("leases.db-wal"))) {
            Files.copy(running.resolve("leases.db-wal"), crashed.resolve("leases.db-wal"));
        }
        hold.release();
    }

    private SqliteLeaseStore store(Path file) {
        SqliteLeaseStore store = new SqliteLeaseStore(file, new ManualTime(), ClusterEvents.NONE,
                Duration.ofDays(1));
        stores.add(store);
        return store;
    }
}
