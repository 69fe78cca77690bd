package dev.dhcpcluster.core.cluster;

import java.util.Objects;

/**
 * The load-balancing hash of RFC 3074 (DHC Load Balancing Algorithm): it maps a client to one of
 * {@value #BUCKETS} hash buckets, so that servers that share a link can agree, without talking,
 * which of them answers the client.
 *
 * <h2>The function</h2>
 * RFC 3074 §6 defines it as a Pearson hash: start from the key's length (modulo 256), then, for
 * each octet of the key from the <em>last</em> to the first, replace the hash by the entry of the
 * RFC's 256-entry mixing table at {@code hash XOR octet}. The table below is the RFC's, in its
 * order. The result depends on nothing but the key's octets, so every node, JVM and version
 * computes the same bucket for a client; {@link Object#hashCode()} promises no such thing.
 *
 * <h2>The key</h2>
 * For DHCP, RFC 3074 takes as the client's service transaction id the client identifier option
 * (61) when the request carries one, else the {@code hlen} octets of {@code chaddr}. The option is
 * hashed by its value as a whole, that is every octet after its code and length, the type octet
 * included: the value RFC 2132 §9.14 defines (type, then identifier), and the octets a lease is
 * keyed on (RFC 2131 §4.2), so the bucket follows the lease's key. The hardware type
 * ({@code htype}) is not part of a {@code chaddr} key. An option 61 with no octets counts as
 * absent, as it does for the lease key. {@code dev.dhcpcluster.core.dhcp.ClientBuckets} takes the
 * key from a request.
 *
 * <p>Stateless, allocation-free and thread-safe.
 */
public final class LoadBalancing {

    /** The number of hash buckets: the hash is one octet. */
    public static final int BUCKETS = 256;

    /**
     * RFC 3074 §6's mixing table ({@code loadb_mx_tbl}): a permutation of 0..255, in the RFC's
     * order, sixteen entries to a line.
     */
    private static final int[] MIXING_TABLE = {
        251, 175, 119, 215,  81,  14,  79, 191, 103,  49, 181, 143, 186, 157,   0, 232,
         31,  32,  55,  60, 152,  58,  17, 237, 174,  70, 160, 144, 220,  90,  57, 223,
         59,   3,  18, 140, 111, 166, 203, 196, 134, 243, 124,  95, 222, 179, 197,  65,
        180,  48,  36,  15, 107,  46, 233, 130, 165,  30, 123, 161, 209,  23,  97,  16,
         40,  91, 219,  61, 100,  10, 210, 109, 250, 127,  22, 138,  29, 108, 244,  67,
        207,   9, 178, 204,  74,  98, 126, 249, 167, 116,  34,  77, 193, 200, 121,   5,
         20, 113,  71,  35, 128,  13, 182,  94,  25, 226, 227, 199,  75,  27,  41, 245,
        230, 224,  43, 225, 177,  26, 155, 150, 212, 142, 218, 115, 241,  73,  88, 105,
         39, 114,  62, 255, 192, 201, 145, 214, 168, 158, 221, 148, 154, 122,  12,  84,
         82, 163,  44, 139, 228, 236, 205, 242, 217,  11, 187, 146, 159,  64,  86, 239,
        195,  42, 106, 198, 118, 112, 184, 172,  87,   2, 173, 117, 176, 229, 247, 253,
        137, 185,  99, 164, 102, 147,  45,  66, 231,  52, 141, 211, 194, 206, 246, 238,
         56, 110,  78, 248,  63, 240, 189,  93,  92,  51,  53, 183,  19, 171,  72,  50,
         33, 104, 101,  69,   8, 252,  83, 120,  76, 135,  85,  54, 202, 125, 188, 213,
         96, 235, 136, 208, 162, 129, 190, 132, 156,  38,  47,   1,   7, 254,  24,   4,
        216, 131,  89,  21,  28, 133,  37, 153, 149,  80, 170,  68,   6, 169, 234, 151,
    };

    private LoadBalancing() {
    }

    /** The bucket, 0 to 255, of the whole of {@code key}. */
    public static int hash(byte[] key) {
        return hash(key, 0, key.length);
    }

    /**
     * The bucket, 0 to 255, of the {@code length} octets of {@code key} from {@code offset}.
     *
     * @throws IndexOutOfBoundsException if the range is not inside {@code key}
     */
    public static int hash(byte[] key, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, key.length);
        int hash = length & 0xFF;
        for (int i = offset + length - 1; i >= offset; i--) {
            hash = MIXING_TABLE[hash ^ (key[i] & 0xFF)];
        }
        return hash;
    }

    /** The mixing table's entry at {@code index}, for tests that check the table itself. */
    static int mixingTable(int index) {
        return MIXING_TABLE[index];
    }
}
