package dev.dhcpcluster.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.store.LeaseStoreException;
import dev.dhcpcluster.port.store.WriteCompletion;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Records what a {@link LeaseStore} reported for one write and lets a test wait for it. The
 * counters show whether the store kept its promise of exactly one report per write.
 */
public final class RecordingCompletion implements WriteCompletion {

    private static final long TIMEOUT_SECONDS = 10;

    /** How often {@link #durable()} was called. */
    public final AtomicInteger durableCalls = new AtomicInteger();
    /** How often {@link #failed} was called. */
    public final AtomicInteger failedCalls = new AtomicInteger();
    /** The first failure reported, if any. */
    public final AtomicReference<LeaseStoreException> failure = new AtomicReference<>();
    private final CountDownLatch reported = new CountDownLatch(1);

    @Override
    public void durable() {
        durableCalls.incrementAndGet();
        reported.countDown();
    }

    @Override
    public void failed(LeaseStoreException cause) {
        failure.compareAndSet(null, cause);
        failedCalls.incrementAndGet();
        reported.countDown();
    }

    /** Waits for the first report; fails the test if none comes within 10 s. */
    public RecordingCompletion await() throws InterruptedException {
        assertTrue(reported.await(TIMEOUT_SECONDS, TimeUnit.SECONDS),
                "the store reported nothing within " + TIMEOUT_SECONDS + " s");
        return this;
    }

    /** Waits, and fails the test with the store's reason unless the write is durable. */
    public void awaitDurable() throws InterruptedException {
        await();
        if (failure.get() != null) {
            throw new AssertionError("the write failed", failure.get());
        }
    }

    /** Waits, fails the test if the write is durable, and returns why it failed. */
    public LeaseStoreException awaitFailure() throws InterruptedException {
        await();
        if (failure.get() == null) {
            throw new AssertionError("the write was reported durable; expected a failure");
        }
        return failure.get();
    }
}
