package dev.dhcpcluster.adapter.storage;

import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import dev.dhcpcluster.port.telemetry.StoreEvents;
import dev.dhcpcluster.port.time.Clock;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The store's one writer thread: takes every write that is waiting, commits them in one
 * transaction (group commit), reports each write durable or failed, and between commits keeps
 * the database small by deleting long-expired leases.
 *
 * <p>While a commit is syncing to disk, new writes queue up; the next turn takes all of them at
 * once. So under load one sync covers many writes, and without load a write waits for no one.
 *
 * <p>A failed commit (full disk, I/O error, read-only file) is rolled back and reported to every
 * write of its batch; the writer carries on, and the next batch tries again, so the store
 * recovers by itself when the disk does.
 */
final class Writer implements Runnable {

    private static final System.Logger LOG = System.getLogger(SqliteLeaseStore.class.getName());

    /** Work for the writer thread, taken in the order submitted. */
    sealed interface Job permits Write, Read, Task, Probe, Stop {
    }

    /** Leases to make durable, and whom to tell. */
    record Write(List<Lease> leases, WriteCompletion completion) implements Job {
    }

    /** Reads every lease after the writes submitted before it are committed. */
    record Read(CompletableFuture<List<Lease>> result) implements Job {
    }

    /** Runs on the writer's connection between two transactions. */
    record Task(SqlTask task, CompletableFuture<Void> done) implements Job {
    }

    /** Proves a commit can be made ({@link LeaseDatabase#probe}), after the writes submitted before it. */
    record Probe(CompletableFuture<Void> done) implements Job {
    }

    /** The last job: commit what came before, then close the database. */
    record Stop() implements Job {
    }

    /** Work on the connection. */
    @FunctionalInterface
    interface SqlTask {
        void run(Connection connection) throws Exception;
    }

    private final LeaseDatabase database;
    private final Clock clock;
    private final StoreEvents events;
    private final long retentionMillis;
    private final StoreTuning tuning;
    private final LinkedBlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final Object gate = new Object();
    /** Guarded by {@link #gate}: once false, no job is queued any more. */
    private boolean accepting = true;
    /** Guarded by {@link #gate}: changes submitted and not yet taken into a transaction. */
    private int pendingChanges;
    private long nextMaintenanceAt;

    /**
     * @param retentionMillis how long after its expiry a lease is kept (for a returning client)
     */
    Writer(LeaseDatabase database, Clock clock, StoreEvents events, long retentionMillis, StoreTuning tuning) {
        this.database = database;
        this.clock = clock;
        this.events = events;
        this.retentionMillis = retentionMillis;
        this.tuning = tuning;
        // The first turn cleans up what expired while the node was down.
        this.nextMaintenanceAt = clock.millis();
    }

    /** Queues a job; false if the writer has stopped (or is stopping) and will not run it. */
    boolean submit(Job job) {
        synchronized (gate) {
            if (!accepting) {
                return false;
            }
            if (job instanceof Write write) {
                pendingChanges += write.leases().size();
            }
            queue.add(job);
            return true;
        }
    }

    /** Accepts no more jobs; the writer runs those queued, then closes the database and ends. */
    void stop() {
        synchronized (gate) {
            if (accepting) {
                accepting = false;
                queue.add(new Stop());
            }
        }
    }

    @Override
    public void run() {
        Throwable died = null;
        try {
            List<Job> taken = new ArrayList<>();
            boolean stopped = false;
            while (!stopped) {
                taken.clear();
                Job first = awaitJob();
                if (first != null) {
                    taken.add(first);
                    takeWaitingJobs(taken);
                }
                maintainIfDue();
                stopped = process(taken);
            }
        } catch (RuntimeException | Error e) {
            died = e;
            LOG.log(Level.ERROR, "the lease store's writer thread failed; writes fail from now on", e);
        } finally {
            synchronized (gate) {
                accepting = false;
            }
            failRemaining(died);
            try {
                database.close();
            } catch (SQLException e) {
                LOG.log(Level.WARNING, "closing the lease database " + database + " failed: " + e.getMessage(), e);
            }
        }
    }

    private Job awaitJob() {
        if (clock.millis() >= nextMaintenanceAt) {
            // Maintenance is due (or unfinished): look for work, but do not wait for it.
            return queue.poll();
        }
        try {
            return queue.poll(tuning.idleWait().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // Nobody else holds this thread; the store ends it with a Stop job, never by interrupt.
            return null;
        }
    }

    /** Everything that arrived during the previous commit, up to the size limit of one commit. */
    private void takeWaitingJobs(List<Job> taken) {
        int changes = taken.get(0) instanceof Write write ? write.leases().size() : 0;
        while (changes < tuning.maxChangesPerCommit()) {
            Job next = queue.poll();
            if (next == null) {
                return;
            }
            taken.add(next);
            if (next instanceof Write write) {
                changes += write.leases().size();
            }
        }
    }

    /** Runs the jobs in order, committing consecutive writes together; true after a Stop. */
    private boolean process(List<Job> jobs) {
        List<Write> group = new ArrayList<>();
        for (Job job : jobs) {
            if (job instanceof Write write) {
                group.add(write);
                continue;
            }
            commit(group);
            group.clear();
            if (job instanceof Read read) {
                read(read);
            } else if (job instanceof Task task) {
                runTask(task);
            } else if (job instanceof Probe probe) {
                probe(probe);
            } else {
                return true;
            }
        }
        commit(group);
        return false;
    }

    private void commit(List<Write> group) {
        if (group.isEmpty()) {
            return;
        }
        List<Lease> changes = new ArrayList<>();
        for (Write write : group) {
            changes.addAll(write.leases());
        }
        takePending(changes.size());
        long start = System.nanoTime();
        try {
            database.commit(changes);
        } catch (SQLException | RuntimeException e) {
            LeaseStoreException failure = new LeaseStoreException("could not commit " + changes.size()
                    + " lease change" + (changes.size() == 1 ? "" : "s") + " to " + database + ": " + e.getMessage(), e);
            for (Write write : group) {
                report(write.completion(), failure);
            }
            events.storeFailed(failure.getMessage(), pendingChanges());
            return;
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - start);
        // Counted before anyone hears of it: whoever has seen an ACK that waited on this commit
        // must find the commit in the counts too.
        events.storeCommitted(changes.size(), latency, pendingChanges());
        for (Write write : group) {
            report(write.completion(), null);
        }
    }

    /** Removes {@code changes}, now in a transaction, from the pending count. */
    private void takePending(int changes) {
        synchronized (gate) {
            pendingChanges -= changes;
        }
    }

    private int pendingChanges() {
        synchronized (gate) {
            return pendingChanges;
        }
    }

    private void read(Read read) {
        try {
            read.result().complete(database.readAll());
        } catch (SQLException | RuntimeException e) {
            read.result().completeExceptionally(e);
        }
    }

    private void probe(Probe probe) {
        try {
            database.probe();
            probe.done().complete(null);
        } catch (SQLException | RuntimeException e) {
            probe.done().completeExceptionally(e);
        }
    }

    private void runTask(Task task) {
        try {
            task.task().run(database.connection());
            task.done().complete(null);
        } catch (Exception e) {
            task.done().completeExceptionally(e);
        }
    }

    /**
     * Deletes leases that expired longer ago than the retention, a chunk per transaction, then
     * compacts the files. Stops early, and comes back on the next turn, if writes are waiting.
     */
    private void maintainIfDue() {
        long now = clock.millis();
        if (now < nextMaintenanceAt) {
            return;
        }
        long cutoff = now - retentionMillis;
        try {
            int removed = 0;
            boolean more;
            do {
                int deleted = database.deleteExpired(cutoff, tuning.cleanupChunk());
                removed += deleted;
                more = deleted == tuning.cleanupChunk();
            } while (more && queue.isEmpty());
            if (!more) {
                more = !database.compact(tuning.cleanupChunk());
            }
            nextMaintenanceAt = more ? now : now + tuning.maintenanceInterval().toMillis();
            if (removed > 0) {
                LOG.log(Level.DEBUG, "deleted {0} lease(s) of {1} that expired before {2}", removed, database,
                        Instant.ofEpochMilli(cutoff));
            }
        } catch (SQLException | RuntimeException e) {
            nextMaintenanceAt = now + tuning.maintenanceInterval().toMillis();
            LOG.log(Level.WARNING, "cleaning up expired leases in " + database + " failed (tried again in "
                    + tuning.maintenanceInterval().toSeconds() + " s): " + e.getMessage(), e);
        }
    }

    /** After the writer died or stopped: every job still queued learns it will not run. */
    private void failRemaining(Throwable cause) {
        LeaseStoreException closed = new LeaseStoreException(cause == null
                ? "the lease store " + database + " is closed"
                : "the lease store " + database + " stopped after an internal error: " + cause, cause);
        for (Job job = queue.poll(); job != null; job = queue.poll()) {
            if (job instanceof Write write) {
                report(write.completion(), closed);
            } else if (job instanceof Read read) {
                read.result().completeExceptionally(closed);
            } else if (job instanceof Task task) {
                task.done().completeExceptionally(closed);
            } else if (job instanceof Probe probe) {
                probe.done().completeExceptionally(closed);
            }
        }
    }

    /** Tells one writer its outcome; a completion that throws must not stop the writer. */
    private void report(WriteCompletion completion, LeaseStoreException failure) {
        try {
            if (failure == null) {
                completion.durable();
            } else {
                completion.failed(failure);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "a lease write completion threw; the store carries on", e);
        }
    }
}
