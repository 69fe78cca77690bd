package dev.dhcpcluster.core.lease;

import dev.dhcpcluster.port.model.ClientKey;
import java.util.HashMap;
import java.util.Map;

/**
 * A map from client to value with no object per entry for the common client: keys that
 * {@link PackedClientKey} packs live in an open-addressing table of {@code long}s (linear probing,
 * deletion by backward shift, hashes mixed so that consecutive hardware addresses spread out);
 * longer keys go to an ordinary map. Not thread-safe.
 *
 * @param <V> the value type
 */
final class ClientIndex<V> {

    private static final int MIN_CAPACITY = 16;
    /** The table grows past this share of its capacity, by half. */
    private static final double MAX_LOAD = 0.8;

    private long[] keys = new long[MIN_CAPACITY];
    private Object[] values = new Object[MIN_CAPACITY];
    private int size;
    private final Map<ClientKey, V> others = new HashMap<>();

    /** The value of {@code key}, or null. */
    V get(ClientKey key) {
        long packed = PackedClientKey.pack(key);
        return packed == PackedClientKey.NONE ? others.get(key) : get(packed);
    }

    /** Sets the value of {@code key} (not null); returns the previous one, or null. */
    V put(ClientKey key, V value) {
        long packed = PackedClientKey.pack(key);
        return packed == PackedClientKey.NONE ? others.put(key, value) : put(packed, value);
    }

    /** Removes {@code key}; returns its value, or null. */
    V remove(ClientKey key) {
        long packed = PackedClientKey.pack(key);
        return packed == PackedClientKey.NONE ? others.remove(key) : remove(packed);
    }

    int size() {
        return size + others.size();
    }

    @SuppressWarnings("unchecked")
    private V get(long packed) {
        long[] k = keys;
        Object[] v = values;
        for (int i = home(packed, k.length); v[i] != null; i = next(i, k.length)) {
            if (k[i] == packed) {
                return (V) v[i];
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private V put(long packed, V value) {
        int i = home(packed, keys.length);
        for (; values[i] != null; i = next(i, keys.length)) {
            if (keys[i] == packed) {
                V previous = (V) values[i];
                values[i] = value;
                return previous;
            }
        }
        keys[i] = packed;
        values[i] = value;
        if (++size > keys.length * MAX_LOAD) {
            grow();
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private V remove(long packed) {
        int capacity = keys.length;
        int i = home(packed, capacity);
        for (; values[i] != null; i = next(i, capacity)) {
            if (keys[i] == packed) {
                V removed = (V) values[i];
                shiftBack(i);
                size--;
                return removed;
            }
        }
        return null;
    }

    /** Empties entry {@code hole}, moving later entries of its run back so that every entry stays reachable. */
    private void shiftBack(int hole) {
        int capacity = keys.length;
        for (int j = next(hole, capacity); values[j] != null; j = next(j, capacity)) {
            int home = home(keys[j], capacity);
            // The entry at j may fill the hole if its home is not between the hole (exclusive) and j.
            if (Math.floorMod(j - home, capacity) >= Math.floorMod(j - hole, capacity)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = 0;
        values[hole] = null;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        int capacity = oldKeys.length + oldKeys.length / 2;
        keys = new long[capacity];
        values = new Object[capacity];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldValues[j] != null) {
                int i = home(oldKeys[j], capacity);
                while (values[i] != null) {
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
