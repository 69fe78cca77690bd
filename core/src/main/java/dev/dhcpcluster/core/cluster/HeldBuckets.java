package dev.dhcpcluster.core.cluster;

import java.util.Arrays;
import java.util.Set;

/**
 * A cluster member's {@link Responsibility}: the client hash buckets its current grant holds,
 * set by the runtime whenever the grant's holdings change (and to none when the grant lapses).
 * Starts with none: a member answers for no bucket until it is granted some.
 *
 * <p>Kept as 256 flags so that the server's question, asked once or twice per request, neither
 * allocates nor boxes. Not thread-safe: set and read on the server's single thread.
 */
public final class HeldBuckets implements Responsibility {

    private final boolean[] held = new boolean[LoadBalancing.BUCKETS];
    private int count;

    /** Answers from now on for exactly {@code buckets}, each 0 to {@link LoadBalancing#BUCKETS} - 1. */
    public void hold(Set<Integer> buckets) {
        Arrays.fill(held, false);
        for (int bucket : buckets) {
            held[bucket] = true;
        }
        count = buckets.size();
    }

    @Override
    public boolean servesBucket(int bucket) {
        return held[bucket];
    }

    /** How many buckets are held now. */
    public int count() {
        return count;
    }

    @Override
    public String toString() {
        return count + " of " + LoadBalancing.BUCKETS + " buckets";
    }
}
