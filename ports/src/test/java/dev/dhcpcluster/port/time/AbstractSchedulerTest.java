package dev.dhcpcluster.port.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link Scheduler} and the {@link Clock} it runs on: a virtual scheduler and a
 * real-time one pass the same tests. A subclass supplies the scheduler under test, its clock, and a
 * way to {@linkplain #letTimePass let time pass}: a virtual scheduler moves its clock and runs what
 * falls due; a real one waits.
 *
 * <p>Delays are short (tens of milliseconds) so that a real-time scheduler runs the contract
 * quickly, and every wait is bounded.
 */
public abstract class AbstractSchedulerTest {

    /** The scheduler under test, running; the subclass makes a fresh one for each test and stops it after. */
    protected abstract Scheduler scheduler();

    /** The clock the scheduler measures its delays on. */
    protected abstract Clock clock();

    /**
     * Lets {@code duration} pass on {@link #clock()} and returns once every task due by then has
     * run, including tasks those tasks submitted for no later. Tasks due later must not have run.
     * A task's exception that the contract provokes ({@link ProvokedFailure}) must not escape.
     */
    protected abstract void letTimePass(Duration duration) throws Exception;

    /**
     * A {@link #letTimePass} for a scheduler on real time: schedules a marker {@code duration} from
     * now and waits for it to run. Every task due no later was submitted before the marker, so it
     * has run by then if the scheduler keeps its order, and the contract's tests notice if not.
     */
    protected final void waitOnRealTime(Duration duration) throws InterruptedException {
        CountDownLatch marker = new CountDownLatch(1);
        scheduler().schedule(duration, marker::countDown);
        if (!marker.await(duration.toMillis() + 5_000, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the scheduler did not run a task due in " + duration.toMillis()
                    + " ms within five seconds more");
        }
    }

    /** The exception the contract's failing tasks throw, so that a subclass can tell it from a real failure. */
    protected static final class ProvokedFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** A failure, thrown on purpose by a task of the contract. */
        public ProvokedFailure() {
            super("a task failure provoked by the scheduler contract");
        }
    }

    @Test
    @DisplayName("tasks given to execute run in the order they were submitted")
    void executedTasksRunInSubmissionOrder() throws Exception {
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 50; i++) {
            int task = i;
            scheduler().execute(() -> ran.add(task));
        }

        letTimePass(Duration.ZERO);

        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(i);
        }
        assertEquals(expected, ran);
    }

    @Test
    @DisplayName("scheduled tasks run by due time, and tasks due together in the order submitted")
    void scheduledTasksRunByDueTimeThenSubmission() throws Exception {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        scheduler().schedule(Duration.ofMillis(60), () -> ran.add("late-1"));
        scheduler().schedule(Duration.ofMillis(20), () -> ran.add("early-1"));
        scheduler().schedule(Duration.ofMillis(60), () -> ran.add("late-2"));
        scheduler().schedule(Duration.ofMillis(20), () -> ran.add("early-2"));
        scheduler().execute(() -> ran.add("now"));

        letTimePass(Duration.ofMillis(100));

        assertEquals(List.of("now", "early-1", "early-2", "late-1", "late-2"), ran);
    }

    @Test
    @DisplayName("a scheduled task waits for its delay to pass on the clock")
    void scheduledTaskWaitsForItsDelay() throws Exception {
        long start = clock().elapsedNanos();
        List<Long> ranAt = Collections.synchronizedList(new ArrayList<>());
        scheduler().schedule(Duration.ofMillis(400), () -> ranAt.add(clock().elapsedNanos()));

        letTimePass(Duration.ofMillis(10));
        assertTrue(ranAt.isEmpty(), "the task ran before its delay had passed");

        letTimePass(Duration.ofMillis(500));
        assertEquals(1, ranAt.size(), "the task ran once its delay had passed");
        long waitedMillis = (ranAt.get(0) - start) / 1_000_000L;
        assertTrue(waitedMillis >= 400, "the task ran " + waitedMillis + " ms after it was scheduled");
    }

    @Test
    @DisplayName("tasks submitted from many threads all run, one at a time")
    void tasksFromManyThreadsRunOneAtATime() throws Exception {
        int threads = 4;
        int perThread = 50;
        AtomicInteger running = new AtomicInteger();
        AtomicBoolean overlapped = new AtomicBoolean();
        List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            submitters.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    int task = id * perThread + i;
                    Runnable body = () -> {
                        if (running.incrementAndGet() != 1) {
                            overlapped.set(true);
                        }
                        ran.add(task);
                        running.decrementAndGet();
                    };
                    if (i % 2 == 0) {
                        scheduler().execute(body);
                    } else {
                        scheduler().schedule(Duration.ofMillis(5), body);
                    }
                }
            }, "test-submitter-" + t));
        }

        submitters.forEach(Thread::start);
        for (Thread submitter : submitters) {
            submitter.join(5_000);
            assertFalse(submitter.isAlive(), "a submitting thread is stuck");
        }
        letTimePass(Duration.ofMillis(20));

        assertEquals(threads * perThread, ran.size(), "tasks that ran");
        assertEquals(threads * perThread, ran.stream().distinct().count(), "distinct tasks that ran");
        assertFalse(overlapped.get(), "two tasks ran at the same time");
    }

    @Test
    @DisplayName("a cancelled task never runs, cancelling twice is harmless, and the others still run")
    void cancelledTaskDoesNotRun() throws Exception {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        Cancellable cancelled = scheduler().schedule(Duration.ofMillis(20), () -> ran.add("cancelled"));
        scheduler().schedule(Duration.ofMillis(20), () -> ran.add("kept"));

        cancelled.cancel();
        cancelled.cancel();
        letTimePass(Duration.ofMillis(50));

        assertEquals(List.of("kept"), ran);
    }

    @Test
    @DisplayName("a task that throws does not stop the tasks after it")
    void throwingTaskDoesNotStopLaterOnes() throws Exception {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        scheduler().execute(() -> {
            throw new ProvokedFailure();
        });
        scheduler().execute(() -> ran.add("after an executed failure"));
        scheduler().schedule(Duration.ofMillis(10), () -> {
            throw new ProvokedFailure();
        });
        scheduler().schedule(Duration.ofMillis(20), () -> ran.add("after a scheduled failure"));

        letTimePass(Duration.ofMillis(50));

        assertEquals(List.of("after an executed failure", "after a scheduled failure"), ran);
    }

    @Test
    @DisplayName("a task scheduled by a running task runs after its own delay")
    void taskScheduledFromATaskRuns() throws Exception {
        List<String> ran = Collections.synchronizedList(new ArrayList<>());
        scheduler().execute(() -> {
            ran.add("first");
            scheduler().schedule(Duration.ofMillis(10), () -> ran.add("second"));
            scheduler().execute(() -> ran.add("now, after first"));
        });

        letTimePass(Duration.ofMillis(40));

        assertEquals(List.of("first", "now, after first", "second"), ran);
    }

    @Test
    @DisplayName("the clock does not go backwards")
    void clockIsMonotonic() throws Exception {
        long millis = clock().millis();
        long nanos = clock().elapsedNanos();

        letTimePass(Duration.ofMillis(15));

        // The wall clock may tick more coarsely than the interval clock: a few milliseconds of slack.
        assertTrue(clock().millis() >= millis + 10, "millis moved by " + (clock().millis() - millis));
        assertTrue(clock().elapsedNanos() - nanos >= 15_000_000L, "elapsed nanos moved by "
                + (clock().elapsedNanos() - nanos));
    }
}
