package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.core.config.Ipv4Prefix;
import dev.dhcpcluster.core.dhcp.OptionCatalog;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * Parsers for the textual values of a node file that are not plain addresses: prefixes, pool
 * ranges, hex and host identifiers. Each throws {@link IllegalArgumentException} with a message that
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

    /** A prefix such as {@code 198.18.0.0/16}, named by its network address (host bits zero). */
    static Ipv4Prefix prefix(String text) {
        return Ipv4Prefix.parse(text);
    }

    /** A pool, as Kea writes it: {@code "first - last"} or a prefix {@code "198.18.1.0/24"}. */
    static AddressRange pool(String text) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            if (text.indexOf('/') >= 0) {
                return prefix(text.strip()).range();
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

    /**
     * A host identifier as Kea reads one in a reservation ({@code circuit-id}, {@code client-id}):
     * either text in single quotes, {@code 'port-7'}, meaning the octets of its ASCII characters
     * (spaces around the quotes and just inside them are ignored, as Kea ignores them), or hex
     * octets: {@code 0a:1b:2c} or {@code 0a 1b 2c} (one or two digits an octet), or {@code 0a1b2c}
     * or {@code 0x0a1b2c} (an odd number of digits gets a leading zero, as in Kea). Never empty.
     */
    static byte[] hostIdentifier(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("is empty; give hex octets (01:02:0a) or text in single quotes ('port-7')");
        }
        String trimmed = text.strip();
        if (trimmed.length() > 1 && trimmed.startsWith("'") && trimmed.endsWith("'")) {
            String inner = trimmed.substring(1, trimmed.length() - 1).strip();
            if (inner.isEmpty()) {
                throw new IllegalArgumentException(quote(text) + " is empty between its quotes");
            }
            return ascii(inner, text, "write the identifier in hex instead");
        }
        try {
            return identifierHex(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(quote(text) + " is neither hex octets (01:02:0a, 01020a, 0x01020a) "
                    + "nor text in single quotes ('port-7'): " + e.getMessage());
        }
    }

    /**
     * A prefix of an option's text, as a vendor class identifier: the ASCII octets of the text as
     * written, or, written {@code 0x...}, hex octets. Never empty.
     */
    static byte[] textOrHex(String text) {
        if (text.startsWith("0x") || text.startsWith("0X")) {
            byte[] octets = hex(text);
            if (octets.length == 0) {
                throw new IllegalArgumentException(quote(text) + " has no hex digits after 0x");
            }
            return octets;
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("is empty; an empty prefix would match every request");
        }
        return ascii(text, text, "write it in hex as 0x...");
    }

    /** The octets of printable ASCII text; anything else is refused with {@code advice}. */
    private static byte[] ascii(String text, String original, String advice) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new IllegalArgumentException(quote(original) + " holds a character that is not printable ASCII ("
                        + String.format("U+%04X", (int) c) + "); " + advice);
            }
        }
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] identifierHex(String text) {
        String separator = text.indexOf(':') >= 0 ? ":" : text.indexOf(' ') >= 0 ? " " : null;
        if (separator != null) {
            String[] parts = text.split(separator, -1);
            byte[] octets = new byte[parts.length];
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].isEmpty() || parts[i].length() > 2 || !isHex(parts[i])) {
                    throw new IllegalArgumentException("octet \"" + parts[i] + "\" is not one or two hex digits");
                }
                octets[i] = (byte) HexFormat.fromHexDigits(parts[i]);
            }
            return octets;
        }
        String digits = text.length() > 2 && (text.startsWith("0x") || text.startsWith("0X")) ? text.substring(2) : text;
        if (!isHex(digits)) {
            throw new IllegalArgumentException("\"" + digits + "\" holds a character that is not a hex digit");
        }
        return HexFormat.of().parseHex(digits.length() % 2 == 0 ? digits : "0" + digits);
    }

    private static boolean isHex(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            // Only ASCII hex digits: Character.digit would also take other scripts' digits.
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return !text.isEmpty();
    }

    /** Field names quoted and listed for a message: {@code "a", "b" and "c"}. */
    static String listed(List<String> fields, String conjunction) {
        List<String> quoted = fields.stream().map(Syntax::quote).toList();
        if (quoted.size() == 1) {
            return quoted.get(0);
        }
        return String.join(", ", quoted.subList(0, quoted.size() - 1)) + " " + conjunction + " "
                + quoted.get(quoted.size() - 1);
    }

    /** Text in double quotes, as it appeared in the file. */
    static String quote(String text) {
        return "\"" + text + "\"";
    }
}
