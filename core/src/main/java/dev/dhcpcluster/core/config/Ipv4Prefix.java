package dev.dhcpcluster.core.config;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Objects;

/**
 * An IPv4 prefix in CIDR notation, such as {@code 198.18.0.0/16}.
 *
 * @param network the network address (host bits zero)
 * @param length the prefix length, 0 to 32
 */
public record Ipv4Prefix(Ipv4Address network, int length) {

    public Ipv4Prefix {
        Objects.requireNonNull(network, "network");
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException("a prefix length is 0-32, not " + length);
        }
        if ((network.value() & ~maskOf(length)) != 0) {
            throw new IllegalArgumentException(network + "/" + length + " has host bits set");
        }
    }

    /**
     * Parses {@code address/length}; the address must be the network address.
     *
     * @throws IllegalArgumentException quoting the text if it is not such a prefix
     */
    public static Ipv4Prefix parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(quote(text) + " is not a prefix (address/length, like 198.18.0.0/16)");
        }
        Ipv4Address address;
        try {
            address = Ipv4Address.parse(text.substring(0, slash).strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(quote(text.substring(0, slash).strip())
                    + " is not an IPv4 address (dotted quad, like 198.18.0.1)");
        }
        String lengthText = text.substring(slash + 1).strip();
        int length;
        try {
            length = Integer.parseInt(lengthText);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(quote(text) + " has a prefix length that is not a number");
        }
        if (length < 0 || length > 32) {
            throw new IllegalArgumentException(quote(text) + " has prefix length " + length + ", not 0-32");
        }
        Ipv4Prefix prefix = new Ipv4Prefix(Ipv4Address.of(address.value() & maskOf(length)), length);
        if (!prefix.network().equals(address)) {
            throw new IllegalArgumentException(quote(text) + " has host bits set (the network is " + prefix + ")");
        }
        return prefix;
    }

    /** The mask as an int in network order. */
    public int mask() {
        return maskOf(length);
    }

    /** True if {@code address} lies in the prefix. */
    public boolean contains(Ipv4Address address) {
        return (address.value() & mask()) == network.value();
    }

    /** Every address of the prefix, network and broadcast address included. */
    public AddressRange range() {
        return new AddressRange(network, Ipv4Address.of(network.value() | ~mask()));
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }

    private static int maskOf(int length) {
        return length == 0 ? 0 : -1 << (32 - length);
    }

    @Override
    public String toString() {
        return network + "/" + length;
    }
}
