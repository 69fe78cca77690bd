package dev.dhcpcluster.core.lease;

import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.PackedClientKey;
import java.util.HashMap;
import java.util.Map;

/**
 * A map from client to slot number ({@code int}, never negative) with no object per entry for the
 * common client: keys that {@link PackedClientKey} packs live in an open-addressing table of a
 * {@code long[]} and an {@code int[]} (linear probing, deletion by backward shift, hashes mixed so
 * that consecutive hardware addresses spread out; a packed key is never 0, so 0 marks an empty
 * entry); longer keys go to an ordinary map. Not thread-safe.
 */
final class ClientIndex {

    /** What the look-ups return for a client that has no entry. */
    static final int NONE = -1;

    private static final int MIN_CAPACITY = 16;
    /** The table grows past this share of its capacity, by half. */
    private static final double MAX_LOAD = 0.8;

    private long[] keys = new long[MIN_CAPACITY];
    private int[] values = new int[MIN_CAPACITY];
    private int size;
    private final Map<ClientKey, Integer> others = new HashMap<>();

    /** The value of {@code key}, or {@link #NONE}. */
    int get(ClientKey key) {
        long packed = PackedClientKey.pack(key);
        return packed == PackedClientKey.NONE ? others.getOrDefault(key, NONE) : get(packed);
    }

    /** Sets the value of {@code key} (not negative); returns the previous one, or {@link #NONE}. */
    int put(ClientKey key, int value) {
        long packed = PackedClientKey.pack(key);
        if (packed == PackedClientKey.NONE) {
            Integer previous = others.put(key, value);
            return previous == null ? NONE : previous;
        }
        return put(packed, value);
    }

    /**
     * Sets the value of {@code key} (not negative) if it has none, and returns {@link #NONE};
     * otherwise leaves it and returns it. One probe where a {@link #get} and a {@link #put} would
     * take two: a load of a million new clients pays one each.
     */
    int putIfAbsent(ClientKey key, int value) {
        long packed = PackedClientKey.pack(key);
        if (packed == PackedClientKey.NONE) {
            Integer previous = others.putIfAbsent(key, value);
            return previous == null ? NONE : previous;
        }
        int i = home(packed, keys.length);
        for (; keys[i] != 0; i = next(i, keys.length)) {
            if (keys[i] == packed) {
                return values[i];
            }
        }
        keys[i] = packed;
        values[i] = value;
        if (++size > keys.length * MAX_LOAD) {
            rehash(keys.length + keys.length / 2);
        }
        return NONE;
    }

    /** Removes {@code key}; returns its value, or {@link #NONE}. */
    int remove(ClientKey key) {
        long packed = PackedClientKey.pack(key);
        if (packed == PackedClientKey.NONE) {
            Integer previous = others.remove(key);
            return previous == null ? NONE : previous;
        }
        return remove(packed);
    }

    int size() {
        return size + others.size();
    }

    /**
     * Makes room for {@code entries} entries in all without growing: a load that knows how many
     * leases come sizes the index once.
     */
    void ensureCapacity(int entries) {
        // Filled to MAX_LOAD, not less: a sparser table made the look-ups of a load shorter, but its
        // extra megabytes left the old generation of a 256 MB heap too full (full collections).
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, (long) Math.ceil(entries / MAX_LOAD) + 1);
        if (capacity > keys.length) {
            rehash(capacity);
        }
    }

    private int get(long packed) {
        long[] k = keys;
        int capacity = k.length;
        for (int i = home(packed, capacity); k[i] != 0; i = next(i, capacity)) {
            if (k[i] == packed) {
                return values[i];
            }
        }
        return NONE;
    }

    private int put(long packed, int value) {
        int i = home(packed, keys.length);
        for (; keys[i] != 0; i = next(i, keys.length)) {
            if (keys[i] == packed) {
                int previous = values[i];
                values[i] = value;
                return previous;
            }
        }
        keys[i] = packed;
        values[i] = value;
        if (++size > keys.length * MAX_LOAD) {
            rehash(keys.length + keys.length / 2);
        }
        return NONE;
    }

    private int remove(long packed) {
        int capacity = keys.length;
        int i = home(packed, capacity);
        for (; keys[i] != 0; i = next(i, capacity)) {
            if (keys[i] == packed) {
                int removed = values[i];
                shiftBack(i);
                size--;
                return removed;
            }
        }
        return NONE;
    }

    /** Empties entry {@code hole}, moving later entries of its run back so that every entry stays reachable. */
    private void shiftBack(int hole) {
        int capacity = keys.length;
        for (int j = next(hole, capacity); keys[j] != 0; j = next(j, capacity)) {
            int home = home(keys[j], capacity);
            // The entry at j may fill the hole if its home is not between the hole (exclusive) and j.
            if (Math.floorMod(j - home, capacity) >= Math.floorMod(j - hole, capacity)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = 0;
        values[hole] = 0;
    }

    private void rehash(int capacity) {
        long[] oldKeys = keys;
        int[] oldValues = values;
        keys = new long[capacity];
        values = new int[capacity];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != 0) {
                int i = home(oldKeys[j], capacity);
                while (keys[i] != 0) {
                    i = next(i, capacity);
                }
                keys[i] = oldKeys[j];
                values[i] = oldValues[j];
            }
        }
    }

    private static int next(int i, int capacity) {
        return i + 1 == capacity ? 0 : i + 1;
    }

    /** Where a key's probe starts: its mixed hash mapped onto the capacity (any capacity, no modulo). */
    private static int home(long packed, int capacity) {
        long h = packed * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) (((h & 0xFFFF_FFFFL) * capacity) >>> 32);
    }
}
