package dev.dhcpcluster.bootstrap.architecture.violations;

/** Draws from the JVM's shared random generator. */
public final class CallsMathRandom {

    double jitter() {
        return Math.random();
    }
}
