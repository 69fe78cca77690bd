package dev.dhcpcluster.port.time;

import java.time.Instant;

/**
 * Outbound port: the time, for code that may not read the system clock itself. Production uses
 * the wall clock; tests use a virtual clock they move by hand.
 */
public interface Clock {

    /** Milliseconds since the epoch. Monotonic within one run in every implementation we ship. */
    long millis();

    /**
     * Nanoseconds from an arbitrary origin, for measuring intervals on this node: timeouts, the
     * time since a peer was last heard, grants. Unlike {@link #millis()} it is never stepped when
     * the wall clock is set, so an interval measured on it is real elapsed time (up to the rate
     * error of the node's oscillator); it means nothing on another node or in another run.
     *
     * <p>The default scales {@link #millis()}, which is right for a clock that is never stepped,
     * such as a test's virtual clock; a clock that follows the wall clock must override it.
     */
    default long elapsedNanos() {
        return Math.multiplyExact(millis(), 1_000_000L);
    }

    /** The same time as an {@link Instant}. */
    default Instant now() {
        return Instant.ofEpochMilli(millis());
    }
}
