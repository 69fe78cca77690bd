package dev.dhcpcluster.bootstrap.architecture.violations;

import java.util.Random;

/** Draws from a random generator of its own instead of from a seed handed to it. */
public final class UsesRandom {

    private final Random random = new Random();

    int jitter(int bound) {
        return random.nextInt(bound);
    }
}
