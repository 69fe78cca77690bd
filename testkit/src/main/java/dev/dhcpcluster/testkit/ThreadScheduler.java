package dev.dhcpcluster.testkit;

import dev.dhcpcluster.port.time.Cancellable;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A real-time {@link Clock} and {@link Scheduler} on one daemon thread of its own, for a test that
 * runs against real time: a {@link dev.dhcpcluster.testkit.client.DhcpClient} talking to a node, or
 * a server behind a {@link LoopbackTransport}. It keeps the scheduler's promises: tasks run one at
 * a time, by due time and then by submission; any thread may submit; a task that throws is logged
 * and the next one runs.
 *
 * <p>The clock is the system's: {@link #millis()} is the wall clock and {@link #elapsedNanos()}
 * {@link System#nanoTime()}. Deterministic tests want a virtual clock instead. Close it to stop the
 * thread; tasks not yet due are dropped.
 */
public final class ThreadScheduler implements Clock, Scheduler, AutoCloseable {

    private static final Logger LOG = System.getLogger(ThreadScheduler.class.getName());
    /** Longer delays (which would overflow nanoseconds) are capped: a century is "never" here. */
    private static final Duration LONGEST_DELAY = Duration.ofDays(36500);

    private final ScheduledThreadPoolExecutor executor;

    /** Starts a scheduler whose thread is named {@code threadName}. */
    public ThreadScheduler(String threadName) {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long millis() {
        return System.currentTimeMillis();
    }

    @Override
    public long elapsedNanos() {
        return System.nanoTime();
    }

    @Override
    public void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    /** Schedules {@code task}; after {@link #close()} the task is dropped and the cancel does nothing. */
    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        Duration wait = delay.isNegative() ? Duration.ZERO : delay.compareTo(LONGEST_DELAY) > 0 ? LONGEST_DELAY : delay;
        Runnable guarded = () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // The contract: a failing task is reported and does not stop the ones after it.
                LOG.log(Level.WARNING, "a scheduled task threw", e);
            }
        };
        if (executor.isShutdown()) {
            return () -> { };
        }
        try {
            ScheduledFuture<?> future = executor.schedule(guarded, wait.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        } catch (RejectedExecutionException e) {
            return () -> { };
        }
    }

    /** Stops the thread after the task running now, if any, and waits up to five seconds for it. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "a scheduled task is still running five seconds after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
