package dev.dhcpcluster.bootstrap.testing;

import dev.dhcpcluster.port.time.Cancellable;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A clock and scheduler that move only when told, for deterministic tests of timing logic. Tasks
 * run on the caller's thread, in order of due time, ties in submission order.
 */
public final class VirtualTime implements Clock, Scheduler {

    private record Task(long due, long sequence, Runnable action, boolean[] cancelled) {
    }

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) -> a.due != b.due
            ? Long.compare(a.due, b.due) : Long.compare(a.sequence, b.sequence));
    private long now;
    private long sequence;

    public VirtualTime(long startMillis) {
        now = startMillis;
    }

    @Override
    public long millis() {
        return now;
    }

    /** The time in nanoseconds, for code that measures latencies. */
    public long nanos() {
        return now * 1_000_000L;
    }

    @Override
    public void execute(Runnable task) {
        schedule(Duration.ZERO, task);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        queue.add(new Task(now + Math.max(0, delay.toMillis()), sequence++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Runs every task due now, including tasks they submit for now. */
    public void runDue() {
        advance(Duration.ZERO);
    }

    /** Moves the clock forward, running each task when its due time is reached. */
    public void advance(Duration step) {
        long target = now + step.toMillis();
        while (!queue.isEmpty() && queue.peek().due <= target) {
            Task task = queue.poll();
            now = Math.max(now, task.due);
            if (!task.cancelled[0]) {
                task.action.run();
            }
        }
        now = target;
    }

    /** How many tasks wait to run (cancelled ones do not count). */
    public int pending() {
        return (int) queue.stream().filter(task -> !task.cancelled[0]).count();
    }
}
