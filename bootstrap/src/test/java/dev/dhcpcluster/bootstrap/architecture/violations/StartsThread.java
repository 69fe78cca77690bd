package dev.dhcpcluster.bootstrap.architecture.violations;

/** Runs work on a thread of its own. */
public final class StartsThread {

    void later(Runnable work) {
        new Thread(work).start();
    }
}
