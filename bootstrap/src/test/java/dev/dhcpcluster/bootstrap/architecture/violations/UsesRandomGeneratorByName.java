package dev.dhcpcluster.bootstrap.architecture.violations;

import java.util.random.RandomGenerator;

/** Makes its own generator by algorithm name, seeded from the system, which no seed replays. */
public final class UsesRandomGeneratorByName {

    long jitter(long bound) {
        return RandomGenerator.of("L64X128MixRandom").nextLong(bound);
    }
}
