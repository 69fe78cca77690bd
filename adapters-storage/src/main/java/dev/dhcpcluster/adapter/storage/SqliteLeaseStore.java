package dev.dhcpcluster.adapter.storage;

import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import dev.dhcpcluster.port.telemetry.StoreEvents;
import dev.dhcpcluster.port.time.Clock;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The durable {@link LeaseStore}: one SQLite database file, in WAL mode with
 * {@code synchronous=FULL}, so a write reported {@code durable} survives a crash of the process
 * or of the machine.
 *
 * <h2>Group commit</h2>
 * {@link #write} only queues. One writer thread takes every write that is waiting and commits
 * them in one transaction; writes that arrive while that transaction syncs go into the next one.
 * Each write's completion is called on the writer thread once its transaction has committed, or
 * with the cause if it has not. A failed commit (full disk, I/O error, read-only file) is rolled
 * back, reported to every write of its batch and to {@link StoreEvents#storeFailed}; the next
 * batch tries again, so the store recovers without a restart when the disk does. Each commit is
 * reported to {@link StoreEvents#storeCommitted} with its size, latency and the backlog.
 *
 * <h2>Life cycle</h2>
 * The constructor touches nothing. {@link #loadAll()}, called once at start, checks the file
 * before writing anything to it: a file that is not a lease database, is corrupt, or has a newer
 * schema than this code is refused with a {@link LeaseStoreException} that says which, and is left
 * as it was. Otherwise it creates or migrates the file, locks it against a second store
 * ({@code <file>.lock}), starts the writer and returns the leases. Later calls read the leases
 * through the writer, after every write accepted before them. A write before the store is open
 * fails through its completion, so a node that forgot to load learns it at once. {@link #close()}
 * commits every write already accepted, then closes the file; writes after it fail.
 *
 * <h2>Maintenance</h2>
 * On the writer thread, between commits, at start and then every few minutes on the
 * {@link Clock}: leases whose expiry is older than the retention are deleted (so released and
 * expired leases stay a while, for returning clients to get their address back), free pages go
 * back to the file system ({@code auto_vacuum=INCREMENTAL}) and the write-ahead log is
 * checkpointed and truncated, so the files do not grow without bound.
 *
 * <p>The schema is described for operators in {@code docs/lease-store.md}.
 */
public final class SqliteLeaseStore implements LeaseStore {

    private static final System.Logger LOG = System.getLogger(SqliteLeaseStore.class.getName());

    /** Beyond this, a retention means "forever"; it keeps {@code now - retention} from overflowing. */
    private static final long MAX_RETENTION_MILLIS = Duration.ofDays(365L * 1000).toMillis();

    private enum State { NEW, OPEN, CLOSED }

    private final Path file;
    private final Clock clock;
    private final StoreEvents events;
    private final long retentionMillis;
    private final StoreTuning tuning;
    private final Object lifecycle = new Object();
    /** Written under {@link #lifecycle}; read without it by {@link #write}. */
    private volatile State state = State.NEW;
    private Writer writer;
    private Thread writerThread;
    private LockFile lock;

    /**
     * A store over {@code databaseFile}, which {@link #loadAll()} opens (creating it if missing).
     *
     * @param databaseFile the SQLite file; its directory is created when missing
     * @param clock the time for deciding which expired leases are old enough to delete
     * @param events receives a report of every commit and failed commit, on the writer thread
     * @param expiredRetention how long a lease is kept after its expiry (released and expired
     *     leases included), so that a returning client can get its old address back
     */
    public SqliteLeaseStore(Path databaseFile, Clock clock, StoreEvents events, Duration expiredRetention) {
        this(databaseFile, clock, events, expiredRetention, StoreTuning.DEFAULT);
    }

    SqliteLeaseStore(Path databaseFile, Clock clock, StoreEvents events, Duration expiredRetention,
            StoreTuning tuning) {
        this.file = Objects.requireNonNull(databaseFile, "databaseFile");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.events = Objects.requireNonNull(events, "events");
        this.tuning = Objects.requireNonNull(tuning, "tuning");
        Objects.requireNonNull(expiredRetention, "expiredRetention");
        if (expiredRetention.isNegative()) {
            throw new IllegalArgumentException("expiredRetention must not be negative, not " + expiredRetention);
        }
        this.retentionMillis = expiredRetention.compareTo(Duration.ofMillis(MAX_RETENTION_MILLIS)) > 0
                ? MAX_RETENTION_MILLIS : expiredRetention.toMillis();
    }

    /** {@code sqlite FILE}. */
    @Override
    public String describe() {
        return "sqlite " + file;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    /** How long a lease is kept after its expiry before it is deleted. */
    public Duration expiredRetention() {
        return Duration.ofMillis(retentionMillis);
    }

    /** Whether the database file exists, written by an earlier run: read before {@link #loadAll()} creates it. */
    @Override
    public boolean mediumExists() {
        return Files.exists(file);
    }

    /**
     * At the first call, opens the database (see the class comment) and returns its leases;
     * later, returns the leases as they are after every write accepted before the call.
     *
     * @throws LeaseStoreException if the file is refused or cannot be read, or the store is closed
     */
    @Override
    public List<Lease> loadAll() throws LeaseStoreException {
        Writer running;
        synchronized (lifecycle) {
            if (state == State.CLOSED) {
                throw closed();
            }
            if (state == State.NEW) {
                List<Lease> leases = new ArrayList<>();
                open(leases::add);
                return leases;
            }
            running = writer;
        }
        CompletableFuture<List<Lease>> result = new CompletableFuture<>();
        if (!running.submit(new Writer.Read(result))) {
            throw closed();
        }
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw new LeaseStoreException("cannot read the leases of " + file + ": " + e.getCause().getMessage(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeaseStoreException("interrupted while reading the leases of " + file, e);
        }
    }

    /**
     * At the first call, opens the database (see the class comment) and hands each lease to
     * {@code each} as its row is read, in address order, through one cursor: no list of them all
     * is made, so a node with a million leases holds only what it builds of them. Later calls
     * hand over what {@link #loadAll()} returns then.
     *
     * @throws LeaseStoreException if the file is refused or cannot be read, or the store is closed
     */
    @Override
    public long loadEach(Consumer<? super Lease> each) throws LeaseStoreException {
        Objects.requireNonNull(each, "each");
        synchronized (lifecycle) {
            if (state == State.CLOSED) {
                throw closed();
            }
            if (state == State.NEW) {
                return open(each);
            }
        }
        List<Lease> leases = loadAll();
        leases.forEach(each);
        return leases.size();
    }

    /**
     * Before the store is opened, the number of rows of the lease table of an existing file, read
     * through a short read-only connection ({@code SELECT count(*)}, which SQLite answers from its
     * smallest index): the file is neither created, locked nor changed. Empty if the file does not
     * exist yet, cannot be read as a lease database of this version (the open then says why), or
     * the store is open already.
     */
    @Override
    public OptionalLong storedCount() {
        synchronized (lifecycle) {
            if (state != State.NEW || !Files.isRegularFile(file)) {
                return OptionalLong.empty();
            }
            return LeaseDatabase.countRows(file);
        }
    }

    /**
     * Commits a transaction that needs new space and changes nothing (a scratch table that gets
     * some data and is dropped again), after every write accepted before the call.
     *
     * @throws LeaseStoreException naming the file and SQLite's reason (such as "database or disk
     *     is full") if it cannot commit; also if the store is not open yet, or is closed
     */
    @Override
    public void checkWritable() throws LeaseStoreException {
        if (state == State.NEW) {
            throw new LeaseStoreException("the lease store " + file + " is not open yet: loadAll() opens it");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (state != State.OPEN || !writer.submit(new Writer.Probe(done))) {
            throw closed();
        }
        try {
            done.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LeaseStoreException closed) {
                throw closed;
            }
            throw new LeaseStoreException(file + " cannot commit a change: " + cause.getMessage(), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeaseStoreException("interrupted while checking that " + file + " can commit", e);
        }
    }

    /**
     * Queues the batch for the next commit. Fails through the completion, changing nothing, if
     * the store is not open or is closed, or if a lease's expiry cannot be stored.
     *
     * @throws NullPointerException if the batch, a lease in it, or the completion is null
     */
    @Override
    public void write(List<Lease> batch, WriteCompletion completion) {
        Objects.requireNonNull(completion, "completion");
        List<Lease> leases = List.copyOf(Objects.requireNonNull(batch, "batch"));
        try {
            leases.forEach(LeaseRows::expiryMillis);
        } catch (IllegalArgumentException e) {
            completion.failed(new LeaseStoreException("batch refused, nothing stored: " + e.getMessage(), e));
            return;
        }
        State now = state;
        if (now != State.OPEN) {
            completion.failed(now == State.NEW
                    ? new LeaseStoreException("the lease store " + file + " is not open yet: loadAll() opens it")
                    : closed());
            return;
        }
        if (leases.isEmpty()) {
            completion.durable();
        } else if (!writer.submit(new Writer.Write(leases, completion))) {
            completion.failed(closed());
        }
    }

    /**
     * Commits every write already accepted and reports it, then closes the database and releases
     * its lock. Idempotent. Waits for the writer thread, unless called from it.
     */
    @Override
    public void close() {
        Writer running;
        Thread thread;
        LockFile held;
        synchronized (lifecycle) {
            state = State.CLOSED;
            running = writer;
            thread = writerThread;
            held = lock;
        }
        if (running == null) {
            return;
        }
        // Every caller, not only the first, returns only after the writer has finished.
        running.stop();
        if (Thread.currentThread() != thread) {
            LeaseDatabase.joinUninterruptibly(thread);
        }
        held.close();
    }

    /** The file this store keeps its leases in. */
    public Path databaseFile() {
        return file;
    }

    @Override
    public String toString() {
        return "SqliteLeaseStore[" + file + "]";
    }

    /**
     * Runs {@code task} on the writer's connection between two transactions, after every job
     * queued before it: lets a test reach into the running store (to fill the disk, or to hold
     * the writer while writes queue up).
     */
    CompletableFuture<Void> runOnWriter(Writer.SqlTask task) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (state != State.OPEN || !writer.submit(new Writer.Task(task, done))) {
            done.completeExceptionally(closed());
        }
        return done;
    }

    /** The JDBC address of {@code file}. */
    static String url(Path file) {
        return "jdbc:sqlite:" + file.toAbsolutePath();
    }

    /** Called under {@link #lifecycle}: inspect, lock, open, read (each lease to {@code each}), start the writer. */
    private long open(Consumer<? super Lease> each) throws LeaseStoreException {
        Path directory = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new LeaseStoreException("cannot open the lease database " + file + ": its directory " + directory
                    + " cannot be created: " + (e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                            : e instanceof java.nio.file.FileAlreadyExistsException ? "a file of that name exists"
                            : e.toString()), e);
        }
        FileInspection inspection = FileInspection.of(file, tuning.schema());
        LockFile acquired = LockFile.acquire(file);
        LeaseDatabase database = null;
        try {
            database = LeaseDatabase.open(file, inspection, tuning.schema());
            long leases = database.readEach(each);
            Writer started = new Writer(database, clock, events, retentionMillis, tuning);
            Thread thread = new Thread(started, "lease-store-writer");
            thread.setDaemon(true);
            thread.start();
            writer = started;
            writerThread = thread;
            lock = acquired;
            state = State.OPEN;
            LOG.log(Level.INFO, "lease database {0}: {1} lease(s), schema version {2}{3}", file, leases,
                    tuning.schema().latestVersion(), inspection.isNew() ? " (created)"
                            : inspection.schemaVersion() < tuning.schema().latestVersion()
                                    ? " (migrated from version " + inspection.schemaVersion() + ")" : "");
            return leases;
        } catch (SQLException | IOException | LeaseRows.UnreadableRowException e) {
            closeQuietly(database, e);
            acquired.close();
            throw new LeaseStoreException(describeOpenFailure(e), e);
        } catch (RuntimeException | Error e) {
            // Thrown by the consumer of the leases: the store stays unopened, its file unlocked.
            closeQuietly(database, e);
            acquired.close();
            throw e;
        }
    }

    private String describeOpenFailure(Exception e) {
        if (e instanceof LeaseRows.UnreadableRowException) {
            return file + " holds a lease this dhcpcluster cannot read, " + e.getMessage()
                    + "; refusing to start on it (fix or delete that row with the sqlite3 shell)";
        }
        return "cannot open the lease database " + file + ": " + e.getMessage();
    }

    private static void closeQuietly(LeaseDatabase database, Throwable cause) {
        if (database == null) {
            return;
        }
        try {
            database.close();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private LeaseStoreException closed() {
        return new LeaseStoreException("the lease store " + file + " is closed");
    }
}
