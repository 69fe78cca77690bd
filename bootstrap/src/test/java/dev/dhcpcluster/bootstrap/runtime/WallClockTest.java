package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The node's clock against a wall clock and a monotonic clock that the test sets by hand. */
class WallClockTest {

    private static final long MS = 1_000_000L;

    /** Each source hands out the readings it is given, in order; the last one repeats. */
    private static final class Readings {
        private final Deque<Long> values = new ArrayDeque<>();
        private long last;

        Readings(Long... values) {
            this.values.addAll(List.of(values));
        }

        long next() {
            if (!values.isEmpty()) {
                last = values.poll();
            }
            return last;
        }
    }

    @Test
    @DisplayName("at its origin the clock reads the wall clock's millisecond, whatever fraction of it has passed")
    void theOriginIsNotTruncatedBehindTheWallClock() {
        // Started at 1000.9 ms; 0.2 ms later the wall clock reads 1001.1 ms. A clock whose origin
        // was truncated to 1000 ms and advanced by 0.2 ms would say 1000.
        Readings wall = new Readings(1000 * MS + 900_000, 1001 * MS + 100_000);
        Readings monotonic = new Readings(5 * MS, 5 * MS + 200_000);
        WallClock clock = new WallClock(wall::next, monotonic::next);

        assertEquals(1000, clock.millis());
        assertEquals(1001, clock.millis());
    }

    @Test
    @DisplayName("a wall clock stepped forward is followed at once")
    void aStepForwardIsFollowed() {
        Readings wall = new Readings(1000 * MS, 61_000 * MS);
        Readings monotonic = new Readings(0L, MS);
        WallClock clock = new WallClock(wall::next, monotonic::next);

        assertEquals(1000, clock.millis());
        assertEquals(61_000, clock.millis());
    }

    @Test
    @DisplayName("a wall clock stepped back is not followed: the clock never goes backwards")
    void aStepBackIsNotFollowed() {
        Readings wall = new Readings(61_000 * MS, 1000 * MS);
        Readings monotonic = new Readings(0L, 2 * MS);
        WallClock clock = new WallClock(wall::next, monotonic::next);

        assertEquals(61_000, clock.millis());
        assertEquals(61_002, clock.millis());
    }

    @Test
    @DisplayName("a reading delayed between its two reads does not push the clock ahead of the wall clock")
    void aDelayBetweenTheReadsDoesNotRunAhead() {
        // First reading: wall 1000 ms, then the thread is held up 5 ms before reading the monotonic clock.
        Readings wall = new Readings(1000 * MS, 1006 * MS);
        Readings monotonic = new Readings(5 * MS, 6 * MS);
        WallClock clock = new WallClock(wall::next, monotonic::next);

        assertEquals(1000, clock.millis(), "never ahead of the wall clock when the reading began... ");
        assertEquals(1006, clock.millis(), "...nor behind it later");
    }

    @Test
    void theSystemClockIsTheWallClock() {
        WallClock clock = new WallClock();
        long before = System.currentTimeMillis();
        long read = clock.millis();
        long after = System.currentTimeMillis();

        assertTrue(read >= before && read <= after, before + " <= " + read + " <= " + after);
    }
}
