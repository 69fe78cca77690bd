package dev.dhcpcluster.core.simulation;

import java.util.PriorityQueue;

/**
 * The one timeline of a simulation: every message delivery, timer, connection event and fault is
 * an event on it, run one at a time in order of virtual time and, at equal times, of submission,
 * so that one seed always gives one order. Time is in nanoseconds from the start of the run.
 */
public final class EventQueue {

    /** One thing to happen at one virtual time; {@code node} is the node it happens to (-1 for the whole cluster). */
    public static final class Event implements Comparable<Event> {
        private final long time;
        private final long sequence;
        private final int node;
        private final String kind;
        private final Object detail;
        private final Runnable action;
        private boolean cancelled;

        private Event(long time, long sequence, int node, String kind, Object detail, Runnable action) {
            this.time = time;
            this.sequence = sequence;
            this.node = node;
            this.kind = kind;
            this.detail = detail;
            this.action = action;
        }

        /** Does what the event stands for. */
        public void run() {
            action.run();
        }

        /** Keeps the event from running. */
        public void cancel() {
            cancelled = true;
        }

        public long time() {
            return time;
        }

        public int node() {
            return node;
        }

        public String kind() {
            return kind;
        }

        public Object detail() {
            return detail;
        }

        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(time, other.time);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long sequence;

    /** Virtual nanoseconds since the start of the run. */
    public long now() {
        return now;
    }

    /** Adds an event {@code delay} nanoseconds from now (0 for "next"). */
    public Event after(long delay, int node, String kind, Object detail, Runnable action) {
        if (delay < 0) {
            throw new IllegalArgumentException("an event cannot be in the past: " + delay);
        }
        Event event = new Event(now + delay, sequence++, node, kind, detail, action);
        queue.add(event);
        return event;
    }

    /**
     * Takes the next event that is not cancelled, due at or before {@code end}, and moves the time to
     * it; the caller runs it with {@link Event#run()}. Null if none is left.
     */
    public Event next(long end) {
        while (true) {
            Event next = queue.peek();
            if (next == null || next.time > end) {
                return null;
            }
            queue.poll();
            if (next.cancelled) {
                continue;
            }
            now = next.time;
            return next;
        }
    }
}
