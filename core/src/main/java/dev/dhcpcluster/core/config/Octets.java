package dev.dhcpcluster.core.config;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable string of octets, compared by content: a relay agent's circuit-id or remote-id, a
 * prefix of a vendor class identifier or of a hardware address. Written as colon-separated hex.
 */
public final class Octets {

    private static final HexFormat COLON_HEX = HexFormat.ofDelimiter(":");

    private final byte[] octets;

    private Octets(byte[] octets) {
        this.octets = octets;
    }

    /**
     * The octets of {@code value}, copied.
     *
     * @throws IllegalArgumentException if {@code value} is empty
     */
    public static Octets of(byte[] value) {
        Objects.requireNonNull(value, "value");
        if (value.length == 0) {
            throw new IllegalArgumentException("an empty octet string matches nothing");
        }
        return new Octets(value.clone());
    }

    /** The length in octets, at least 1. */
    public int length() {
        return octets.length;
    }

    /** A copy of the octets. */
    public byte[] toByteArray() {
        return octets.clone();
    }

    /** True if {@code data} holds exactly these octets. */
    public boolean matches(byte[] data) {
        return Arrays.equals(octets, data);
    }

    /** True if the first {@code dataLength} octets of {@code data} begin with these octets. */
    public boolean isPrefixOf(byte[] data, int dataLength) {
        if (dataLength < octets.length || data.length < octets.length) {
            return false;
        }
        return Arrays.equals(octets, 0, octets.length, data, 0, octets.length);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Octets that && Arrays.equals(octets, that.octets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(octets);
    }

    /** Colon-separated lower-case hex, as {@code 0a:1b:2c}. */
    @Override
    public String toString() {
        return COLON_HEX.formatHex(octets);
    }
}
