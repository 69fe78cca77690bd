package dev.dhcpcluster.bootstrap.architecture.violations;

/** Reads the wall clock directly instead of through the Clock port. */
public final class ReadsSystemClock {

    long expiry(long leaseMillis) {
        return System.currentTimeMillis() + leaseMillis;
    }
}
