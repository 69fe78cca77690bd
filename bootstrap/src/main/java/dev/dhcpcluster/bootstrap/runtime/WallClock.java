package dev.dhcpcluster.bootstrap.runtime;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The node's clock: the wall clock to the millisecond, never behind it, never going backwards.
 *
 * <p>Every process on a host reads the same wall clock, and a lease's expiry is reckoned from it
 * on both sides: the client from when it sent its REQUEST, the node from when it handled it,
 * later. So that the node's expiry is never earlier than the client's, the node's clock must
 * never read behind the wall clock, not even by the fraction of a millisecond that a clock
 * started from {@link System#currentTimeMillis()} and advanced by {@link System#nanoTime()} loses
 * by truncating its origin.
 *
 * <p>The clock is the monotonic clock plus an offset to the wall clock. Each reading reads the
 * wall clock (at its full resolution: microseconds or better on Linux) and then the monotonic
 * clock, and raises the offset if the wall clock is ahead: a reading is therefore never behind
 * the wall clock as it was when the reading began, and never ahead of the wall clock unless that
 * was stepped back. A wall clock stepped forward is followed at once; one stepped back is not
 * followed (the clock keeps counting from where it was), so the clock never goes backwards, as
 * {@link dev.dhcpcluster.port.time.Clock} promises, and expiries reckoned meanwhile come out late,
 * never early.
 *
 * <p>Thread-safe: the offset only ever grows, by compare-and-set.
 */
final class WallClock {

    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final LongSupplier wallNanos;
    private final LongSupplier monotonicNanos;
    private final AtomicLong offset = new AtomicLong(Long.MIN_VALUE);

    /** The system's clocks: {@link Instant#now()} and {@link System#nanoTime()}. */
    WallClock() {
        this(WallClock::systemWallNanos, System::nanoTime);
    }

    /**
     * A clock over the given sources.
     *
     * @param wallNanos nanoseconds since the epoch, as precise as the source can tell
     * @param monotonicNanos nanoseconds from an arbitrary origin, never going backwards
     */
    WallClock(LongSupplier wallNanos, LongSupplier monotonicNanos) {
        this.wallNanos = wallNanos;
        this.monotonicNanos = monotonicNanos;
    }

    /** Milliseconds since the epoch. */
    long millis() {
        return Math.floorDiv(nanos(), NANOS_PER_MILLI);
    }

    /** Nanoseconds since the epoch. */
    long nanos() {
        // The wall clock first: the gap between the two reads then makes the offset smaller, not
        // larger, so a reading delayed between them cannot push the clock ahead of the wall clock.
        long wall = wallNanos.getAsLong();
        long monotonic = monotonicNanos.getAsLong();
        long current = offset.accumulateAndGet(wall - monotonic, Math::max);
        return monotonic + current;
    }

    private static long systemWallNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }
}
