package dev.dhcpcluster.core.testing;

import dev.dhcpcluster.port.time.Cancellable;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A deterministic {@link Scheduler} over a {@link ManualClock}: tasks run only when the test calls
 * {@link #runDue()} or {@link #advance(Duration)}, in order of due time and, at the same time, of
 * submission, on the test's thread.
 *
 * <p>{@link #execute} and {@link #schedule} may be called from any thread (a store completing on
 * its own thread, say); the tasks still run only on the thread that calls {@code runDue}. A task
 * that throws does not stop the others; the first failure is rethrown once the run is over, so a
 * test cannot miss it.
 */
public final class ManualScheduler implements Scheduler {

    private final ManualClock clock;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long sequence;

    public ManualScheduler(ManualClock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The clock this scheduler reads. */
    public ManualClock clock() {
        return clock;
    }

    @Override
    public synchronized void execute(Runnable task) {
        queue.add(new Task(clock.millis(), sequence++, task));
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable task) {
        if (delay.isNegative()) {
            delay = Duration.ZERO;
        }
        Task scheduled = new Task(clock.millis() + delay.toMillis(), sequence++, task);
        queue.add(scheduled);
        return () -> {
            synchronized (this) {
                queue.remove(scheduled);
            }
        };
    }

    /** How many tasks are waiting, due or not. */
    public synchronized int pending() {
        return queue.size();
    }

    /**
     * Runs every task due now, including those that running tasks submit for now.
     *
     * @return how many tasks ran
     */
    public int runDue() {
        return runUntil(clock.millis());
    }

    /**
     * Moves the clock forward by {@code duration}, stopping at each task's due time to run it, so
     * every task sees the clock at its own due time.
     *
     * @return how many tasks ran
     */
    public int advance(Duration duration) {
        return runUntil(clock.millis() + duration.toMillis());
    }

    private int runUntil(long endMillis) {
        List<RuntimeException> failures = new ArrayList<>();
        int ran = 0;
        while (true) {
            Task next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.dueMillis > endMillis) {
                    break;
                }
                queue.poll();
            }
            if (next.dueMillis > clock.millis()) {
                clock.advanceTo(next.dueMillis);
            }
            try {
                next.task.run();
            } catch (RuntimeException e) {
                failures.add(e);
            }
            ran++;
        }
        if (endMillis > clock.millis()) {
            clock.advanceTo(endMillis);
        }
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException(failures.size() + " scheduled task(s) threw",
                    failures.get(0));
            failures.stream().skip(1).forEach(failure::addSuppressed);
            throw failure;
        }
        return ran;
    }

    private record Task(long dueMillis, long sequence, Runnable task) implements Comparable<Task> {
        @Override
        public int compareTo(Task other) {
            int byTime = Long.compare(dueMillis, other.dueMillis);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }
}
