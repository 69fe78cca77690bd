package dev.dhcpcluster.port.time;

import java.time.Duration;

/**
 * Outbound port: runs tasks on the application's single thread, now or later.
 *
 * <p>The application's state machines are single-threaded. Everything they do (handling a
 * datagram, a timer firing, a store reporting durability) reaches them through the one thread
 * behind this scheduler, so they need no locks. {@link #execute} is how an adapter's callback,
 * arriving on another thread, gets back onto it.
 *
 * <p>Tasks run in the order of their due time, and tasks due at the same time in the order they
 * were submitted. Every method may be called from any thread. A task that throws is logged and
 * does not stop later tasks.
 */
public interface Scheduler {

    /** Runs {@code task} on the application thread as soon as it is free. */
    void execute(Runnable task);

    /** Runs {@code task} on the application thread once {@code delay} has passed on the {@link Clock}. */
    Cancellable schedule(Duration delay, Runnable task);
}
