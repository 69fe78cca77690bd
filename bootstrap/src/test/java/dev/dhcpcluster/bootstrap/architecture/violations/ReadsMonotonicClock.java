package dev.dhcpcluster.bootstrap.architecture.violations;

/** Reads the monotonic clock directly instead of through the Clock port. */
public final class ReadsMonotonicClock {

    long elapsedSince(long start) {
        return System.nanoTime() - start;
    }
}
