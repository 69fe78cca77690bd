package dev.dhcpcluster.port.model;

/**
 * A {@link ClientKey} of up to seven octets held in one {@code long}, so that a table of a million
 * leases (the server's lease table, a cluster member's replica, or an integrator's compact store)
 * keeps no object per client: an Ethernet client's hardware key (htype and six octets) fits, and
 * so does the most common client identifier (type 1 and the MAC, as ISC dhclient sends it).
 *
 * <p>Layout: bit 63 is set for a client identifier, bits 56-58 hold the length (1-7), the octets
 * fill the low bytes, the first octet highest. A packed key is never 0, so 0 means "not packed":
 * a longer key stays a {@link ClientKey} object.
 */
public final class PackedClientKey {

    /** What {@link #pack} returns for a key too long to pack. */
    public static final long NONE = 0;

    private static final int MAX_OCTETS = 7;
    private static final long CLIENT_ID_BIT = 1L << 63;

    private PackedClientKey() {
    }

    /** The key packed, or {@link #NONE} if it has more than seven octets. */
    public static long pack(ClientKey key) {
        int length = key.length();
        if (length > MAX_OCTETS) {
            return NONE;
        }
        // The octets fill the low 56 bits, the first highest; the length sits above them.
        long octets = 0;
        for (int i = 0; i < length; i++) {
            octets = (octets << 8) | (key.octet(i) & 0xFF);
        }
        long packed = (long) length << 56 | octets;
        return key.kind() == ClientKey.Kind.CLIENT_ID ? packed | CLIENT_ID_BIT : packed;
    }

    /** The key a non-zero {@code packed} holds. */
    public static ClientKey unpack(long packed) {
        byte[] bytes = octets(packed);
        if ((packed & CLIENT_ID_BIT) != 0) {
            return ClientKey.ofClientId(bytes);
        }
        byte[] chaddr = new byte[bytes.length - 1];
        System.arraycopy(bytes, 1, chaddr, 0, chaddr.length);
        return ClientKey.ofHardware(HardwareAddress.of(bytes[0] & 0xFF, chaddr));
    }

    /**
     * True if the key's octets are {@code htype} followed by the octets of {@code hardware}: always
     * for a hardware key built from it, and for a client identifier of type and MAC. Such a lease
     * need not keep its hardware address apart ({@link #hardwareOf}).
     */
    public static boolean carriesHardware(long packed, HardwareAddress hardware) {
        int length = length(packed);
        if (length != 1 + hardware.length() || octet(packed, 0) != hardware.type()) {
            return false;
        }
        for (int i = 0; i < hardware.length(); i++) {
            if (octet(packed, i + 1) != (hardware.octet(i) & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /** The hardware address a key holds, when {@link #carriesHardware} said it does. */
    public static HardwareAddress hardwareOf(long packed) {
        byte[] bytes = octets(packed);
        byte[] chaddr = new byte[bytes.length - 1];
        System.arraycopy(bytes, 1, chaddr, 0, chaddr.length);
        return HardwareAddress.of(bytes[0] & 0xFF, chaddr);
    }

    private static int length(long packed) {
        return (int) (packed >>> 56) & 0x7;
    }

    private static int octet(long packed, int index) {
        return (int) (packed >>> (8 * (length(packed) - 1 - index))) & 0xFF;
    }

    private static byte[] octets(long packed) {
        byte[] bytes = new byte[length(packed)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) octet(packed, i);
        }
        return bytes;
    }
}
