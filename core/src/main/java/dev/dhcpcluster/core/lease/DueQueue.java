package dev.dhcpcluster.core.lease;

import java.util.Arrays;

/**
 * A min-heap of (time, slot) pairs in two primitive arrays: a time in epoch milliseconds and the
 * number of the slot due then, with no object per entry and no reference for the collector to
 * trace. The lease table keeps its slots' ends in it. Not thread-safe.
 */
final class DueQueue {

    private long[] times = new long[16];
    private int[] items = new int[16];
    private int size;

    void add(long atMillis, int item) {
        if (size == times.length) {
            int capacity = size + (size >> 1);
            times = Arrays.copyOf(times, capacity);
            items = Arrays.copyOf(items, capacity);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (times[parent] <= atMillis) {
                break;
            }
            times[i] = times[parent];
            items[i] = items[parent];
            i = parent;
        }
        times[i] = atMillis;
        items[i] = item;
    }

    /** Makes room for {@code entries} entries in all without growing (a load that knows how many leases come). */
    void ensureCapacity(int entries) {
        if (times.length < entries) {
            times = Arrays.copyOf(times, entries);
            items = Arrays.copyOf(items, entries);
        }
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The earliest time queued; only when not {@link #isEmpty}. */
    long firstTime() {
        return times[0];
    }

    /** Removes the earliest entry and returns its item; only when not {@link #isEmpty}. */
    int poll() {
        int first = items[0];
        int last = --size;
        long time = times[last];
        int item = items[last];
        if (last > 0) {
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= last) {
                    break;
                }
                if (child + 1 < last && times[child + 1] < times[child]) {
                    child++;
                }
                if (time <= times[child]) {
                    break;
                }
                times[i] = times[child];
                items[i] = items[child];
                i = child;
            }
            times[i] = time;
            items[i] = item;
        }
        return first;
    }
}
