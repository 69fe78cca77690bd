package dev.dhcpcluster.bootstrap.runtime;

import dev.dhcpcluster.core.dhcp.DatagramClass;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The event loop's DHCP lane: one bounded queue per {@link DatagramClass}, served highest class
 * first, each class in the order its datagrams arrived. What a node that cannot keep up drops, and
 * why, is counted by class and {@link ShedReason}:
 * <ul>
 *   <li>{@link ShedReason#FULL}: a datagram that arrives when its class's queue is full pushes out
 *       the <em>oldest</em> of that class, as Kea's packet queue does. Under a flood, the
 *       datagrams that wait are the freshest: the client of the oldest has most likely
 *       retransmitted, or given up, already.</li>
 *   <li>{@link ShedReason#EXPIRED}: a datagram that has waited longer than the age limit is
 *       dropped when its turn comes instead of being answered: its client has stopped waiting
 *       for that answer, and the work would delay the answers that still count.</li>
 * </ul>
 * A flood of new clients' DISCOVERs therefore never pushes out a REQUEST (which completes an
 * exchange whose OFFER already cost the node, or renews a bound lease), and at saturation the node
 * spends its time on exchanges it can finish.
 *
 * <p>Thread-safe: any thread offers (the transports' receive threads), the loop polls a batch at a
 * time. One lock guards all of it; each operation holds it for a few array accesses.
 */
final class DatagramQueue {

    private static final DatagramClass[] CLASSES = DatagramClass.values();

    private final Ring[] rings = new Ring[CLASSES.length];
    private final long maxAgeNanos;
    private final LongSupplier nanos;
    /**
     * Guards everything below. A {@link ReentrantLock}, as {@link java.util.concurrent.ArrayBlockingQueue}
     * uses: under a flood the receiving thread takes it hundreds of thousands of times a second, and
     * the loop must still get it between two offers.
     */
    private final ReentrantLock lock = new ReentrantLock();
    /** Datagrams shed, by class ordinal and reason ordinal. */
    private final long[][] shed = new long[CLASSES.length][ShedReason.values().length];
    private int size;

    /**
     * @param capacity datagrams each class's queue holds
     * @param maxAge how long a datagram may wait; {@link Duration#ZERO} for no limit
     * @param nanos the monotonic clock ages are measured on ({@link System#nanoTime} on the loop)
     */
    DatagramQueue(int capacity, Duration maxAge, LongSupplier nanos) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a datagram queue holds at least one datagram, not " + capacity);
        }
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("the age limit cannot be negative: " + maxAge);
        }
        for (int i = 0; i < rings.length; i++) {
            rings[i] = new Ring(capacity);
        }
        this.maxAgeNanos = maxAge.toNanos();
        this.nanos = nanos;
    }

    /**
     * Queues {@code task} in its class's queue. Returns false if that queue was full, and its
     * oldest datagram was dropped to make room (counted as {@link ShedReason#FULL}).
     */
    boolean offer(DatagramClass datagramClass, Runnable task) {
        // Read outside the lock: the receiving thread holds it as briefly as it can.
        long now = nanos.getAsLong();
        lock.lock();
        try {
            Ring ring = rings[datagramClass.ordinal()];
            boolean room = ring.size < ring.tasks.length;
            if (!room) {
                ring.dropOldest();
                shed[datagramClass.ordinal()][ShedReason.FULL.ordinal()]++;
                size--;
            }
            ring.add(task, now);
            size++;
            return room;
        } finally {
            lock.unlock();
        }
    }

    /** The next datagram to handle, as {@link #poll(Runnable[])} takes them; null if none waits. */
    Runnable poll() {
        Runnable[] one = new Runnable[1];
        return poll(one) == 0 ? null : one[0];
    }

    /**
     * Takes up to {@code into.length} datagrams to handle, in the order they are to run, into
     * {@code into}, and returns how many: the oldest of the highest class that has any first,
     * after dropping every datagram ahead of them that is past the age limit. One lock for the
     * whole batch, so that a flood of offers from the receiving thread does not make the loop wait
     * for the lock once per datagram.
     */
    int poll(Runnable[] into) {
        long now = maxAgeNanos > 0 ? nanos.getAsLong() : 0;
        int taken = 0;
        lock.lock();
        try {
            for (int c = 0; c < rings.length && taken < into.length; c++) {
                Ring ring = rings[c];
                while (ring.size > 0 && taken < into.length) {
                    size--;
                    if (maxAgeNanos > 0 && now - ring.oldestQueuedAt() > maxAgeNanos) {
                        ring.dropOldest();
                        shed[c][ShedReason.EXPIRED.ordinal()]++;
                        continue;
                    }
                    into[taken++] = ring.take();
                }
            }
        } finally {
            lock.unlock();
        }
        return taken;
    }

    /** Datagrams waiting, in all classes. */
    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** Datagrams of {@code datagramClass} waiting. */
    int size(DatagramClass datagramClass) {
        lock.lock();
        try {
            return rings[datagramClass.ordinal()].size;
        } finally {
            lock.unlock();
        }
    }

    /** Datagrams of {@code datagramClass} shed for {@code reason} since the queue was made. */
    long shed(DatagramClass datagramClass, ShedReason reason) {
        lock.lock();
        try {
            return shed[datagramClass.ordinal()][reason.ordinal()];
        } finally {
            lock.unlock();
        }
    }

    /** Datagrams shed since the queue was made, every class and reason. */
    long shed() {
        lock.lock();
        try {
            long total = 0;
            for (long[] byReason : shed) {
                for (long count : byReason) {
                    total += count;
                }
            }
            return total;
        } finally {
            lock.unlock();
        }
    }

    /** A fixed-size ring of tasks and the times they were queued. */
    private static final class Ring {
        private final Runnable[] tasks;
        private final long[] queuedAt;
        private int head;
        private int size;

        Ring(int capacity) {
            tasks = new Runnable[capacity];
            queuedAt = new long[capacity];
        }

        void add(Runnable task, long now) {
            int tail = (head + size) % tasks.length;
            tasks[tail] = task;
            queuedAt[tail] = now;
            size++;
        }

        long oldestQueuedAt() {
            return queuedAt[head];
        }

        Runnable take() {
            Runnable task = tasks[head];
            dropOldest();
            return task;
        }

        void dropOldest() {
            tasks[head] = null;
            head = (head + 1) % tasks.length;
            size--;
        }
    }
}
