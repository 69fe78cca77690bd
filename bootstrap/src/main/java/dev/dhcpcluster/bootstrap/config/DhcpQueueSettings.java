package dev.dhcpcluster.bootstrap.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code "node.dhcp-queue"} object, resolved: how the node queues the DHCP datagrams its
 * one event-loop thread has not handled yet, and what it sheds when it cannot keep up. Datagrams
 * wait in one queue per class (REQUEST, DECLINE, RELEASE and INFORM; DISCOVER; anything else),
 * served in that order; a full queue drops its oldest datagram for a new one, and a datagram that
 * waited longer than {@code maxAge} is dropped instead of answered.
 *
 * @param capacity datagrams each class's queue holds, {@value #MIN_CAPACITY} to {@value #MAX_CAPACITY}
 * @param maxAge how long a datagram may wait before it is not worth answering;
 *     {@link Duration#ZERO} for no limit
 */
public record DhcpQueueSettings(int capacity, Duration maxAge) {

    /**
     * Datagrams each class holds when the file does not say: at the rates a node serves on a small
     * machine (5,000 to 15,000 per second), a few tenths of a second of work.
     */
    public static final int DEFAULT_CAPACITY = 4096;
    /**
     * The age limit when the file does not say. An ordinary client retransmits after about four
     * seconds (RFC 2131 section 4.1) and takes an answer until then, so a datagram three seconds
     * old is still worth answering, and one older has most likely been sent again (the new copy
     * waits behind it). Load generators give up sooner (perfdhcp after one second); a node tested
     * only by them may lower it.
     */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(3);
    public static final int MIN_CAPACITY = 16;
    public static final int MAX_CAPACITY = 1 << 20;
    /** The longest age limit: a minute, far beyond any client's patience. */
    public static final Duration LONGEST_MAX_AGE = Duration.ofMinutes(1);

    public DhcpQueueSettings {
        Objects.requireNonNull(maxAge, "maxAge");
        if (capacity < MIN_CAPACITY || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("a DHCP queue holds " + MIN_CAPACITY + " to " + MAX_CAPACITY
                    + " datagrams per class, not " + capacity);
        }
        if (maxAge.isNegative() || maxAge.compareTo(LONGEST_MAX_AGE) > 0) {
            throw new IllegalArgumentException("the age limit is 0 (none) to " + LONGEST_MAX_AGE.toMillis() + " ms, not "
                    + maxAge.toMillis() + " ms");
        }
    }

    /** The settings of a node file without {@code "dhcp-queue"}. */
    public static DhcpQueueSettings defaults() {
        return new DhcpQueueSettings(DEFAULT_CAPACITY, DEFAULT_MAX_AGE);
    }
}
