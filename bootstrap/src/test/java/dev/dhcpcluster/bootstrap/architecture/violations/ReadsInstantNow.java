package dev.dhcpcluster.bootstrap.architecture.violations;

import java.time.Duration;
import java.time.Instant;

/** Asks java.time for the current time instead of the Clock port. */
public final class ReadsInstantNow {

    Instant expiry(Duration leaseTime) {
        return Instant.now().plus(leaseTime);
    }
}
