package dev.dhcpcluster.adapter.tcppeer;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The pause before the next dial to a peer: capped exponential backoff with jitter. The jitter
 * spreads the redials of many nodes that lost a peer at the same moment.
 */
final class Backoff {

    /** The first pause after a failure, and after a connection that ends. */
    static final long INITIAL_MILLIS = 100;

    /** The longest pause: a peer that comes back is found within about this long. */
    static final long MAX_MILLIS = 5_000;

    /** Each pause is the nominal one times a factor drawn from [1 - JITTER, 1 + JITTER]. */
    static final double JITTER = 0.2;

    private Backoff() {
    }

    /** The nominal pause after {@code current}: doubled, at least the initial one, at most the cap. */
    static long next(long currentMillis) {
        return Math.min(MAX_MILLIS, Math.max(INITIAL_MILLIS, currentMillis * 2));
    }

    /** {@code nominalMillis} with jitter applied. */
    static long jittered(long nominalMillis) {
        double factor = 1 + ThreadLocalRandom.current().nextDouble(-JITTER, JITTER);
        return Math.round(nominalMillis * factor);
    }
}
