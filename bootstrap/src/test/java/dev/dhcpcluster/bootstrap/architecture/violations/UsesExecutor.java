package dev.dhcpcluster.bootstrap.architecture.violations;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Runs work on a thread pool of its own. */
public final class UsesExecutor {

    ExecutorService pool() {
        return Executors.newSingleThreadExecutor();
    }
}
