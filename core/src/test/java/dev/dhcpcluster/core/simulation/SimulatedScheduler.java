package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.port.time.Cancellable;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;

/**
 * One incarnation of a node's {@link Scheduler}: its tasks go on the shared {@link EventQueue},
 * with delays measured on the node's own {@link SimulatedClock}. When the incarnation ends (the
 * node crashes) every task it scheduled is dropped, as a process's timers die with it.
 */
public final class SimulatedScheduler implements Scheduler {

    private final EventQueue queue;
    private final SimulatedClock clock;
    private final int node;
    private boolean alive = true;

    public SimulatedScheduler(EventQueue queue, SimulatedClock clock, int node) {
        this.queue = queue;
        this.clock = clock;
        this.node = node;
    }

    @Override
    public void execute(Runnable task) {
        queue.after(0, node, "task", null, guard(task));
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        EventQueue.Event event = queue.after(clock.virtualDelay(delay.toNanos()), node, "timer", null, guard(task));
        return event::cancel;
    }

    /** Ends this incarnation: none of its tasks runs any more. */
    public void kill() {
        alive = false;
    }

    private Runnable guard(Runnable task) {
        return () -> {
            if (alive) {
                task.run();
            }
        };
    }
}
