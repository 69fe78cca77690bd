package dev.dhcpcluster.adapter.storage;

import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of a {@link SqliteLeaseStore} that operators do not need; tests turn them to make
 * behaviour visible quickly.
 *
 * @param maintenanceInterval how often, on the store's {@code Clock}, expired leases are deleted
 *     and the files compacted
 * @param idleWait how long, in real time, the writer thread waits for work before it looks at the
 *     clock again to see whether maintenance is due
 * @param maxChangesPerCommit a commit takes further waiting writes only while it holds fewer
 *     changes than this (one write is never split), which bounds the latency of one transaction
 * @param cleanupChunk expired leases deleted, or free pages given back, per transaction; the
 *     writer goes back to waiting writes between chunks
 * @param schema the migrations that bring a file up to date
 */
record StoreTuning(Duration maintenanceInterval, Duration idleWait, int maxChangesPerCommit, int cleanupChunk,
        Schema schema) {

    /** What {@link SqliteLeaseStore}'s public constructor uses. */
    static final StoreTuning DEFAULT =
            new StoreTuning(Duration.ofMinutes(5), Duration.ofSeconds(1), 8192, 1000, Schema.CURRENT);

    StoreTuning {
        Objects.requireNonNull(maintenanceInterval, "maintenanceInterval");
        Objects.requireNonNull(idleWait, "idleWait");
        Objects.requireNonNull(schema, "schema");
        if (maintenanceInterval.isNegative() || maintenanceInterval.isZero()) {
            throw new IllegalArgumentException("maintenanceInterval must be positive, not " + maintenanceInterval);
        }
        if (idleWait.isNegative() || idleWait.isZero()) {
            throw new IllegalArgumentException("idleWait must be positive, not " + idleWait);
        }
        if (maxChangesPerCommit < 1 || cleanupChunk < 1) {
            throw new IllegalArgumentException("maxChangesPerCommit and cleanupChunk must be positive");
        }
    }

    StoreTuning withMaintenanceInterval(Duration interval) {
        return new StoreTuning(interval, idleWait, maxChangesPerCommit, cleanupChunk, schema);
    }

    StoreTuning withIdleWait(Duration wait) {
        return new StoreTuning(maintenanceInterval, wait, maxChangesPerCommit, cleanupChunk, schema);
    }

    StoreTuning withCleanupChunk(int chunk) {
        return new StoreTuning(maintenanceInterval, idleWait, maxChangesPerCommit, chunk, schema);
    }

    StoreTuning withSchema(Schema newSchema) {
        return new StoreTuning(maintenanceInterval, idleWait, maxChangesPerCommit, cleanupChunk, newSchema);
    }
}
