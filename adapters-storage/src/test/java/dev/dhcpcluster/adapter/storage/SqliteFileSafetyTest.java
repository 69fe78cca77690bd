package dev.dhcpcluster.adapter.storage;

import static dev.dhcpcluster.adapter.storage.StoreFixtures.lease;
import static dev.dhcpcluster.adapter.storage.StoreFixtures.peekLong;
import static dev.dhcpcluster.adapter.storage.StoreFixtures.peekString;
import static dev.dhcpcluster.adapter.storage.StoreFixtures.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.adapter.storage.StoreFixtures.ManualTime;
import dev.dhcpcluster.port.model.HostNameSent;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/**
 * What the store does with the file it is given: a file it cannot trust is refused, with a
 * message that says why, and left exactly as it was; a good file is created, checked and
 * migrated.
 */
class SqliteFileSafetyTest {

    @TempDir
    Path directory;

    private final List<SqliteLeaseStore> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(SqliteLeaseStore::close);
    }

    @Test
    void aFileThatIsNotSqliteIsRefusedAndLeftUntouched() throws Exception {
        Path file = directory.resolve("leases.db");
        Files.writeString(file, "198.18.0.10 02:00:5e:10:00:01 bound\n".repeat(200));
        Snapshot before = Snapshot.of(directory);

        LeaseStoreException refused = assertThrows(LeaseStoreException.class, () -> store(file).loadAll());

        assertEquals(file + " is not a lease database: it is not an SQLite database file (its first bytes are not "
                + "\"SQLite format 3\"); refusing to touch it", refused.getMessage());
        before.assertUnchanged();
    }

    @Test
    void aCorruptDatabaseIsRefusedAndLeftUntouched() throws Exception {
        Path file = directory.resolve("leases.db");
        fillAndClose(file, 500);
        corruptPagesAfterTheFirst(file);
        Snapshot before = Snapshot.of(directory);

        LeaseStoreException refused = assertThrows(LeaseStoreException.class, () -> store(file).loadAll());

        assertTrue(refused.getMessage().startsWith(file + " is corrupt: "), refused.getMessage());
        assertTrue(refused.getMessage().contains("refusing to touch it"), refused.getMessage());
        before.assertUnchanged();
    }

    @Test
    void aDatabaseOfANewerSchemaIsRefusedAndLeftUntouched() throws Exception {
        Path file = directory.resolve("leases.db");
        handMade(file, Schema.APPLICATION_ID, 7, "CREATE TABLE lease (address_int INTEGER PRIMARY KEY, tomorrow TEXT)");
        Snapshot before = Snapshot.of(directory);

        LeaseStoreException refused = assertThrows(LeaseStoreException.class, () -> store(file).loadAll());

        assertEquals(file + " has schema version 7, newer than this dhcpcluster (" + Schema.CURRENT.latestVersion()
                + "); refusing to touch it", refused.getMessage());
        before.assertUnchanged();
    }

    @Test
    void anotherApplicationsDatabaseIsRefusedAndLeftUntouched() throws Exception {
        Path file = directory.resolve("leases.db");
        handMade(file, 0, 0, "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)");
        Snapshot before = Snapshot.of(directory);

        LeaseStoreException refused = assertThrows(LeaseStoreException.class, () -> store(file).loadAll());

        assertTrue(refused.getMessage().startsWith(file + " is not a lease database: it is an SQLite database with "
                + "tables but no dhcpcluster schema version"), refused.getMessage());
        before.assertUnchanged();
    }

    @Test
    void aDatabaseMarkedByAnotherApplicationIsRefused() throws Exception {
        Path file = directory.resolve("leases.db");
        handMade(file, 0x12345678, 1, "CREATE TABLE lease (address_int INTEGER PRIMARY KEY)");
        Snapshot before = Snapshot.of(directory);

        LeaseStoreException refused = assertThrows(LeaseStoreException.class, () -> store(file).loadAll());

        assertTrue(refused.getMessage().contains("application_id is 0x12345678"), refused.getMessage());
        before.assertUnchanged();
    }

    @Test
    void aRefusedStoreAcceptsNoWrites() throws Exception {
        Path file = directory.resolve("leases.db");
        Files.writeString(file, "not a database");
        SqliteLeaseStore store = store(file);
        assertThrows(LeaseStoreException.class, store::loadAll);

        LeaseStoreException failure = write(store, List.of(lease(1, 1))).awaitFailure();

        assertTrue(failure.getMessage().contains("not open"), failure.getMessage());
        assertEquals("not a database", Files.readString(file));
    }

    @Test
    void aNewDatabaseHasTheCurrentSchemaInWalModeWithIncrementalVacuum() throws Exception {
        Path file = directory.resolve("leases.db");
        store(file).loadAll();

        assertEquals(3, peekLong(file, "PRAGMA user_version"));
        assertEquals(Schema.APPLICATION_ID, peekLong(file, "PRAGMA application_id"));
        assertEquals("wal", peekString(file, "PRAGMA journal_mode"));
        assertEquals(2, peekLong(file, "PRAGMA auto_vacuum"), "2 = incremental");
        assertEquals("lease,lease_by_address,lease_by_expiry,lease_by_hw_address",
                peekString(file, "SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema "
                        + "WHERE name NOT LIKE 'sqlite_%' ORDER BY name)"));
    }

    @Test
    void anEmptyFileBecomesANewDatabase() throws Exception {
        Path file = directory.resolve("leases.db");
        Files.createFile(file);
        SqliteLeaseStore store = store(file);

        assertEquals(List.of(), store.loadAll());
        write(store, List.of(lease(1, 1))).awaitDurable();

        assertEquals(List.of(lease(1, 1)), store.loadAll());
    }

    @Test
    void aMissingDirectoryIsCreated() throws Exception {
        Path file = directory.resolve("no-such-directory").resolve("leases.db");

        try (SqliteLeaseStore store = store(file)) {
            assertEquals(List.of(), store.loadAll());
        }

        assertTrue(Files.isRegularFile(file), "the store made its directory and its file");
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsNamed() throws Exception {
        Path blocker = Files.writeString(directory.resolve("a-file"), "not a directory");
        Path file = blocker.resolve("leases.db");

        LeaseStoreException refused = assertThrows(LeaseStoreException.class, () -> store(file).loadAll());

        assertTrue(refused.getMessage().contains("its directory " + blocker + " cannot be created"),
                refused.getMessage());
    }

    @Test
    void anOlderSchemaIsMigratedInOneStepAndKeepsItsLeases() throws Exception {
        Path file = directory.resolve("leases.db");
        List<Lease> leases = fillAndClose(file, 20);
        int latest = Schema.CURRENT.latestVersion();
        Schema next = withMigration(new Schema.Migration(latest + 1, "index by client",
                List.of("CREATE INDEX lease_by_client_key ON lease (client_key)",
                        "ALTER TABLE lease ADD COLUMN note TEXT")));

        SqliteLeaseStore upgraded = store(file, next);

        assertEquals(leases, upgraded.loadAll());
        assertEquals(latest + 1, peekLong(file, "PRAGMA user_version"));
        assertEquals(1, peekLong(file, "SELECT count(*) FROM sqlite_schema WHERE name = 'lease_by_client_key'"));
        write(upgraded, List.of(lease(100, 1))).awaitDurable();
        assertEquals(21, upgraded.loadAll().size());
    }

    @Test
    void aMigrationThatFailsLeavesTheFileAtItsOldVersion() throws Exception {
        Path file = directory.resolve("leases.db");
        List<Lease> leases = fillAndClose(file, 20);
        int latest = Schema.CURRENT.latestVersion();
        Schema broken = withMigration(new Schema.Migration(latest + 1, "half a change",
                List.of("CREATE TABLE extra (x INTEGER)", "ALTER TABLE no_such_table ADD COLUMN y TEXT")));

        LeaseStoreException refused = assertThrows(LeaseStoreException.class, () -> store(file, broken).loadAll());

        assertTrue(refused.getMessage().contains("migration to schema version " + (latest + 1) + " (half a change) failed"),
                refused.getMessage());
        assertEquals(latest, peekLong(file, "PRAGMA user_version"));
        assertEquals(0, peekLong(file, "SELECT count(*) FROM sqlite_schema WHERE name = 'extra'"),
                "nothing of the failed migration remains");
        assertEquals(leases, store(file).loadAll());
    }

    @Test
    void aVersion1FileIsMigratedToTheCurrentSchemaAndItsLeasesLoadWithNoHostNameSent() throws Exception {
        Path file = directory.resolve("leases.db");
        Lease old = lease(7, 3);
        try (Connection connection = new SQLiteConfig().createConnection(SqliteLeaseStore.url(file));
                Statement statement = connection.createStatement()) {
            new Schema(List.of(Schema.CURRENT.migrations().get(0))).migrate(connection, 0);
            // A row as version 1 wrote it.
            statement.execute("INSERT INTO lease (address_int, address, hw_type, hw_address, client_key, hostname, state, "
                    + "expiry_ms, expiry, owner_node, version) VALUES (" + old.address().toUnsignedLong() + ", '"
                    + old.address() + "', 1, '" + old.hardwareAddress() + "', '" + old.clientKey() + "', 'host-7', "
                    + "'bound', " + old.expiry().toEpochMilli() + ", '2023-11-14T23:13:20.000Z', 1, 3)");
        }
        assertEquals(1, peekLong(file, "PRAGMA user_version"));

        SqliteLeaseStore upgraded = store(file);

        assertEquals(List.of(old), upgraded.loadAll());
        assertEquals(Optional.empty(), upgraded.loadAll().get(0).hostnameSent());
        assertEquals(3, peekLong(file, "PRAGMA user_version"));
        byte[] sent = {'h', '\n', 0x1b, 0, (byte) 0xff};
        Lease renewed = new Lease(old.address(), old.clientKey(), old.hardwareAddress(), Optional.empty(), old.state(),
                old.expiry(), StoreFixtures.version(4), Optional.of(HostNameSent.of(sent)));
        write(upgraded, List.of(renewed)).awaitDurable();
        assertEquals(List.of(renewed), upgraded.loadAll());
        assertEquals("680A1B00FF", peekString(file, "SELECT hex(hostname_sent) FROM lease WHERE address = '198.18.0.7'"),
                "the column holds the octets, as docs/lease-store.md shows them");
    }

    @Test
    @DisplayName("a version 2 file migrates to 3: its version becomes the counter, in no epoch, written by its owner_node")
    void aVersion2FileIsMigratedToVersion3() throws Exception {
        Path file = directory.resolve("leases.db");
        byte[] sent = {'p', 'c', '\n', (byte) 0xff};
        StoreFixtures.versionTwoFile(file, List.of(
                StoreFixtures.versionTwoRow(7, "bound", 2, 17, "X'" + HexFormat.of().formatHex(sent) + "'"),
                StoreFixtures.versionTwoRow(8, "released", 3, 1, "NULL")));
        assertEquals(2, peekLong(file, "PRAGMA user_version"));

        SqliteLeaseStore upgraded = store(file);
        List<Lease> loaded = upgraded.loadAll();

        assertEquals(3, peekLong(file, "PRAGMA user_version"));
        assertEquals(List.of(
                new Lease(lease(7, 1).address(), lease(7, 1).clientKey(), lease(7, 1).hardwareAddress(),
                        Optional.of("host-7"), LeaseState.BOUND, lease(7, 1).expiry(),
                        new LeaseVersion(LeaseVersion.NO_EPOCH, 17, new NodeId(2)), Optional.of(HostNameSent.of(sent))),
                new Lease(lease(8, 1).address(), lease(8, 1).clientKey(), lease(8, 1).hardwareAddress(),
                        Optional.of("host-8"), LeaseState.RELEASED, lease(8, 1).expiry(),
                        new LeaseVersion(LeaseVersion.NO_EPOCH, 1, new NodeId(3)))), loaded);
        assertEquals("address_int,address,hw_type,hw_address,client_key,hostname,state,expiry_ms,expiry,epoch,counter,"
                + "writer_node,hostname_sent",
                peekString(file, "SELECT group_concat(name) FROM pragma_table_info('lease')"));
        assertEquals("lease,lease_by_address,lease_by_expiry,lease_by_hw_address",
                peekString(file, "SELECT group_concat(name) FROM (SELECT name FROM sqlite_schema "
                        + "WHERE name NOT LIKE 'sqlite_%' ORDER BY name)"), "the same indexes, and no table left over");
        assertEquals("ok", peekString(file, "PRAGMA integrity_check"));
    }

    @Test
    @DisplayName("after the migration to 3 the store keeps the highest version of the new order, not the last written")
    void aMigratedFileKeepsTheHighestVersion() throws Exception {
        Path file = directory.resolve("leases.db");
        StoreFixtures.versionTwoFile(file, List.of(StoreFixtures.versionTwoRow(7, "bound", 2, 17, "NULL")));
        SqliteLeaseStore upgraded = store(file);
        upgraded.loadAll();
        Lease laterEpoch = lease(7, new LeaseVersion(1, 3, new NodeId(1)), LeaseState.RELEASED, StoreFixtures.START);

        write(upgraded, List.of(lease(7, new LeaseVersion(0, 16, new NodeId(3)), LeaseState.EXPIRED,
                StoreFixtures.START))).awaitDurable();
        assertEquals(new LeaseVersion(0, 17, new NodeId(2)), upgraded.loadAll().get(0).version(),
                "a lower counter is ignored");
        write(upgraded, List.of(laterEpoch)).awaitDurable();
        write(upgraded, List.of(lease(7, new LeaseVersion(0, 99, new NodeId(2)), LeaseState.BOUND,
                StoreFixtures.START))).awaitDurable();

        assertEquals(List.of(laterEpoch), upgraded.loadAll());
        upgraded.close();
        assertEquals(List.of(laterEpoch), store(file).loadAll());
        assertEquals("1 3 1", peekString(file, "SELECT epoch || ' ' || counter || ' ' || writer_node FROM lease"));
    }

    @Test
    @DisplayName("a version 2 file whose upgrade fails later on is left at version 2, with its old table, "
            + "and migrates next time")
    void aFailedUpgradeOfAVersion2FileLeavesItAtVersion2() throws Exception {
        Path file = directory.resolve("leases.db");
        StoreFixtures.versionTwoFile(file, List.of(StoreFixtures.versionTwoRow(7, "bound", 2, 17, "NULL")));
        // Migration 3 runs, then a later one fails: the whole upgrade must go, migration 3 with it.
        Schema broken = withMigration(new Schema.Migration(Schema.CURRENT.latestVersion() + 1, "half a change",
                List.of("ALTER TABLE no_such_table ADD COLUMN y TEXT")));

        assertThrows(LeaseStoreException.class, () -> store(file, broken).loadAll());

        assertEquals(2, peekLong(file, "PRAGMA user_version"));
        assertEquals(1, peekLong(file, "SELECT count(*) FROM pragma_table_info('lease') WHERE name = 'owner_node'"));
        assertEquals(0, peekLong(file, "SELECT count(*) FROM sqlite_schema WHERE name = 'lease_v3'"));
        assertEquals(new LeaseVersion(0, 17, new NodeId(2)), store(file).loadAll().get(0).version());
        assertEquals(3, peekLong(file, "PRAGMA user_version"));
    }

    @Test
    void aRowEditedIntoNonsenseIsNamedAtStart() throws Exception {
        Path file = directory.resolve("leases.db");
        fillAndClose(file, 3);
        try (Connection connection = new SQLiteConfig().createConnection(SqliteLeaseStore.url(file));
                Statement statement = connection.createStatement()) {
            statement.execute("UPDATE lease SET client_key = 'hw:zz' WHERE address = '198.18.0.2'");
        }

        LeaseStoreException refused = assertThrows(LeaseStoreException.class, () -> store(file).loadAll());

        assertTrue(refused.getMessage().contains("the row of 198.18.0.2: client_key \"zz\""), refused.getMessage());
    }

    @Test
    void operatorsFindLeasesByAddressByMacAndByExpiryWithPlainSql() throws Exception {
        Path file = directory.resolve("leases.db");
        fillAndClose(file, 50);

        // The queries of docs/lease-store.md.
        assertEquals("02:00:5e:00:00:07", peekString(file,
                "SELECT hw_address FROM lease WHERE address = '198.18.0.7'"));
        assertEquals("198.18.0.7", peekString(file,
                "SELECT address FROM lease WHERE hw_address = '02:00:5E:00:00:07'"));
        assertEquals(50, peekLong(file, "SELECT count(*) FROM lease "
                + "WHERE state = 'bound' AND expiry_ms > 1700000000000 ORDER BY expiry_ms"));
        assertEquals("2023-11-14T23:13:20.000Z", peekString(file,
                "SELECT expiry FROM lease WHERE address_int = " + StoreFixtures.address(7).toUnsignedLong()));
        assertEquals("hw:01:02:00:5e:00:00:07", peekString(file,
                "SELECT client_key FROM lease WHERE address = '198.18.0.7'"));
        assertTrue(usesIndex(file, "SELECT * FROM lease WHERE address = '198.18.0.7'", "lease_by_address"));
        assertTrue(usesIndex(file, "SELECT * FROM lease WHERE hw_address = '02:00:5E:00:00:07'", "lease_by_hw_address"));
        assertTrue(usesIndex(file, "SELECT * FROM lease WHERE expiry_ms < 1700000000000", "lease_by_expiry"));
    }

    private static boolean usesIndex(Path file, String query, String index) throws SQLException {
        String plan = StoreFixtures.peek(file, statement -> {
            StringBuilder details = new StringBuilder();
            try (var rows = statement.executeQuery("EXPLAIN QUERY PLAN " + query)) {
                while (rows.next()) {
                    details.append(rows.getString("detail")).append('\n');
                }
            }
            return details.toString();
        });
        return plan.contains(index);
    }

    private List<Lease> fillAndClose(Path file, int count) throws Exception {
        SqliteLeaseStore store = store(file);
        store.loadAll();
        List<Lease> leases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leases.add(lease(i, 1));
        }
        write(store, leases).awaitDurable();
        store.close();
        return leases;
    }

    /** The current schema and one more migration, as a later version of the node would have it. */
    private static Schema withMigration(Schema.Migration next) {
        List<Schema.Migration> migrations = new ArrayList<>(Schema.CURRENT.migrations());
        migrations.add(next);
        return new Schema(migrations);
    }

    private SqliteLeaseStore store(Path file) {
        return store(file, Schema.CURRENT);
    }

    private SqliteLeaseStore store(Path file, Schema schema) {
        SqliteLeaseStore store = new SqliteLeaseStore(file, new ManualTime(), ClusterEvents.NONE,
                Duration.ofDays(1), StoreTuning.DEFAULT.withSchema(schema));
        stores.add(store);
        return store;
    }

    /** An SQLite file made with the given identity, as another program or a later version would. */
    private static void handMade(Path file, int applicationId, int userVersion, String table) throws SQLException {
        try (Connection connection = new SQLiteConfig().createConnection(SqliteLeaseStore.url(file));
                Statement statement = connection.createStatement()) {
            statement.execute(table);
            statement.execute("PRAGMA application_id = " + applicationId);
            statement.execute("PRAGMA user_version = " + userVersion);
        }
    }

    /** Overwrites every page but the first (the header and the schema) with garbage. */
    private static void corruptPagesAfterTheFirst(Path file) throws IOException {
        try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] garbage = new byte[4096];
            Arrays.fill(garbage, (byte) 0x5a);
            for (long offset = 4096; offset < raw.length(); offset += garbage.length) {
                raw.seek(offset);
                raw.write(garbage);
            }
        }
    }

    /** The names, contents and modification times of every file in a directory. */
    private record Snapshot(Path directory, List<String> names, List<byte[]> contents, List<FileTime> modified) {

        static Snapshot of(Path directory) throws IOException {
            List<String> names = new ArrayList<>();
            List<byte[]> contents = new ArrayList<>();
            List<FileTime> modified = new ArrayList<>();
            try (Stream<Path> files = Files.list(directory).sorted()) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    names.add(file.getFileName().toString());
                    contents.add(Files.readAllBytes(file));
                    modified.add(Files.getLastModifiedTime(file));
                }
            }
            return new Snapshot(directory, names, contents, modified);
        }

        void assertUnchanged() throws IOException {
            Snapshot now = of(directory);
            assertEquals(names, now.names, "the files in " + directory);
            for (int i = 0; i < names.size(); i++) {
                assertArrayEquals(contents.get(i), now.contents.get(i), "the bytes of " + names.get(i));
                assertEquals(modified.get(i), now.modified.get(i), "the modification time of " + names.get(i));
            }
        }
    }
}
