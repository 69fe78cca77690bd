package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.dhcp.DatagramClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The DHCP lane's queue on a clock the test moves: class order, drop-oldest per class, the age
 * limit, and the counts by class and reason.
 */
class DatagramQueueTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<String> ran = new ArrayList<>();

    private DatagramQueue queue(int capacity, Duration maxAge) {
        return new DatagramQueue(capacity, maxAge, nanos::get);
    }

    private Runnable task(String name) {
        return () -> ran.add(name);
    }

    /** Polls and runs every waiting task, in the order the queue gives them. */
    private void drain(DatagramQueue queue) {
        for (Runnable task = queue.poll(); task != null; task = queue.poll()) {
            task.run();
        }
    }

    @Test
    @DisplayName("REQUESTs are served before DISCOVERs, DISCOVERs before OTHER, each class in arrival order")
    void classOrder() {
        DatagramQueue queue = queue(8, Duration.ZERO);
        queue.offer(DatagramClass.OTHER, task("o1"));
        queue.offer(DatagramClass.DISCOVER, task("d1"));
        queue.offer(DatagramClass.REQUEST, task("r1"));
        queue.offer(DatagramClass.DISCOVER, task("d2"));
        queue.offer(DatagramClass.REQUEST, task("r2"));
        assertEquals(5, queue.size());
        assertEquals(2, queue.size(DatagramClass.REQUEST));

        drain(queue);

        assertEquals(List.of("r1", "r2", "d1", "d2", "o1"), ran);
        assertEquals(0, queue.size());
        assertNull(queue.poll());
    }

    @Test
    @DisplayName("a full class drops its oldest datagram for the new one, counted as full for that class only")
    void dropsTheOldestOfAFullClass() {
        DatagramQueue queue = queue(3, Duration.ZERO);
        for (int i = 1; i <= 3; i++) {
            assertTrue(queue.offer(DatagramClass.DISCOVER, task("d" + i)));
        }
        assertTrue(queue.offer(DatagramClass.REQUEST, task("r1")), "another class has its own room");
        assertFalse(queue.offer(DatagramClass.DISCOVER, task("d4")));
        assertFalse(queue.offer(DatagramClass.DISCOVER, task("d5")));

        assertEquals(2, queue.shed(DatagramClass.DISCOVER, ShedReason.FULL));
        assertEquals(0, queue.shed(DatagramClass.REQUEST, ShedReason.FULL));
        assertEquals(2, queue.shed());
        assertEquals(4, queue.size());
        drain(queue);
        assertEquals(List.of("r1", "d3", "d4", "d5"), ran);
    }

    @Test
    @DisplayName("a flood of DISCOVERs never pushes out a waiting REQUEST")
    void floodOfDiscoversKeepsRequests() {
        DatagramQueue queue = queue(16, Duration.ZERO);
        queue.offer(DatagramClass.REQUEST, task("renewal"));
        for (int i = 0; i < 10_000; i++) {
            queue.offer(DatagramClass.DISCOVER, task("d" + i));
        }

        assertEquals(10_000 - 16, queue.shed(DatagramClass.DISCOVER, ShedReason.FULL));
        Runnable first = queue.poll();
        first.run();
        assertEquals(List.of("renewal"), ran);
    }

    @Test
    @DisplayName("a datagram that waited longer than the age limit is dropped at its turn and counted as expired; a fresh one behind it runs")
    void ageLimit() {
        DatagramQueue queue = queue(8, Duration.ofSeconds(1));
        queue.offer(DatagramClass.DISCOVER, task("old-discover"));
        queue.offer(DatagramClass.REQUEST, task("old-request"));
        nanos.addAndGet(Duration.ofMillis(600).toNanos());
        queue.offer(DatagramClass.DISCOVER, task("fresh-discover"));
        nanos.addAndGet(Duration.ofMillis(401).toNanos());

        drain(queue);

        assertEquals(List.of("fresh-discover"), ran);
        assertEquals(1, queue.shed(DatagramClass.REQUEST, ShedReason.EXPIRED));
        assertEquals(1, queue.shed(DatagramClass.DISCOVER, ShedReason.EXPIRED));
        assertEquals(0, queue.shed(DatagramClass.DISCOVER, ShedReason.FULL));
        assertEquals(0, queue.size());
    }

    @Test
    @DisplayName("a datagram that waited exactly the age limit is still answered")
    void ageLimitIsInclusive() {
        DatagramQueue queue = queue(8, Duration.ofMillis(500));
        queue.offer(DatagramClass.DISCOVER, task("d"));
        nanos.addAndGet(Duration.ofMillis(500).toNanos());

        drain(queue);

        assertEquals(List.of("d"), ran);
        assertEquals(0, queue.shed());
    }

    @Test
    @DisplayName("with no age limit (0) a datagram waits as long as it takes")
    void noAgeLimit() {
        DatagramQueue queue = queue(8, Duration.ZERO);
        queue.offer(DatagramClass.DISCOVER, task("d"));
        nanos.addAndGet(Duration.ofHours(1).toNanos());

        drain(queue);

        assertEquals(List.of("d"), ran);
        assertEquals(0, queue.shed());
    }

    @Test
    @DisplayName("the ring wraps: many rounds of offers and polls keep order and count nothing as shed")
    void wrapsAround() {
        DatagramQueue queue = queue(4, Duration.ZERO);
        List<String> expected = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 3; i++) {
                String name = round + "-" + i;
                queue.offer(DatagramClass.DISCOVER, task(name));
                expected.add(name);
            }
            drain(queue);
        }
        assertEquals(expected, ran);
        assertEquals(0, queue.shed());
    }
}
