package dev.dhcpcluster.bootstrap.runtime;

import com.google.common.util.concurrent.AbstractIdleService;
import com.google.common.util.concurrent.Service;
import dev.dhcpcluster.bootstrap.config.DhcpQueueSettings;
import dev.dhcpcluster.core.dhcp.DatagramClass;
import dev.dhcpcluster.port.time.Cancellable;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application thread: one thread that runs every task of the node's single-threaded state
 * machines, as {@link Scheduler}, and the node's {@link Clock}.
 *
 * <p>Tasks run in order of due time, and tasks due at the same time in the order they were
 * submitted ({@link ScheduledThreadPoolExecutor} breaks ties by submission sequence). A task that
 * throws is logged and the loop goes on. Tasks may be submitted before the service starts; they
 * run once the thread is up. After the service stops, submissions are dropped (logged at debug):
 * a datagram or a store callback that arrives during shutdown has nowhere to go.
 *
 * <h2>Two lanes</h2>
 * DHCP datagrams come in through {@link #offerDatagram}, into a lane of their own, the
 * {@link DatagramQueue}: one bounded queue per {@link DatagramClass} ({@value #DEFAULT_DATAGRAM_LANE}
 * datagrams each by default), that the loop serves at most {@value #DATAGRAM_BATCH} at a time, as
 * one task among the others. Everything else (timers, peer messages, store callbacks,
 * {@link #execute} and {@link #call}) is the priority lane, the executor's own queue. So a flood of
 * datagrams, however fast, puts at most one batch of datagrams ahead of a timer or a peer message:
 * their wait stays bounded by what one batch takes, and a heartbeat never waits behind thousands of
 * DISCOVERs (which would start a false election).
 *
 * <p>Within the DHCP lane, REQUESTs (and DECLINE, RELEASE, INFORM) run before DISCOVERs, and
 * DISCOVERs before anything else (malformed datagrams included), each class in the order it
 * arrived. A datagram that finds its class's queue full pushes out the oldest of its class, and a
 * datagram that waited longer than the age limit is dropped when its turn comes; both are counted
 * by class and {@link ShedReason} ({@link #datagramsShed(DatagramClass, ShedReason)}). Shedding DHCP
 * load is safe, since clients retransmit, while an unbounded queue would only grow the wait of every
 * datagram behind it until none is answered in time; and shedding the oldest DISCOVERs first keeps
 * the node's work on the exchanges it can still finish.
 *
 * <p>The clock is a {@link WallClock}: the wall clock to the millisecond, never behind it (so that
 * a lease's expiry stored by the node is never earlier than the one its client reckoned from the
 * same wall clock), advanced by {@link System#nanoTime()} so that it never goes backwards within a
 * run (as {@link Clock} promises) and timers scheduled on it fire when it says they should.
 */
public final class EventLoop extends AbstractIdleService implements Clock, Scheduler {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    /** Longer delays (which would overflow nanoseconds) are capped: a century is "never" here. */
    private static final Duration LONGEST_DELAY = Duration.ofDays(36500);

    /** Datagrams each class of the DHCP lane holds by default: a few tenths of a second of a busy node's work. */
    public static final int DEFAULT_DATAGRAM_LANE = DhcpQueueSettings.DEFAULT_CAPACITY;
    /** Datagrams run in one turn of the DHCP lane, before the priority lane's tasks get the thread again. */
    static final int DATAGRAM_BATCH = 16;

    private final ScheduledThreadPoolExecutor executor;
    private final DatagramQueue datagrams;
    /** True while a drain task for the DHCP lane is queued or running: at most one is. */
    private final AtomicBoolean draining = new AtomicBoolean();
    /** Datagrams run, and turns of the DHCP lane taken: a turn is one executor task, each datagram one task. */
    private final LongAdder datagramsRun = new LongAdder();
    private final LongAdder turns = new LongAdder();
    private final WallClock clock = new WallClock();
    private volatile Thread thread;
    private final List<Service> users = new CopyOnWriteArrayList<>();

    /** A loop whose thread is named {@code name}, with the default DHCP lane ({@link DhcpQueueSettings#defaults}). */
    public EventLoop(String name) {
        this(name, DhcpQueueSettings.defaults());
    }

    /**
     * A loop whose thread is named {@code name}, with the default age limit.
     *
     * @param datagramLane how many datagrams of each class may wait for the loop before the oldest are shed
     */
    public EventLoop(String name, int datagramLane) {
        this(name, datagramLane, DhcpQueueSettings.DEFAULT_MAX_AGE);
    }

    /** A loop whose thread is named {@code name}, its DHCP lane as {@code queue} says. */
    public EventLoop(String name, DhcpQueueSettings queue) {
        this(name, queue.capacity(), queue.maxAge());
    }

    private EventLoop(String name, int datagramLane, Duration maxAge) {
        if (datagramLane < 1) {
            throw new IllegalArgumentException("the datagram lane holds at least one datagram, not " + datagramLane);
        }
        datagrams = new DatagramQueue(datagramLane, maxAge, System::nanoTime);
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread created = new Thread(runnable, name);
            created.setDaemon(true);
            thread = created;
            return created;
        });
        // Pending timers must not hold the node up at shutdown; tasks already due still run.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long millis() {
        return clock.millis();
    }

    /** {@link System#nanoTime()}: never stepped with the wall clock. */
    @Override
    public long elapsedNanos() {
        return System.nanoTime();
    }

    @Override
    public void execute(Runnable task) {
        submit(Duration.ZERO, task);
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable task) {
        ScheduledFuture<?> future = submit(delay.isNegative() ? Duration.ZERO : delay, task);
        return future == null ? () -> { } : () -> future.cancel(false);
    }

    /**
     * Queues {@code task}, the handling of one DHCP datagram of class {@code datagramClass}, in
     * the DHCP lane; any thread. Returns false if the class's queue was full: the loop is behind,
     * and the oldest datagram of the class was dropped (and counted) to make room, so that timers
     * and peer messages are not delayed and the freshest datagrams are the ones answered.
     */
    public boolean offerDatagram(DatagramClass datagramClass, Runnable task) {
        boolean room = datagrams.offer(datagramClass, task);
        // Read before the CAS: under a flood a turn is nearly always queued already.
        if (!draining.get() && draining.compareAndSet(false, true)) {
            submit(Duration.ZERO, this::drainDatagrams);
        }
        return room;
    }

    /** {@link #offerDatagram(DatagramClass, Runnable)} for a datagram nobody classified: a new client's. */
    public boolean offerDatagram(Runnable task) {
        return offerDatagram(DatagramClass.DISCOVER, task);
    }

    /** On the loop: one batch of the DHCP lane, then a new turn at the back of the queue if more wait. */
    private void drainDatagrams() {
        Runnable[] batch = new Runnable[DATAGRAM_BATCH];
        int count = datagrams.poll(batch);
        for (int i = 0; i < count; i++) {
            runLogged(batch[i]);
            datagramsRun.increment();
        }
        turns.increment();
        draining.set(false);
        // A datagram offered between the poll and the line above found draining true and queued
        // no turn: look again.
        if (datagrams.size() > 0 && draining.compareAndSet(false, true)) {
            submit(Duration.ZERO, this::drainDatagrams);
        }
    }

    /**
     * Runs every datagram waiting in the DHCP lane now, on the loop, and returns when they have
     * run: for a node that stops, after its transport closed, so that what was received is
     * answered before the store closes.
     */
    public void flushDatagrams(Duration timeout) throws ExecutionException, TimeoutException, InterruptedException {
        call(() -> {
            Runnable[] batch = new Runnable[DATAGRAM_BATCH];
            for (int count = datagrams.poll(batch); count > 0; count = datagrams.poll(batch)) {
                for (int i = 0; i < count; i++) {
                    runLogged(batch[i]);
                    datagramsRun.increment();
                }
            }
            return null;
        }, timeout);
    }

    /** Datagrams dropped unanswered by the DHCP lane since the loop was made, every class and reason. */
    public long datagramsShed() {
        return datagrams.shed();
    }

    /** Datagrams of {@code datagramClass} dropped unanswered for {@code reason} since the loop was made. */
    public long datagramsShed(DatagramClass datagramClass, ShedReason reason) {
        return datagrams.shed(datagramClass, reason);
    }

    /** Datagrams of {@code datagramClass} waiting in the DHCP lane now. */
    public int queuedDatagrams(DatagramClass datagramClass) {
        return datagrams.size(datagramClass);
    }

    /**
     * Runs {@code task} on the loop and waits for its result, for code outside the loop that must
     * read the state machines (startup, status queries). Must not be called on the loop itself.
     *
     * @throws ExecutionException if the task throws
     * @throws TimeoutException if the task has not finished within {@code timeout}
     */
    public <T> T call(Callable<T> task, Duration timeout) throws ExecutionException, TimeoutException, InterruptedException {
        if (inLoop()) {
            throw new IllegalStateException("call() on the event loop itself would wait for itself");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable wrapper = () -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        };
        try {
            executor.execute(wrapper);
        } catch (RejectedExecutionException e) {
            throw new ExecutionException("the event loop has stopped", e);
        }
        return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Makes the loop stop only after {@code user} has terminated, so that what {@code user} does
     * while it stops (draining queued datagrams, completing store writes) still has a thread. A
     * {@link com.google.common.util.concurrent.ServiceManager} stops its services all at once; this
     * is the one ordering a node needs.
     */
    public void stopAfter(Service user) {
        users.add(user);
    }

    /**
     * What waits in the loop's queue now: tasks already due (datagrams, store callbacks, timers
     * whose time has come) that wait for the thread, and timers set for later. Reads the queue
     * under its lock, once: for status and metrics, not for the hot path.
     */
    public Backlog backlog() {
        int due = 0;
        int later = 0;
        for (Runnable task : executor.getQueue().toArray(new Runnable[0])) {
            if (task instanceof Delayed delayed && delayed.getDelay(TimeUnit.NANOSECONDS) > 0) {
                later++;
            } else {
                due++;
            }
        }
        return new Backlog(due, later, datagrams.size());
    }

    /**
     * Tasks the loop has run since it started, each datagram counted as one (approximate while it
     * runs, as the executor says).
     */
    public long completedTasks() {
        return Math.max(0, executor.getCompletedTaskCount() - turns.sum() + datagramsRun.sum());
    }

    /**
     * The loop's queue at one moment.
     *
     * @param due tasks of the priority lane whose time has come, waiting for the thread: the loop's
     *     backlog (a turn of the DHCP lane counts as one)
     * @param scheduled timers set for later
     * @param datagrams datagrams waiting in the DHCP lane, every class
     */
    public record Backlog(int due, int scheduled, int datagrams) {

        /** A backlog with an empty DHCP lane. */
        public Backlog(int due, int scheduled) {
            this(due, scheduled, 0);
        }
    }

    /** True on the loop's own thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    @Override
    protected void startUp() {
        executor.prestartCoreThread();
    }

    @Override
    protected void shutDown() throws InterruptedException {
        for (Service user : users) {
            try {
                user.awaitTerminated(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                LOG.warn("{} still stopping after {} s; stopping the event loop anyway", user, STOP_TIMEOUT.toSeconds());
            } catch (IllegalStateException e) {
                LOG.debug("{} failed; stopping the event loop", user);
            }
        }
        executor.shutdown();
        if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            LOG.warn("event loop still busy after {} s; interrupting it", STOP_TIMEOUT.toSeconds());
            executor.shutdownNow();
        }
    }

    @Override
    protected String serviceName() {
        return "event-loop";
    }

    private ScheduledFuture<?> submit(Duration delay, Runnable task) {
        try {
            long nanos = delay.compareTo(LONGEST_DELAY) > 0 ? LONGEST_DELAY.toNanos() : delay.toNanos();
            return executor.schedule(() -> runLogged(task), nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("event loop stopped; dropped a task", e);
            return null;
        }
    }

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            // The state machines must survive a bug in one task; the log says which.
            LOG.error("task on the event loop failed", e);
            if (e instanceof VirtualMachineError error) {
                throw error;
            }
        }
    }
}
