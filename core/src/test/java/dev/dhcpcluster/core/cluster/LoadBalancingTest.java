package dev.dhcpcluster.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The RFC 3074 hash. Its golden values were worked out by hand from the RFC's algorithm and table
 * (written out step by step in each test), so a change of the table or of the loop shows here,
 * whatever JVM runs it.
 */
class LoadBalancingTest {

    @Test
    @DisplayName("#36 the mixing table is a permutation of 0..255")
    void mixingTableIsAPermutation() {
        BitSet seen = new BitSet(LoadBalancing.BUCKETS);
        for (int i = 0; i < LoadBalancing.BUCKETS; i++) {
            int entry = LoadBalancing.mixingTable(i);
            assertTrue(entry >= 0 && entry < LoadBalancing.BUCKETS, "entry " + i + " is " + entry);
            assertTrue(!seen.get(entry), "entry " + i + " repeats " + entry);
            seen.set(entry);
        }
        assertEquals(LoadBalancing.BUCKETS, seen.cardinality());
    }

    @Test
    @DisplayName("#36 the mixing table is RFC 3074's, in its order")
    void mixingTableIsTheRfcs() {
        // The RFC's first entries and its last, and a fingerprint of the whole order:
        // sum of (i + 1) * table[i] over the RFC's table. Swapping any two entries i < j changes it
        // by (j - i) * (table[i] - table[j]), which is never 0.
        assertEquals(251, LoadBalancing.mixingTable(0));
        assertEquals(175, LoadBalancing.mixingTable(1));
        assertEquals(119, LoadBalancing.mixingTable(2));
        assertEquals(151, LoadBalancing.mixingTable(255));
        long fingerprint = 0;
        for (int i = 0; i < LoadBalancing.BUCKETS; i++) {
            fingerprint += (long) (i + 1) * LoadBalancing.mixingTable(i);
        }
        assertEquals(4_215_230L, fingerprint);
    }

    @Test
    @DisplayName("#36 an Ethernet chaddr hashes to the bucket worked out by hand")
    void ethernetAddressHashesToItsGoldenBucket() {
        // 02:00:00:00:00:01, six octets, taken from the last: hash = 6, then
        // T[6 ^ 0x01 = 7] = 191, T[191 ^ 0] = 238, T[238] = 24, T[24] = 174, T[174] = 247,
        // T[247 ^ 0x02 = 245] = 133.
        assertEquals(133, LoadBalancing.hash(new byte[] {2, 0, 0, 0, 0, 1}));
    }

    @Test
    @DisplayName("#36 a client identifier of type 1 hashes to the bucket worked out by hand")
    void clientIdentifierHashesToItsGoldenBucket() {
        // 01 02:00:00:00:00:01 (type 1, then the MAC), seven octets: hash = 7, then
        // T[7 ^ 0x01 = 6] = 79, T[79] = 67, T[67] = 61, T[61] = 23, T[23] = 237,
        // T[237 ^ 0x02 = 239] = 4, T[4 ^ 0x01 = 5] = 14.
        assertEquals(14, LoadBalancing.hash(new byte[] {1, 2, 0, 0, 0, 0, 1}));
    }

    @Test
    @DisplayName("#36 the hash starts from the key's length: one zero octet and no octet differ")
    void hashStartsFromTheLength() {
        // No octet: the length, 0, untouched. One zero octet: T[1 ^ 0] = 175.
        assertEquals(0, LoadBalancing.hash(new byte[0]));
        assertEquals(175, LoadBalancing.hash(new byte[] {0}));
        // 0xFF reads as 255, not -1: T[1 ^ 255 = 254] = 234.
        assertEquals(234, LoadBalancing.hash(new byte[] {(byte) 0xFF}));
    }

    @Test
    @DisplayName("#36 a key inside a larger array hashes as the key alone")
    void rangeHashesAsTheKeyAlone() {
        byte[] around = {9, 9, 2, 0, 0, 0, 0, 1, 9};

        assertEquals(133, LoadBalancing.hash(around, 2, 6));
        assertThrows(IndexOutOfBoundsException.class, () -> LoadBalancing.hash(around, 5, 6));
    }
}
