package dev.dhcpcluster.benchmarks;

import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import dev.dhcpcluster.port.telemetry.StoreEvents;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the store benchmarks need besides the store: events that count commits (to tell how many
 * changes one commit carried), and a completion to wait on.
 */
final class StoreCounting implements StoreEvents {

    final LongAdder commits = new LongAdder();
    final LongAdder changes = new LongAdder();
    final LongAdder failures = new LongAdder();

    @Override
    public void storeCommitted(int committed, Duration latency, int pending) {
        commits.increment();
        changes.add(committed);
    }

    @Override
    public void storeFailed(String cause, int pending) {
        failures.increment();
    }

    /** Changes per commit since the last reset, for the log of a run. */
    String summary() {
        long commitCount = commits.sum();
        return String.format("%d commits, %d changes, %.1f changes per commit, %d failed", commitCount, changes.sum(),
                commitCount == 0 ? 0.0 : (double) changes.sum() / commitCount, failures.sum());
    }

    /** Blocks the benchmark thread until the store reports; throws if the write failed. */
    static final class Durable implements WriteCompletion {
        private final CountDownLatch reported = new CountDownLatch(1);
        private volatile LeaseStoreException failure;

        @Override
        public void durable() {
            reported.countDown();
        }

        @Override
        public void failed(LeaseStoreException cause) {
            failure = cause;
            reported.countDown();
        }

        void await() throws InterruptedException {
            reported.await();
            if (failure != null) {
                throw new IllegalStateException("the benchmark's write failed", failure);
            }
        }
    }
}
