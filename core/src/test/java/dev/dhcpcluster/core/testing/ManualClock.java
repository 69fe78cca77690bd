package dev.dhcpcluster.core.testing;

import dev.dhcpcluster.port.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A virtual clock that moves only when a test moves it. Thread-safe. */
public final class ManualClock implements Clock {

    /** The instant a clock made with {@link #ManualClock()} starts at: an arbitrary, fixed moment. */
    public static final Instant DEFAULT_START = Instant.parse("2030-01-01T00:00:00Z");

    private long millis;

    /** A clock at {@link #DEFAULT_START}. */
    public ManualClock() {
        this(DEFAULT_START);
    }

    /** A clock at {@code start}. */
    public ManualClock(Instant start) {
        this.millis = start.toEpochMilli();
    }

    @Override
    public synchronized long millis() {
        return millis;
    }

    /**
     * Moves the clock forward.
     *
     * @throws IllegalArgumentException for a negative duration: the clock is monotonic
     */
    public synchronized void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("a clock does not go back: " + duration);
        }
        millis += duration.toMillis();
    }

    /** Moves the clock forward to {@code epochMillis}; a time in the past is refused. */
    public synchronized void advanceTo(long epochMillis) {
        if (epochMillis < millis) {
            throw new IllegalArgumentException("a clock does not go back: " + epochMillis + " < " + millis);
        }
        millis = epochMillis;
    }
}
