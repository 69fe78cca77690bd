package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.util.concurrent.AbstractIdleService;
import com.google.common.util.concurrent.Service;
import com.google.common.util.concurrent.ServiceManager;
import dev.dhcpcluster.port.time.Cancellable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EventLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final EventLoop loop = new EventLoop("test-loop");

    @BeforeEach
    void start() {
        loop.startAsync().awaitRunning();
    }

    @AfterEach
    void stop() {
        loop.stopAsync().awaitTerminated();
    }

    @Test
    @DisplayName("the loop's clock never reads behind the wall clock read just before it, to the millisecond")
    void theClockNeverReadsBehindTheWallClock() {
        // Two processes (a node and its client) each keep a clock: if either could lag the wall
        // clock, the node could store an expiry earlier than the one the client reckoned.
        for (int i = 0; i < 200_000; i++) {
            long wall = Math.floorDiv(wallNanos(), 1_000_000L);
            long clock = loop.millis();
            assertTrue(clock >= wall, "read " + i + ": the loop says " + clock + " after the wall clock said " + wall);
        }
    }

    private static long wallNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Test
    void tasksRunInSubmissionOrderOnOneThread() throws Exception {
        List<Integer> order = new ArrayList<>();
        Set<String> threads = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            int task = i;
            loop.execute(() -> {
                order.add(task);
                threads.add(Thread.currentThread().getName());
            });
        }
        loop.call(() -> null, WAIT);

        assertEquals(1000, order.size());
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, order.get(i));
        }
        assertEquals(Set.of("test-loop"), threads);
    }

    @Test
    void tasksDueAtTheSameTimeRunInSubmissionOrder() throws Exception {
        List<String> order = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(3);
        for (String name : List.of("a", "b", "c")) {
            loop.schedule(Duration.ofMillis(20), () -> {
                order.add(name);
                done.countDown();
            });
        }
        assertTrue(done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(List.of("a", "b", "c"), loop.call(() -> List.copyOf(order), WAIT));
    }

    @Test
    void aLaterTaskRunsAfterAnEarlierOne() throws Exception {
        List<String> order = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        loop.schedule(Duration.ofMillis(60), () -> {
            order.add("late");
            done.countDown();
        });
        loop.schedule(Duration.ofMillis(10), () -> {
            order.add("early");
            done.countDown();
        });
        assertTrue(done.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals(List.of("early", "late"), loop.call(() -> List.copyOf(order), WAIT));
    }

    @Test
    void aTaskThatThrowsDoesNotStopTheLoop() throws Exception {
        loop.execute(() -> {
            throw new IllegalStateException("a bug in one task");
        });

        assertEquals("still running", loop.call(() -> "still running", WAIT));
        assertTrue(loop.isRunning());
    }

    @Test
    void aCancelledTaskNeverRuns() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        Cancellable task = loop.schedule(Duration.ofMillis(20), () -> ran.set(true));
        task.cancel();
        CountDownLatch later = new CountDownLatch(1);
        loop.schedule(Duration.ofMillis(60), later::countDown);

        assertTrue(later.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertFalse(ran.get());
    }

    @Test
    void theClockFollowsTheWallClockAndNeverGoesBack() {
        long before = System.currentTimeMillis();
        long first = loop.millis();
        long second = loop.millis();

        assertTrue(Math.abs(first - before) < 1000, "clock " + first + " vs wall " + before);
        assertTrue(second >= first);
    }

    @Test
    void callingTheLoopFromItselfIsRefused() throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> loop.call(() -> loop.call(() -> 1, WAIT), WAIT));
        assertTrue(e.getCause() instanceof IllegalStateException);
    }

    @Test
    void theLoopOutlivesAServiceThatUsesItWhileStopping() {
        EventLoop shared = new EventLoop("shared-loop");
        AtomicBoolean drained = new AtomicBoolean();
        Service user = new AbstractIdleService() {
            @Override
            protected void startUp() {
            }

            @Override
            protected void shutDown() throws Exception {
                shared.call(() -> {
                    drained.set(true);
                    return null;
                }, WAIT);
            }
        };
        shared.stopAfter(user);
        ServiceManager services = new ServiceManager(List.of(shared, user));
        services.startAsync().awaitHealthy();

        services.stopAsync().awaitStopped();

        assertTrue(drained.get());
        assertEquals(Service.State.TERMINATED, user.state());
    }

    @Test
    void afterStopNewTasksAreDroppedQuietly() {
        loop.stopAsync().awaitTerminated();

        loop.execute(() -> { });
        loop.schedule(Duration.ofSeconds(1), () -> { }).cancel();
        assertThrows(ExecutionException.class, () -> loop.call(() -> 1, WAIT));
    }

    @Test
    @DisplayName("the backlog counts the tasks due and waiting for the thread apart from the timers set for later")
    void backlogSeparatesDueTasksFromTimers() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        loop.execute(() -> {
            running.countDown();
            try {
                blocked.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(running.await(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        for (int i = 0; i < 3; i++) {
            loop.execute(() -> { });
        }
        loop.schedule(Duration.ofHours(1), () -> { });
        loop.schedule(Duration.ofHours(2), () -> { });

        assertEquals(new EventLoop.Backlog(3, 2), loop.backlog());

        long before = loop.completedTasks();
        blocked.countDown();
        loop.call(() -> null, WAIT);
        assertEquals(new EventLoop.Backlog(0, 2), loop.backlog());
        assertTrue(loop.completedTasks() >= before + 4, "the blocking task and the three behind it ran");
    }
}
