package dev.dhcpcluster.bootstrap.architecture.violations;

import java.util.random.RandomGenerator;

/** Makes its own generator through the Java 17 random API, which no seed replays. */
public final class UsesDefaultRandomGenerator {

    long jitter(long bound) {
        return RandomGenerator.getDefault().nextLong(bound);
    }
}
