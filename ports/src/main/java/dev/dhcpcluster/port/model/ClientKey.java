package dev.dhcpcluster.port.model;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The identity a lease is bound to (RFC 2131 §4.2): the client identifier (option 61) when the
 * client sent one, else the hardware type and address.
 *
 * <p>Client identifiers are opaque bytes; two keys are equal when their kind and bytes are equal,
 * so a client-identifier key never equals a hardware-address key, even with the same octets.
 */
public final class ClientKey {

    /** Where a key came from. */
    public enum Kind {
        /** Option 61, compared as opaque bytes. */
        CLIENT_ID,
        /** {@code htype} followed by the {@code hlen} octets of {@code chaddr}. */
        HARDWARE
    }

    private final Kind kind;
    private final byte[] bytes;
    private final int hash;

    private ClientKey(Kind kind, byte[] bytes) {
        this.kind = kind;
        this.bytes = bytes;
        this.hash = spread(kind, bytes);
    }

    /**
     * A hash that spreads keys which differ only in their last octets. {@link Arrays#hashCode(byte[])}
     * does not: over a million consecutive hardware addresses it takes about 22,000 values, and a
     * hash map of that many clients degrades into trees. FNV-1a over the kind and the octets, then
     * a final avalanche, gives every octet a say in every bit. It depends on nothing but the key,
     * so that one seed of a simulation replays the same iteration orders.
     */
    private static int spread(Kind kind, byte[] bytes) {
        int hash = 0x811c9dc5 ^ kind.ordinal();
        for (byte octet : bytes) {
            hash = (hash ^ (octet & 0xff)) * 0x01000193;
        }
        hash ^= hash >>> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >>> 13;
        hash *= 0xc2b2ae35;
        return hash ^ (hash >>> 16);
    }

    /**
     * A key from the value of option 61.
     *
     * @throws IllegalArgumentException if the identifier is empty (RFC 2132 §9.14 requires at least
     *     two octets, but we accept one so as to serve clients that send one)
     */
    public static ClientKey ofClientId(byte[] clientId) {
        if (clientId.length == 0) {
            throw new IllegalArgumentException("a client identifier must not be empty");
        }
        return new ClientKey(Kind.CLIENT_ID, clientId.clone());
    }

    /** A key from the hardware address, for a client that sent no option 61. */
    public static ClientKey ofHardware(HardwareAddress hardwareAddress) {
        byte[] bytes = new byte[1 + hardwareAddress.length()];
        bytes[0] = (byte) hardwareAddress.type();
        hardwareAddress.writeTo(bytes, 1);
        return new ClientKey(Kind.HARDWARE, bytes);
    }

    /** Which identity this key is. */
    public Kind kind() {
        return kind;
    }

    /** A copy of the key's bytes: the client identifier, or htype followed by chaddr. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** How many octets the key has: {@code bytes().length}, without the copy. */
    public int length() {
        return bytes.length;
    }

    /** The octet at {@code index} of {@link #bytes()}, without the copy. */
    public byte octet(int index) {
        return bytes[index];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClientKey that && kind == that.kind && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** {@code id:01:02:...} for a client identifier, {@code hw:01:02:...} for a hardware key. */
    @Override
    public String toString() {
        return (kind == Kind.CLIENT_ID ? "id:" : "hw:") + HexFormat.ofDelimiter(":").formatHex(bytes);
    }
}
