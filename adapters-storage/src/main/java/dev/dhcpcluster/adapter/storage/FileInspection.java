package dev.dhcpcluster.adapter.storage;

import dev.dhcpcluster.port.store.LeaseStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Decides whether a file may be opened for writing as a lease database, without changing it: it
 * reads the header, then opens the file read-only to check its identity, schema version and
 * integrity. A file that fails is refused with a message that says why, and stays as it was.
 *
 * <p>Every file this store creates is in WAL mode from its first transaction, so a crash leaves
 * at most a write-ahead log beside it, never a rollback journal that only a writer could undo.
 *
 * @param isNew true if there is no database yet (no file, or an empty one): it will be created
 * @param schemaVersion the file's schema version; 0 for a new database
 */
record FileInspection(boolean isNew, int schemaVersion) {

    private static final byte[] SQLITE_HEADER = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int PROBLEMS_QUOTED = 3;

    /**
     * Inspects {@code file}.
     *
     * @throws LeaseStoreException if the file is not a lease database, is corrupt, has a newer
     *     schema than {@code schema}, or cannot be read
     */
    static FileInspection of(Path file, Schema schema) throws LeaseStoreException {
        if (isMissingOrEmpty(file)) {
            return new FileInspection(true, 0);
        }
        requireSqliteHeader(file);
        SQLiteConfig readOnly = new SQLiteConfig();
        readOnly.setReadOnly(true);
        try (Connection connection = readOnly.createConnection(readOnlyUrl(file));
                Statement statement = connection.createStatement()) {
            int applicationId = intPragma(statement, "application_id");
            int version = intPragma(statement, "user_version");
            if (version == 0) {
                if (hasSchemaObjects(statement)) {
                    throw new LeaseStoreException(file + " is not a lease database: it is an SQLite database with "
                            + "tables but no dhcpcluster schema version (user_version 0); refusing to touch it");
                }
                return new FileInspection(true, 0);
            }
            if (applicationId != Schema.APPLICATION_ID) {
                throw new LeaseStoreException(file + " is not a lease database: its SQLite application_id is "
                        + String.format("0x%08x", applicationId) + ", not dhcpcluster's "
                        + String.format("0x%08x", Schema.APPLICATION_ID) + "; refusing to touch it");
            }
            if (version > schema.latestVersion()) {
                throw new LeaseStoreException(file + " has schema version " + version + ", newer than this dhcpcluster ("
                        + schema.latestVersion() + "); refusing to touch it");
            }
            List<String> problems = quickCheck(statement);
            if (!problems.equals(List.of("ok"))) {
                throw new LeaseStoreException(file + " is corrupt: " + summary(problems)
                        + "; refusing to touch it (restore it from a backup or a peer, or move it away to start empty)");
            }
            return new FileInspection(false, version);
        } catch (SQLException e) {
            throw refusal(file, e);
        }
    }

    /**
     * Without a write-ahead log beside it, the file is opened {@code immutable}: SQLite then
     * creates no side file at all. With one (after a crash), the log holds committed leases that
     * must be checked too, so the file is opened read-only the ordinary way; SQLite may then add
     * its shared-memory index ({@code -shm}), but changes neither the database nor the log.
     */
    private static String readOnlyUrl(Path file) throws LeaseStoreException {
        Path log = file.resolveSibling(file.getFileName() + "-wal");
        if (isMissingOrEmpty(log)) {
            return "jdbc:sqlite:" + file.toAbsolutePath().toUri() + "?immutable=1";
        }
        return SqliteLeaseStore.url(file);
    }

    private static boolean isMissingOrEmpty(Path file) throws LeaseStoreException {
        try {
            return Files.size(file) == 0;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            throw new LeaseStoreException("cannot read the lease database " + file + ": " + e, e);
        }
    }

    private static void requireSqliteHeader(Path file) throws LeaseStoreException {
        byte[] header;
        try (InputStream in = Files.newInputStream(file)) {
            header = in.readNBytes(SQLITE_HEADER.length);
        } catch (IOException e) {
            throw new LeaseStoreException("cannot read the lease database " + file + ": " + e, e);
        }
        if (!Arrays.equals(header, SQLITE_HEADER)) {
            throw new LeaseStoreException(file + " is not a lease database: it is not an SQLite database file "
                    + "(its first bytes are not \"SQLite format 3\"); refusing to touch it");
        }
    }

    private static int intPragma(Statement statement, String pragma) throws SQLException {
        try (ResultSet result = statement.executeQuery("PRAGMA " + pragma)) {
            return result.next() ? result.getInt(1) : 0;
        }
    }

    private static boolean hasSchemaObjects(Statement statement) throws SQLException {
        try (ResultSet result = statement.executeQuery("SELECT count(*) FROM sqlite_schema")) {
            return result.next() && result.getInt(1) > 0;
        }
    }

    /** {@code PRAGMA quick_check}: "ok", or the problems found (it reads every page, in O(n)). */
    private static List<String> quickCheck(Statement statement) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (ResultSet result = statement.executeQuery("PRAGMA quick_check(" + (PROBLEMS_QUOTED + 1) + ")")) {
            while (result.next()) {
                problems.add(result.getString(1));
            }
        }
        return problems;
    }

    private static String summary(List<String> problems) {
        List<String> quoted = problems.subList(0, Math.min(PROBLEMS_QUOTED, problems.size()));
        return String.join("; ", quoted) + (problems.size() > PROBLEMS_QUOTED ? "; ..." : "");
    }

    private static LeaseStoreException refusal(Path file, SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException sqlite ? sqlite.getResultCode() : null;
        String name = code == null ? "" : code.name();
        if (name.startsWith("SQLITE_NOTADB")) {
            return new LeaseStoreException(file + " is not a lease database: " + e.getMessage()
                    + "; refusing to touch it", e);
        }
        if (name.startsWith("SQLITE_CORRUPT")) {
            return new LeaseStoreException(file + " is corrupt: " + e.getMessage()
                    + "; refusing to touch it (restore it from a backup or a peer, or move it away to start empty)", e);
        }
        return new LeaseStoreException("cannot read the lease database " + file + ": " + e.getMessage(), e);
    }
}
