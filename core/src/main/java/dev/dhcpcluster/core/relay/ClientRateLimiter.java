package dev.dhcpcluster.core.relay;

import java.util.Arrays;

/**
 * Per-client rate limiting: a token bucket for each client, keyed by its hardware address
 * ({@code chaddr}'s {@code hlen} octets, with {@code htype}). A client may send {@code burst}
 * requests at once and {@code requestsPerSecond} on average after that; a request beyond is
 * throttled ({@link RelayDropReason#RATE_LIMITED}). One client that floods (a broken
 * supplicant, a retransmission loop) thus uses its own bucket up and no one else's: every other
 * client keeps its full rate, which is what a relay in front of a whole cluster owes them.
 *
 * <p>The table is bounded by {@code maxClients}: when it is full, the client seen least recently
 * is forgotten. A flood of made-up hardware addresses therefore cannot grow memory; it can only
 * make the limiter forget clients, and a forgotten client starts again with a full bucket, so the
 * flood cannot starve anyone either. (Nor is it throttled: each made-up address is a new client;
 * a limit on the whole relay is the answer to that, not a per-client one.)
 *
 * <p>{@link #allow} allocates nothing: the table is parallel arrays, grown by doubling up to
 * {@code maxClients}, chained by index, with the recency order as an intrusive list. Time is the
 * caller's monotonic clock in nanoseconds (core reads no clock). Not thread-safe: one event loop
 * owns it.
 */
public final class ClientRateLimiter {

    private static final int INITIAL_CAPACITY = 1024;
    private static final int NONE = -1;
    private static final int CHADDR = Framing.CHADDR;
    private static final int MIN_LENGTH = CHADDR + 16;
    private static final int MAX_HLEN = 16;

    private final double requestsPerSecond;
    private final int burst;
    private final int maxClients;
    private final double tokensPerNano;

    // One slot per client: its key, its bucket, its place in the hash chain and the recency list.
    private long[] keyHigh;
    private long[] keyLow;
    private int[] keyShape;
    private double[] tokens;
    private long[] seenNanos;
    private int[] chainNext;
    private int[] newer;
    private int[] older;
    /** The first slot of each hash chain. */
    private int[] heads;
    private int size;
    /** The most and the least recently seen client. */
    private int newest = NONE;
    private int oldest = NONE;

    /**
     * A limiter that lets each client send {@code burst} requests at once and
     * {@code requestsPerSecond} on average, remembering at most {@code maxClients} clients.
     *
     * @throws IllegalArgumentException if the rate is not a positive finite number, or the burst
     *     or the number of clients is not positive
     */
    public ClientRateLimiter(double requestsPerSecond, int burst, int maxClients) {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("requests per second must be a positive number, not " + requestsPerSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("the burst must be at least 1 request, not " + burst);
        }
        if (maxClients < 1) {
            throw new IllegalArgumentException("the limiter must remember at least 1 client, not " + maxClients);
        }
        this.requestsPerSecond = requestsPerSecond;
        this.burst = burst;
        this.maxClients = maxClients;
        this.tokensPerNano = requestsPerSecond / 1e9;
        allocate(Math.min(maxClients, INITIAL_CAPACITY));
    }

    /** The average rate each client may send at. */
    public double requestsPerSecond() {
        return requestsPerSecond;
    }

    /** How many requests a client may send at once. */
    public int burst() {
        return burst;
    }

    /** How many clients the limiter remembers at most. */
    public int maxClients() {
        return maxClients;
    }

    /** How many clients the limiter remembers now. */
    public int clients() {
        return size;
    }

    /**
     * Whether {@code request}, received from a client at {@code nowNanos}, may pass; {@code false}
     * means throttled. A datagram too short to hold {@code chaddr}, or whose {@code hlen} exceeds
     * 16, passes: it names no client, and the relay agent drops it as malformed anyway.
     */
    public boolean allow(byte[] request, long nowNanos) {
        if (request.length < MIN_LENGTH || (request[2] & 0xFF) > MAX_HLEN) {
            return true;
        }
        int hlen = request[2] & 0xFF;
        long high = 0;
        long low = 0;
        for (int i = 0; i < hlen; i++) {
            long octet = request[CHADDR + i] & 0xFFL;
            if (i < 8) {
                high = high << 8 | octet;
            } else {
                low = low << 8 | octet;
            }
        }
        int shape = (request[1] & 0xFF) << 8 | hlen;
        int chain = chainOf(high, low, shape, heads.length);
        int slot = heads[chain];
        while (slot != NONE && !(keyHigh[slot] == high && keyLow[slot] == low && keyShape[slot] == shape)) {
            slot = chainNext[slot];
        }
        if (slot == NONE) {
            slot = admit(high, low, shape, nowNanos);
        } else {
            long elapsed = nowNanos - seenNanos[slot];
            if (elapsed > 0) {
                tokens[slot] = Math.min(burst, tokens[slot] + elapsed * tokensPerNano);
                seenNanos[slot] = nowNanos;
            }
            touch(slot);
        }
        if (tokens[slot] >= 1) {
            tokens[slot] -= 1;
            return true;
        }
        return false;
    }

    /** A slot for a new client with a full bucket: a free one, else the least recently seen client's. */
    private int admit(long high, long low, int shape, long nowNanos) {
        int slot;
        if (size < keyHigh.length) {
            slot = size++;
        } else if (size < maxClients) {
            grow();
            slot = size++;
        } else {
            slot = oldest;
            unlink(slot);
            unchain(slot);
        }
        keyHigh[slot] = high;
        keyLow[slot] = low;
        keyShape[slot] = shape;
        tokens[slot] = burst;
        seenNanos[slot] = nowNanos;
        int chain = chainOf(high, low, shape, heads.length);
        chainNext[slot] = heads[chain];
        heads[chain] = slot;
        linkNewest(slot);
        return slot;
    }

    /** Makes {@code slot} the most recently seen client. */
    private void touch(int slot) {
        if (slot != newest) {
            unlink(slot);
            linkNewest(slot);
        }
    }

    private void linkNewest(int slot) {
        older[slot] = newest;
        newer[slot] = NONE;
        if (newest != NONE) {
            newer[newest] = slot;
        }
        newest = slot;
        if (oldest == NONE) {
            oldest = slot;
        }
    }

    private void unlink(int slot) {
        int before = older[slot];
        int after = newer[slot];
        if (before != NONE) {
            newer[before] = after;
        } else {
            oldest = after;
        }
        if (after != NONE) {
            older[after] = before;
        } else {
            newest = before;
        }
    }

    /** Removes {@code slot} from its hash chain. */
    private void unchain(int slot) {
        int chain = chainOf(keyHigh[slot], keyLow[slot], keyShape[slot], heads.length);
        if (heads[chain] == slot) {
            heads[chain] = chainNext[slot];
            return;
        }
        int previous = heads[chain];
        while (chainNext[previous] != slot) {
            previous = chainNext[previous];
        }
        chainNext[previous] = chainNext[slot];
    }

    private void allocate(int capacity) {
        keyHigh = new long[capacity];
        keyLow = new long[capacity];
        keyShape = new int[capacity];
        tokens = new double[capacity];
        seenNanos = new long[capacity];
        chainNext = new int[capacity];
        newer = new int[capacity];
        older = new int[capacity];
        heads = new int[Integer.highestOneBit(capacity) << 1];
        Arrays.fill(heads, NONE);
    }

    /** Doubles the slots (up to maxClients) and re-chains every client; the recency list keeps its indexes. */
    private void grow() {
        int capacity = (int) Math.min(maxClients, 2L * keyHigh.length);
        keyHigh = Arrays.copyOf(keyHigh, capacity);
        keyLow = Arrays.copyOf(keyLow, capacity);
        keyShape = Arrays.copyOf(keyShape, capacity);
        tokens = Arrays.copyOf(tokens, capacity);
        seenNanos = Arrays.copyOf(seenNanos, capacity);
        chainNext = Arrays.copyOf(chainNext, capacity);
        newer = Arrays.copyOf(newer, capacity);
        older = Arrays.copyOf(older, capacity);
        heads = new int[Integer.highestOneBit(capacity) << 1];
        Arrays.fill(heads, NONE);
        for (int slot = 0; slot < size; slot++) {
            int chain = chainOf(keyHigh[slot], keyLow[slot], keyShape[slot], heads.length);
            chainNext[slot] = heads[chain];
            heads[chain] = slot;
        }
    }

    private static int chainOf(long high, long low, int shape, int chains) {
        long mixed = (high * 0x9E3779B97F4A7C15L) ^ (low * 0xC2B2AE3D27D4EB4FL) ^ shape;
        mixed ^= mixed >>> 29;
        mixed *= 0xBF58476D1CE4E5B9L;
        mixed ^= mixed >>> 32;
        return (int) mixed & (chains - 1);
    }
}
