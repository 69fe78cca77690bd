package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.core.dhcp.OptionCatalog;
import dev.dhcpcluster.port.model.Ipv4Address;

/**
 * Parsers for the textual values of a node file that are not plain addresses: prefixes, pool
 * ranges and hex identifiers. Each throws {@link IllegalArgumentException} with a message that
 * quotes the text, ready to be prefixed with the field's path.
 */
final class Syntax {

    private Syntax() {
    }

    /** An address written in dotted-quad notation; surrounding spaces are not allowed. */
    static Ipv4Address address(String text) {
        try {
            return Ipv4Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(quote(text) + " is not an IPv4 address (dotted quad, like 198.18.0.1)");
        }
    }

    /**
     * A prefix such as {@code 198.18.0.0/16}. With {@code requireNetwork}, host bits must be zero
     * (a subnet is named by its network address).
     */
    static Ipv4Prefix prefix(String text, boolean requireNetwork) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException(quote(text) + " is not a prefix (address/length, like 198.18.0.0/16)");
        }
        Ipv4Address address = address(text.substring(0, slash).strip());
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
        Ipv4Prefix prefix = new Ipv4Prefix(Ipv4Address.of(address.value() & (length == 0 ? 0 : -1 << (32 - length))), length);
        if (requireNetwork && !prefix.network().equals(address)) {
            throw new IllegalArgumentException(quote(text) + " has host bits set (the network is " + prefix + ")");
        }
        return prefix;
    }

    /** A pool, as Kea writes it: {@code "first - last"} or a prefix {@code "198.18.1.0/24"}. */
    static AddressRange pool(String text) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            if (text.indexOf('/') >= 0) {
                return prefix(text.strip(), true).range();
            }
            throw new IllegalArgumentException(quote(text)
                    + " is not a pool (\"first - last\" like \"198.18.1.1 - 198.18.1.254\", or a prefix like \"198.18.1.0/24\")");
        }
        Ipv4Address first = address(text.substring(0, dash).strip());
        Ipv4Address last = address(text.substring(dash + 1).strip());
        if (first.compareTo(last) > 0) {
            throw new IllegalArgumentException(quote(text) + " ends before it starts");
        }
        return new AddressRange(first, last);
    }

    /**
     * Octets written in hex, as Kea writes client identifiers and binary option data
     * ({@code 01:02:0a}, {@code 01020a}, {@code 0x01020a}).
     */
    static byte[] hex(String text) {
        return OptionCatalog.parseHex(text);
    }

    /** Text in double quotes, as it appeared in the file. */
    static String quote(String text) {
        return "\"" + text + "\"";
    }
}
