package dev.dhcpcluster.adapter.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;

/**
 * The lease database's schema, as an ordered list of migrations. A file records the schema it
 * has in {@code PRAGMA user_version} (0 for a new file) and is marked as a dhcpcluster lease
 * database by {@code PRAGMA application_id}. Opening a file applies, in one transaction, every
 * migration above its version, so that a crash during an upgrade leaves the file as it was.
 *
 * <p>A migration is never edited once released: a change of schema is a new migration at the end
 * of the list. {@code docs/lease-store.md} describes the current schema for operators.
 */
final class Schema {

    /** {@code PRAGMA application_id} of a lease database: the ASCII bytes "DHCP". */
    static final int APPLICATION_ID = 0x44484350;

    /** One step from {@code version - 1} to {@code version}. */
    record Migration(int version, String summary, List<String> statements) {
        Migration {
            Objects.requireNonNull(summary, "summary");
            statements = List.copyOf(statements);
            if (version < 1) {
                throw new IllegalArgumentException("migration versions start at 1, not " + version);
            }
        }
    }

    /** The schema this code writes. */
    static final Schema CURRENT = new Schema(List.of(
            new Migration(1, "the lease table, indexed by address, hardware address and expiry", List.of(
                    """
                    CREATE TABLE lease (
                        address_int INTEGER PRIMARY KEY CHECK (address_int BETWEEN 0 AND 4294967295),
                        address     TEXT    NOT NULL,
                        hw_type     INTEGER NOT NULL CHECK (hw_type BETWEEN 0 AND 255),
                        hw_address  TEXT    NOT NULL COLLATE NOCASE,
                        client_key  TEXT    NOT NULL COLLATE NOCASE,
                        hostname    TEXT,
                        state       TEXT    NOT NULL CHECK (state IN ('bound', 'released', 'expired', 'declined')),
                        expiry_ms   INTEGER NOT NULL,
                        expiry      TEXT    NOT NULL,
                        owner_node  INTEGER NOT NULL CHECK (owner_node > 0),
                        version     INTEGER NOT NULL CHECK (version >= 0)
                    )""",
                    "CREATE UNIQUE INDEX lease_by_address ON lease (address)",
                    "CREATE INDEX lease_by_hw_address ON lease (hw_address)",
                    "CREATE INDEX lease_by_expiry ON lease (expiry_ms)")),
            new Migration(2, "the host name exactly as the client sent it, as a nullable BLOB", List.of(
                    // Leases written before it have none: NULL, as for a client that sent no name.
                    "ALTER TABLE lease ADD COLUMN hostname_sent BLOB")),
            new Migration(3, "versions ordered across the cluster: epoch, counter and writer node", List.of(
                    // The table is rebuilt rather than altered so that the three parts of the version
                    // stand together where owner_node and version stood, for people reading it.
                    """
                    CREATE TABLE lease_v3 (
                        address_int   INTEGER PRIMARY KEY CHECK (address_int BETWEEN 0 AND 4294967295),
                        address       TEXT    NOT NULL,
                        hw_type       INTEGER NOT NULL CHECK (hw_type BETWEEN 0 AND 255),
                        hw_address    TEXT    NOT NULL COLLATE NOCASE,
                        client_key    TEXT    NOT NULL COLLATE NOCASE,
                        hostname      TEXT,
                        state         TEXT    NOT NULL CHECK (state IN ('bound', 'released', 'expired', 'declined')),
                        expiry_ms     INTEGER NOT NULL,
                        expiry        TEXT    NOT NULL,
                        epoch         INTEGER NOT NULL CHECK (epoch >= 0),
                        counter       INTEGER NOT NULL CHECK (counter >= 0),
                        writer_node   INTEGER NOT NULL CHECK (writer_node > 0),
                        hostname_sent BLOB
                    )""",
                    // A version 2 lease was written by a node alone: no epoch, its version the
                    // counter, and the node that wrote it (owner_node) the writer.
                    """
                    INSERT INTO lease_v3 (address_int, address, hw_type, hw_address, client_key, hostname, state,
                                          expiry_ms, expiry, epoch, counter, writer_node, hostname_sent)
                    SELECT address_int, address, hw_type, hw_address, client_key, hostname, state,
                           expiry_ms, expiry, 0, version, owner_node, hostname_sent
                    FROM lease""",
                    "DROP TABLE lease",
                    "ALTER TABLE lease_v3 RENAME TO lease",
                    "CREATE UNIQUE INDEX lease_by_address ON lease (address)",
                    "CREATE INDEX lease_by_hw_address ON lease (hw_address)",
                    "CREATE INDEX lease_by_expiry ON lease (expiry_ms)"))));

    private final List<Migration> migrations;

    /**
     * @param migrations versions 1, 2, ... in order, none missing
     * @throws IllegalArgumentException if they are not
     */
    Schema(List<Migration> migrations) {
        this.migrations = List.copyOf(migrations);
        if (this.migrations.isEmpty()) {
            throw new IllegalArgumentException("a schema needs at least one migration");
        }
        for (int i = 0; i < this.migrations.size(); i++) {
            if (this.migrations.get(i).version() != i + 1) {
                throw new IllegalArgumentException("migration " + (i + 1) + " is version "
                        + this.migrations.get(i).version() + "; versions must be 1, 2, ... in order");
            }
        }
    }

    /** The migrations, version 1 first. */
    List<Migration> migrations() {
        return migrations;
    }

    /** The version a file has after every migration: {@code user_version} of an up-to-date file. */
    int latestVersion() {
        return migrations.size();
    }

    /**
     * Brings a file of schema {@code fromVersion} up to {@link #latestVersion()}, in one
     * transaction that also sets {@code user_version} and {@code application_id}. If any
     * statement fails, nothing of the upgrade remains.
     *
     * @throws SQLException naming the migration that failed
     */
    void migrate(Connection connection, int fromVersion) throws SQLException {
        if (fromVersion < 0 || fromVersion > latestVersion()) {
            throw new IllegalArgumentException("cannot migrate from version " + fromVersion);
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            try {
                for (Migration migration : migrations.subList(fromVersion, migrations.size())) {
                    apply(statement, migration);
                }
                statement.execute("PRAGMA user_version = " + latestVersion());
                statement.execute("PRAGMA application_id = " + APPLICATION_ID);
                statement.execute("COMMIT");
            } catch (SQLException e) {
                try {
                    statement.execute("ROLLBACK");
                } catch (SQLException rollbackFailed) {
                    e.addSuppressed(rollbackFailed);
                }
                throw e;
            }
        }
    }

    private static void apply(Statement statement, Migration migration) throws SQLException {
        for (String sql : migration.statements()) {
            try {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new SQLException("migration to schema version " + migration.version() + " ("
                        + migration.summary() + ") failed: " + e.getMessage(), e.getSQLState(), e.getErrorCode(), e);
            }
        }
    }
}
