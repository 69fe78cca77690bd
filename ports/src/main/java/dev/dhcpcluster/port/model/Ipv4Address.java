package dev.dhcpcluster.port.model;

/**
 * An IPv4 address held in one {@code int}, in network order (the first octet in the high byte).
 *
 * <p>Comparison is unsigned, so {@code 198.18.0.1} sorts before {@code 255.255.255.255}. The int
 * representation keeps pools and lease tables free of per-address objects on the hot path.
 */
public record Ipv4Address(int value) implements Comparable<Ipv4Address> {

    /** {@code 0.0.0.0}: "no address" in every BOOTP address field. */
    public static final Ipv4Address ZERO = new Ipv4Address(0);

    /** {@code 255.255.255.255}: the limited broadcast address. */
    public static final Ipv4Address BROADCAST = new Ipv4Address(0xFFFFFFFF);

    /** Wraps an int in network order. */
    public static Ipv4Address of(int value) {
        return value == 0 ? ZERO : new Ipv4Address(value);
    }

    /**
     * Parses dotted-quad notation, strictly: four decimal octets 0-255, no spaces, no leading
     * {@code +}.
     *
     * @throws IllegalArgumentException naming the text if it is not an IPv4 address
     */
    public static Ipv4Address parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("IPv4 address is missing");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: \"" + text + "\"");
        }
        int value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("not an IPv4 address: \"" + text + "\"");
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: \"" + text + "\" (octet " + octet + " > 255)");
            }
            value = (value << 8) | octet;
        }
        return of(value);
    }

    /** Reads four octets in network order from {@code bytes} at {@code offset}. */
    public static Ipv4Address fromBytes(byte[] bytes, int offset) {
        if (offset < 0 || offset + 4 > bytes.length) {
            throw new IllegalArgumentException("an IPv4 address needs 4 octets at offset " + offset
                    + " of " + bytes.length);
        }
        return of(((bytes[offset] & 0xFF) << 24) | ((bytes[offset + 1] & 0xFF) << 16)
                | ((bytes[offset + 2] & 0xFF) << 8) | (bytes[offset + 3] & 0xFF));
    }

    /** Reads an address from exactly four octets. */
    public static Ipv4Address fromBytes(byte[] bytes) {
        if (bytes.length != 4) {
            throw new IllegalArgumentException("an IPv4 address is 4 octets, not " + bytes.length);
        }
        return fromBytes(bytes, 0);
    }

    /** The four octets in network order. */
    public byte[] toBytes() {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    /** Writes the four octets into {@code target} at {@code offset}. */
    public void writeTo(byte[] target, int offset) {
        target[offset] = (byte) (value >>> 24);
        target[offset + 1] = (byte) (value >>> 16);
        target[offset + 2] = (byte) (value >>> 8);
        target[offset + 3] = (byte) value;
    }

    /** True for {@code 0.0.0.0}. */
    public boolean isZero() {
        return value == 0;
    }

    /** The address {@code delta} further on, wrapping at 2^32 like the int it is. */
    public Ipv4Address plus(int delta) {
        return of(value + delta);
    }

    /** The address as an unsigned number, for arithmetic across the 2^31 boundary. */
    public long toUnsignedLong() {
        return Integer.toUnsignedLong(value);
    }

    @Override
    public int compareTo(Ipv4Address other) {
        return Integer.compareUnsigned(value, other.value);
    }

    @Override
    public String toString() {
        return (value >>> 24) + "." + ((value >>> 16) & 0xFF) + "." + ((value >>> 8) & 0xFF) + "." + (value & 0xFF);
    }
}
