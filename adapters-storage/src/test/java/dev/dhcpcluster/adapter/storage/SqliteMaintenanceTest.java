package dev.dhcpcluster.adapter.storage;

import static dev.dhcpcluster.adapter.storage.StoreFixtures.START;
import static dev.dhcpcluster.adapter.storage.StoreFixtures.lease;
import static dev.dhcpcluster.adapter.storage.StoreFixtures.peekLong;
import static dev.dhcpcluster.adapter.storage.StoreFixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.adapter.storage.StoreFixtures.ManualTime;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leases long expired are deleted in the background, on the store's clock, and the files shrink. */
class SqliteMaintenanceTest {

    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final Duration RETENTION = Duration.ofDays(1);
    private static final Duration INTERVAL = Duration.ofMinutes(5);

    @TempDir
    Path directory;

    private final ManualTime time = new ManualTime();
    private final List<SqliteLeaseStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(SqliteLeaseStore::close);
    }

    @Test
    void leasesExpiredLongerThanTheRetentionAreDeletedOnceTheIntervalHasPassed() throws Exception {
        SqliteLeaseStore store = open(StoreTuning.DEFAULT.withMaintenanceInterval(INTERVAL));
        Lease longGone = lease(1, 3, LeaseState.EXPIRED, START - 2 * DAY);
        Lease recentlyReleased = lease(2, 5, LeaseState.RELEASED, START - HOUR);
        Lease bound = lease(3, 1, LeaseState.BOUND, START + HOUR);
        write(store, List.of(longGone, recentlyReleased, bound)).awaitDurable();
        assertEquals(List.of(longGone, recentlyReleased, bound), store.loadAll(), "not before the interval");

        time.advanceMillis(INTERVAL.toMillis());

        assertEquals(List.of(recentlyReleased, bound), store.loadAll(),
                "the lease that expired two days ago is gone; the one released an hour ago stays for its client");
        time.advanceMillis(DAY);
        assertEquals(List.of(bound), store.loadAll());
        time.advanceMillis(DAY);
        assertEquals(List.of(), store.loadAll(), "a bound lease too, a retention after its expiry");
    }

    @Test
    void leasesThatExpiredWhileTheNodeWasDownAreDeletedSoonAfterStart() throws Exception {
        SqliteLeaseStore first = open(StoreTuning.DEFAULT);
        Lease lease = lease(1, 1, LeaseState.BOUND, START + HOUR);
        write(first, List.of(lease)).awaitDurable();
        first.close();
        time.advanceMillis(3 * DAY);

        SqliteLeaseStore second = open(StoreTuning.DEFAULT, first.databaseFile());

        assertEquals(List.of(), second.loadAll(), "the writer's first turn cleans up");
    }

    @Test
    void deletingLeasesGivesTheirSpaceBackToTheFileSystem() throws Exception {
        SqliteLeaseStore store = open(StoreTuning.DEFAULT.withMaintenanceInterval(INTERVAL));
        Path file = store.databaseFile();
        write(store, bulkyLeases(3000, START - 2 * DAY)).awaitDurable();
        write(store, bulkyLeases(10, START + HOUR)).awaitDurable();
        long pagesBefore = peekLong(file, "PRAGMA page_count");

        time.advanceMillis(INTERVAL.toMillis());
        assertEquals(10, store.loadAll().size());

        long pagesAfter = peekLong(file, "PRAGMA page_count");
        assertTrue(pagesAfter * 10 < pagesBefore, "pages " + pagesBefore + " -> " + pagesAfter);
        assertEquals(0, peekLong(file, "PRAGMA freelist_count"), "free pages were given back");
        assertEquals(0, Files.size(file.resolveSibling(file.getFileName() + "-wal")),
                "the write-ahead log was checkpointed and truncated");
        assertEquals(pagesAfter * peekLong(file, "PRAGMA page_size"), Files.size(file),
                "the database file shrank to its pages");
    }

    @Test
    void aLargeCleanupIsDoneInChunksOverSeveralTurnsOfTheWriter() throws Exception {
        SqliteLeaseStore store = open(StoreTuning.DEFAULT.withMaintenanceInterval(INTERVAL).withCleanupChunk(100));
        Path file = store.databaseFile();
        write(store, bulkyLeases(3000, START - 2 * DAY)).awaitDurable();
        write(store, bulkyLeases(10, START + HOUR)).awaitDurable();
        time.advanceMillis(INTERVAL.toMillis());

        // Each read is one turn of the writer, and each turn does one more chunk of maintenance.
        int turns = 0;
        while (peekLong(file, "PRAGMA freelist_count") > 0 || turns == 0) {
            assertEquals(10, store.loadAll().size());
            turns++;
            assertTrue(turns < 10, "maintenance still not done after " + turns + " turns");
        }

        assertTrue(turns > 1, "a chunk of 100 pages cannot free a few hundred in one turn");
        assertEquals(0, Files.size(file.resolveSibling(file.getFileName() + "-wal")));
    }

    @Test
    void cleanupRunsWhileTheStoreIsIdle() throws Exception {
        SqliteLeaseStore store = open(StoreTuning.DEFAULT.withMaintenanceInterval(INTERVAL)
                .withIdleWait(Duration.ofMillis(10)));
        write(store, List.of(lease(1, 1, LeaseState.EXPIRED, START - 2 * DAY))).awaitDurable();

        time.advanceMillis(INTERVAL.toMillis());

        // Nothing calls the store now: the writer wakes up on its own, sees the clock, and cleans.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        long remaining;
        do {
            remaining = peekLong(store.databaseFile(), "SELECT count(*) FROM lease");
        } while (remaining > 0 && System.nanoTime() < deadline);
        assertEquals(0, remaining);
    }

    private SqliteLeaseStore open(StoreTuning tuning) throws Exception {
        return open(tuning, directory.resolve("leases.db"));
    }

    private SqliteLeaseStore open(StoreTuning tuning, Path file) throws Exception {
        SqliteLeaseStore store = new SqliteLeaseStore(file, time, ClusterEvents.NONE, RETENTION, tuning);
        stores.add(store);
        store.loadAll();
        return store;
    }

    private static List<Lease> bulkyLeases(int count, long expiryMillis) {
        List<Lease> leases = new ArrayList<>();
        int first = expiryMillis < START ? 0 : 10_000;
        for (int i = first; i < first + count; i++) {
            HardwareAddress mac = HardwareAddress.ethernet(new byte[] {2, 0, 0x5e, 2, (byte) (i >>> 8), (byte) i});
            leases.add(new Lease(StoreFixtures.address(i), ClientKey.ofHardware(mac), mac,
                    Optional.of("a-rather-long-host-name-".repeat(8) + i), LeaseState.RELEASED,
                    Instant.ofEpochMilli(expiryMillis), StoreFixtures.version(1)));
        }
        return leases;
    }
}
