package dev.dhcpcluster.core.lease;

/**
 * A field that few slots have at a time, kept for those slots only: a small open-addressing map
 * from slot number to a time (epoch milliseconds) and, optionally, an object. The lease table
 * keeps pending offers (the client and the offer's end) and graces (their end) in it, which at a
 * moment concern a few thousand addresses of a table of millions: a column of them would cost
 * every slot 8 to 12 bytes. Linear probing, deletion by backward shift, no object per entry.
 * Not thread-safe.
 */
final class SparseSlots {

    private static final int MIN_CAPACITY = 16;

    /** Slot numbers plus one; 0 marks an empty entry. A power of two in size. */
    private int[] keys = new int[MIN_CAPACITY];
    private long[] times = new long[MIN_CAPACITY];
    private Object[] objects;
    private int size;

    /** @param withObjects whether entries carry an object besides their time */
    SparseSlots(boolean withObjects) {
        objects = withObjects ? new Object[MIN_CAPACITY] : null;
    }

    /** True if {@code slot} has an entry. */
    boolean has(int slot) {
        return find(slot) >= 0;
    }

    /** The time of {@code slot}'s entry, or {@code otherwise} if it has none. */
    long time(int slot, long otherwise) {
        int i = find(slot);
        return i >= 0 ? times[i] : otherwise;
    }

    /** The object of {@code slot}'s entry, or null if it has none. */
    Object object(int slot) {
        int i = find(slot);
        return i >= 0 ? objects[i] : null;
    }

    /** Sets {@code slot}'s entry, replacing any. */
    void put(int slot, long time, Object object) {
        int mask = keys.length - 1;
        int i = SlotIndex.mix(slot) & mask;
        while (keys[i] != 0) {
            if (keys[i] == slot + 1) {
                times[i] = time;
                if (objects != null) {
                    objects[i] = object;
                }
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = slot + 1;
        times[i] = time;
        if (objects != null) {
            objects[i] = object;
        }
        if (++size > keys.length / 2) {
            rehash(keys.length * 2);
        }
    }

    /** Changes the time of {@code slot}'s entry, which must exist. */
    void setTime(int slot, long time) {
        times[find(slot)] = time;
    }

    /** Removes {@code slot}'s entry, if any. */
    void remove(int slot) {
        int hole = find(slot);
        if (hole < 0) {
            return;
        }
        int mask = keys.length - 1;
        for (int j = (hole + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = SlotIndex.mix(keys[j] - 1) & mask;
            // The entry at j may fill the hole if its home is not between the hole (exclusive) and j.
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                move(j, hole);
                hole = j;
            }
        }
        keys[hole] = 0;
        if (objects != null) {
            objects[hole] = null;
        }
        size--;
        if (keys.length > MIN_CAPACITY && size < keys.length / 8) {
            rehash(keys.length / 2);
        }
    }

    int size() {
        return size;
    }

    private void move(int from, int to) {
        keys[to] = keys[from];
        times[to] = times[from];
        if (objects != null) {
            objects[to] = objects[from];
        }
    }

    private int find(int slot) {
        int[] k = keys;
        int mask = k.length - 1;
        for (int i = SlotIndex.mix(slot) & mask; k[i] != 0; i = (i + 1) & mask) {
            if (k[i] == slot + 1) {
                return i;
            }
        }
        return -1;
    }

    private void rehash(int capacity) {
        int[] oldKeys = keys;
        long[] oldTimes = times;
        Object[] oldObjects = objects;
        keys = new int[capacity];
        times = new long[capacity];
        objects = oldObjects == null ? null : new Object[capacity];
        int mask = capacity - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != 0) {
                int i = SlotIndex.mix(oldKeys[j] - 1) & mask;
                while (keys[i] != 0) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                times[i] = oldTimes[j];
                if (objects != null) {
                    objects[i] = oldObjects[j];
                }
            }
        }
    }
}
