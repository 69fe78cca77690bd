package dev.dhcpcluster.adapter.storage;

import dev.dhcpcluster.port.model.Lease;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * The one read-write connection to a lease database, and the statements the store runs on it.
 * Not thread-safe: only the store's writer thread uses it (after the opening thread hands it
 * over).
 *
 * <p>Every connection runs in WAL mode with {@code synchronous=FULL}: a commit returns only after
 * the write-ahead log is synced, so a committed transaction survives a crash of the process and of
 * the machine.
 */
final class LeaseDatabase implements AutoCloseable {

    /** What the start-up probe writes: room for the first commits, a few pages' worth. */
    static final int PROBE_BYTES = 64 * 1024;

    /** How long a commit waits for a lock held by another connection (an operator's shell). */
    private static final int BUSY_TIMEOUT_MILLIS = 2_000;

    /** The write-ahead log is truncated to this size after a checkpoint, so it cannot stay large. */
    private static final long WAL_SIZE_LIMIT_BYTES = 16L * 1024 * 1024;

    private final Path file;
    private final Connection connection;
    private final Statement control;
    private final PreparedStatement upsert;
    private final PreparedStatement deleteExpired;
    /**
     * Prepared once: run as text through a {@link Statement}, the driver parses and SQLite
     * compiles each again, twice per commit. A prepared statement leaves the control statement's
     * last query as it is, so nothing may leave a row pending on {@link #control} (see
     * {@link #compact} and {@link #longPragma}): SQLite refuses to commit while a statement is
     * still in progress.
     */
    private final PreparedStatement begin;
    private final PreparedStatement commit;
    /** The text of each lease's expiry, kept from row to row (see {@link LeaseRows.ExpiryText}). */
    private final LeaseRows.ExpiryText expiryText = new LeaseRows.ExpiryText();

    private LeaseDatabase(Path file, Connection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.control = connection.createStatement();
        this.upsert = connection.prepareStatement(LeaseRows.UPSERT);
        this.deleteExpired = connection.prepareStatement(LeaseRows.DELETE_EXPIRED);
        this.begin = connection.prepareStatement("BEGIN IMMEDIATE");
        this.commit = connection.prepareStatement("COMMIT");
    }

    /**
     * Opens the file, which {@link FileInspection} accepted, for reading and writing; creates it if
     * it is new, and migrates it to the latest schema.
     */
    static LeaseDatabase open(Path file, FileInspection inspection, Schema schema) throws SQLException, IOException {
        SQLiteConfig config = new SQLiteConfig();
        config.setOpenMode(SQLiteOpenMode.READWRITE);
        config.setOpenMode(SQLiteOpenMode.CREATE);
        Connection connection = config.createConnection(SqliteLeaseStore.url(file));
        try {
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
                if (inspection.isNew()) {
                    // Only possible before the first table exists: lets maintenance give pages
                    // freed by deleted leases back to the file system.
                    statement.execute("PRAGMA auto_vacuum = INCREMENTAL");
                }
                // Before the first transaction, so that even the creation of a new file leaves at
                // most a write-ahead log if it is interrupted.
                String mode = stringPragma(statement, "journal_mode = WAL");
                if (!"wal".equalsIgnoreCase(mode)) {
                    throw new SQLException("the lease database " + file + " cannot use write-ahead logging (journal mode "
                            + mode + ")");
                }
                statement.execute("PRAGMA synchronous = FULL");
                if (inspection.schemaVersion() < schema.latestVersion()) {
                    schema.migrate(connection, inspection.schemaVersion());
                }
                statement.execute("PRAGMA journal_size_limit = " + WAL_SIZE_LIMIT_BYTES);
            }
            if (inspection.isNew()) {
                syncDirectoryOf(file);
            }
            return new LeaseDatabase(file, connection);
        } catch (SQLException | IOException | RuntimeException e) {
            try {
                connection.close();
            } catch (SQLException closeFailed) {
                e.addSuppressed(closeFailed);
            }
            throw e;
        }
    }

    /**
     * The number of rows of the lease table of {@code file}, through a read-only connection of its
     * own that creates, locks and changes nothing; empty if the file cannot be read so (not a
     * database, a schema without that table, a write-ahead log it may not read).
     */
    static OptionalLong countRows(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        try (Connection connection = config.createConnection(SqliteLeaseStore.url(file));
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(LeaseRows.COUNT_ALL)) {
            return rows.next() ? OptionalLong.of(rows.getLong(1)) : OptionalLong.empty();
        } catch (SQLException e) {
            return OptionalLong.empty();
        }
    }

    /** Every stored lease, ordered by address. */
    List<Lease> readAll() throws SQLException {
        List<Lease> leases = new ArrayList<>();
        readEach(leases::add);
        return leases;
    }

    /**
     * Hands every stored lease to {@code each}, ordered by address, as its row is read (one cursor
     * over the table, columns read by index), and returns how many: no list of them all is made.
     * A reader thread reads and decodes the rows, a batch at a time, while this thread hands the
     * leases of the previous batch to {@code each}: on a machine of two cores, building a node's
     * lease table takes little longer than reading the file. At most {@link #READ_AHEAD} batches wait.
     *
     * @throws LeaseRows.UnreadableRowException if a row holds a value this store never writes
     */
    long readEach(Consumer<? super Lease> each) throws SQLException {
        BlockingQueue<Object> batches = new ArrayBlockingQueue<>(READ_AHEAD);
        AtomicBoolean abandoned = new AtomicBoolean();
        Thread reader = new Thread(() -> readBatches(batches, abandoned), "lease-store-reader");
        reader.setDaemon(true);
        reader.start();
        long count = 0;
        boolean finished = false;
        try {
            while (true) {
                Object next = take(batches);
                if (next instanceof Lease[] batch) {
                    for (Lease lease : batch) {
                        each.accept(lease);
                    }
                    count += batch.length;
                } else if (next instanceof SQLException failure) {
                    throw failure;
                } else if (next instanceof RuntimeException failure) {
                    throw failure;
                } else if (next instanceof Error failure) {
                    throw failure;
                } else {
                    finished = true;
                    return count;
                }
            }
        } finally {
            if (!finished) {
                // each threw, or the reader failed: stop the reader before anyone else uses the connection.
                abandoned.set(true);
                batches.clear();
            }
            joinUninterruptibly(reader);
        }
    }

    /**
     * How many decoded batches may wait for the consumer of {@link #readEach}: few and small, since
     * leases that wait long enough to survive a young collection cost the old generation.
     */
    private static final int READ_AHEAD = 2;
    private static final int BATCH = 1_024;
    /** What the reader of {@link #readEach} queues after the last batch. */
    private static final Object END = new Object();

    /** The reader thread of {@link #readEach}: batches of leases, then {@link #END} or the failure. */
    private void readBatches(BlockingQueue<Object> batches, AtomicBoolean abandoned) {
        Object last = END;
        LeaseRows.Decoder decoder = new LeaseRows.Decoder();
        // On the control statement, as every statement here: running it closes whatever that
        // statement still had open (a checkpoint's result), which would otherwise make SQLite
        // refuse the read's implicit transaction.
        try (ResultSet rows = control.executeQuery(LeaseRows.SELECT_ALL)) {
            Lease[] batch = new Lease[BATCH];
            int filled = 0;
            while (rows.next()) {
                batch[filled++] = decoder.read(rows);
                if (filled == BATCH) {
                    if (!put(batches, batch, abandoned)) {
                        return;
                    }
                    batch = new Lease[BATCH];
                    filled = 0;
                }
            }
            if (filled > 0 && !put(batches, Arrays.copyOf(batch, filled), abandoned)) {
                return;
            }
        } catch (SQLException | RuntimeException | Error e) {
            last = e;
        }
        put(batches, last, abandoned);
    }

    /** Queues {@code item} unless the consumer has given up; false if it has. */
    private static boolean put(BlockingQueue<Object> batches, Object item, AtomicBoolean abandoned) {
        try {
            while (!batches.offer(item, 50, TimeUnit.MILLISECONDS)) {
                if (abandoned.get()) {
                    return false;
                }
            }
            return !abandoned.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Object take(BlockingQueue<Object> batches) throws SQLException {
        try {
            return batches.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while reading the leases", e);
        }
    }

    /** Waits for {@code thread} to end; an interrupt meanwhile is kept for the caller, not obeyed. */
    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes {@code changes}, in order, in one transaction, and returns once it is durable. On
     * failure nothing of it remains.
     */
    void commit(List<Lease> changes) throws SQLException {
        inTransaction(() -> {
            for (Lease lease : changes) {
                LeaseRows.bindUpsert(upsert, lease, expiryText);
                upsert.addBatch();
            }
            upsert.executeBatch();
            return null;
        });
    }

    /**
     * Proves that a transaction needing new space commits, and leaves the database as it was: in
     * one transaction, a scratch table receives {@link #PROBE_BYTES} and is dropped again. A full
     * disk (the new pages, or the write-ahead log, cannot grow) or a file that cannot be written
     * fails it, and the transaction is rolled back.
     */
    void probe() throws SQLException {
        // On the control statement, like every transaction here: running it closes whatever that
        // statement still had open (a checkpoint's result), which would otherwise lock the table.
        inTransaction(() -> {
            control.execute("CREATE TABLE dhcpcluster_probe (data BLOB)");
            control.execute("INSERT INTO dhcpcluster_probe (data) VALUES (zeroblob(" + PROBE_BYTES + "))");
            control.execute("DROP TABLE dhcpcluster_probe");
            return null;
        });
    }

    /** Deletes up to {@code limit} leases that expired before {@code beforeMillis}; returns how many. */
    int deleteExpired(long beforeMillis, int limit) throws SQLException {
        return inTransaction(() -> {
            deleteExpired.setLong(1, beforeMillis);
            deleteExpired.setInt(2, limit);
            return deleteExpired.executeUpdate();
        });
    }

    /**
     * Gives up to {@code maxPages} free pages back to the file system, then copies the
     * write-ahead log into the database and truncates the log, so that neither file keeps the
     * size of data that is gone.
     *
     * @return true if no free page is left, false if another call has more to give back
     */
    boolean compact(int maxPages) throws SQLException {
        long free = longPragma("freelist_count");
        long pages = Math.min(free, maxPages);
        if (pages > 0) {
            inTransaction(() -> {
                // Each step of incremental_vacuum frees one page, and the driver steps a
                // statement that yields no columns only once: one statement per page. Each run
                // replaces the last on the same statement; closing it ends the last one, which
                // would otherwise still be in progress at the commit.
                try (Statement vacuum = connection.createStatement()) {
                    for (long i = 0; i < pages; i++) {
                        vacuum.execute("PRAGMA incremental_vacuum");
                    }
                }
                return null;
            });
        }
        // It answers with a row: on a statement of its own, closed at once, so that no statement
        // is left in progress.
        try (Statement checkpoint = connection.createStatement()) {
            checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        return pages == free;
    }

    /** The connection, for a task that must run between two transactions of the writer. */
    Connection connection() {
        return connection;
    }

    @Override
    public void close() throws SQLException {
        // Closing the last connection checkpoints the log into the database and removes it.
        connection.close();
    }

    @Override
    public String toString() {
        return file.toString();
    }

    private <T> T inTransaction(SqlWork<T> work) throws SQLException {
        begin.execute();
        try {
            T result = work.run();
            commit.execute();
            return result;
        } catch (SQLException | RuntimeException e) {
            rollback(e);
            throw e;
        }
    }

    private void rollback(Exception cause) {
        try {
            upsert.clearBatch();
        } catch (SQLException clearFailed) {
            cause.addSuppressed(clearFailed);
        }
        try {
            control.execute("ROLLBACK");
        } catch (SQLException rollbackFailed) {
            // After some errors (a full disk, an I/O error) SQLite has already rolled the
            // transaction back; its documentation recommends the ROLLBACK all the same.
            if (!String.valueOf(rollbackFailed.getMessage()).contains("no transaction is active")) {
                cause.addSuppressed(rollbackFailed);
            }
        }
    }

    private long longPragma(String pragma) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("PRAGMA " + pragma)) {
            return result.next() ? result.getLong(1) : 0;
        }
    }

    private static String stringPragma(Statement statement, String pragma) throws SQLException {
        try (ResultSet result = statement.executeQuery("PRAGMA " + pragma)) {
            return result.next() ? result.getString(1) : null;
        }
    }

    /** Makes the new file's directory entry durable, which SQLite does not do for the main file. */
    private static void syncDirectoryOf(Path file) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run() throws SQLException;
    }
}
