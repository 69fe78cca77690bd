package dev.dhcpcluster.port.time;

import java.time.Instant;

/**
 * Outbound port: the time, for code that may not read the system clock itself. Production uses
 * the wall clock; tests use a virtual clock they move by hand.
 */
public interface Clock {

    /** Milliseconds since the epoch. Monotonic within one run in every implementation we ship. */
    long millis();

    /** The same time as an {@link Instant}. */
    default Instant now() {
        return Instant.ofEpochMilli(millis());
    }
}
