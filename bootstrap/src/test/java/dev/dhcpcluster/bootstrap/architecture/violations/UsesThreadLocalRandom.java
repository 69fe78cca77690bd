package dev.dhcpcluster.bootstrap.architecture.violations;

import java.util.concurrent.ThreadLocalRandom;

/** Draws from the thread's random generator, which no seed replays. */
public final class UsesThreadLocalRandom {

    long jitter(long bound) {
        return ThreadLocalRandom.current().nextLong(bound);
    }
}
