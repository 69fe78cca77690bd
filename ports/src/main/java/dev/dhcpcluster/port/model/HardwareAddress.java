package dev.dhcpcluster.port.model;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A link-layer address as BOOTP carries it: a hardware type ({@code htype}, 1 for Ethernet) and
 * up to 16 octets ({@code chaddr} truncated to {@code hlen}).
 *
 * <p>The octets are copied in and out, so an instance never changes.
 */
public final class HardwareAddress {

    /** The ARP hardware type of Ethernet, the {@code htype} of nearly every client. */
    public static final int ETHERNET = 1;

    /** The size of the BOOTP {@code chaddr} field. */
    public static final int MAX_LENGTH = 16;

    private final int type;
    private final byte[] octets;

    private HardwareAddress(int type, byte[] octets) {
        if (type < 0 || type > 255) {
            throw new IllegalArgumentException("hardware type must be 0-255, not " + type);
        }
        if (octets.length > MAX_LENGTH) {
            throw new IllegalArgumentException("a hardware address has at most 16 octets, not " + octets.length);
        }
        this.type = type;
        this.octets = octets;
    }

    /** A hardware address of the given type; the octets are copied. */
    public static HardwareAddress of(int type, byte[] octets) {
        return new HardwareAddress(type, octets.clone());
    }

    /** An Ethernet address from six octets. */
    public static HardwareAddress ethernet(byte[] octets) {
        if (octets.length != 6) {
            throw new IllegalArgumentException("an Ethernet address is 6 octets, not " + octets.length);
        }
        return of(ETHERNET, octets);
    }

    /**
     * Parses an Ethernet address written as six hex octets separated by {@code :} or {@code -}
     * ({@code 02:00:00:00:00:01}).
     *
     * @throws IllegalArgumentException naming the text if it is not such an address
     */
    public static HardwareAddress parseEthernet(String text) {
        if (text == null) {
            throw new IllegalArgumentException("hardware address is missing");
        }
        String[] parts = text.split("[:-]", -1);
        if (parts.length != 6) {
            throw new IllegalArgumentException("not an Ethernet address (six hex octets separated by ':'): \"" + text + "\"");
        }
        byte[] octets = new byte[6];
        for (int i = 0; i < 6; i++) {
            if (parts[i].length() != 2) {
                throw new IllegalArgumentException("not an Ethernet address (six hex octets separated by ':'): \"" + text + "\"");
            }
            try {
                octets[i] = (byte) HexFormat.fromHexDigits(parts[i]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not an Ethernet address (six hex octets separated by ':'): \"" + text + "\"", e);
            }
        }
        return new HardwareAddress(ETHERNET, octets);
    }

    /** The hardware type ({@code htype}). */
    public int type() {
        return type;
    }

    /** The number of octets ({@code hlen}). */
    public int length() {
        return octets.length;
    }

    /** A copy of the octets. */
    public byte[] octets() {
        return octets.clone();
    }

    /** The octet at {@code index}, without copying the array. */
    public byte octet(int index) {
        return octets[index];
    }

    /** Writes the octets into {@code target} at {@code offset}. */
    public void writeTo(byte[] target, int offset) {
        System.arraycopy(octets, 0, target, offset, octets.length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HardwareAddress that && type == that.type && Arrays.equals(octets, that.octets);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(octets);
    }

    /** Colon-separated lower-case hex, like {@code ip link} prints it. */
    @Override
    public String toString() {
        return HexFormat.ofDelimiter(":").formatHex(octets);
    }
}
