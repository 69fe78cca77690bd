package dev.dhcpcluster.core.cluster;

/**
 * Which client hash buckets ({@link LoadBalancing}) this node answers for: the seam through which
 * the DHCP server asks, before it offers an address, answers a broadcast REBINDING or tells an
 * unknown client no, whether the client is its to answer (RFC 3074).
 *
 * <p>Called on the server's single thread, once or twice per request: an implementation must be
 * cheap, allocate nothing and never block. It may change its answer between two requests (when
 * the node's grant of buckets changes); the server asks afresh each time.
 */
@FunctionalInterface
public interface Responsibility {

    /**
     * True if this node answers the clients of {@code bucket}.
     *
     * @param bucket 0 to {@link LoadBalancing#BUCKETS} - 1
     */
    boolean servesBucket(int bucket);

    /**
     * A node alone: it answers for every bucket. The server uses this one unless given another,
     * so a single node behaves as if buckets did not exist.
     */
    static Responsibility everyBucket() {
        return EveryBucket.INSTANCE;
    }

    /** True if this answers for every bucket whatever happens, so the server may skip the hash. */
    default boolean servesEveryBucket() {
        return false;
    }
}

/** The responsibility of a node alone. */
enum EveryBucket implements Responsibility {
    INSTANCE;

    @Override
    public boolean servesBucket(int bucket) {
        return true;
    }

    @Override
    public boolean servesEveryBucket() {
        return true;
    }

    @Override
    public String toString() {
        return "every bucket";
    }
}
