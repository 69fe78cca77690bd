package dev.dhcpcluster.port.time;

/** A scheduled task that has not yet run. */
@FunctionalInterface
public interface Cancellable {

    /** Prevents the task from running, if it has not started. Idempotent. */
    void cancel();
}
