package dev.dhcpcluster.core.dhcp;

import java.util.Optional;

/**
 * The host names a server accepts: DNS host names in the sense of RFC 1123 §2.1 (and RFC 952),
 * the names Kea's hostname sanitizer lets through with its default character set
 * ({@code [^A-Za-z0-9.-]}).
 *
 * <p>A valid name is one or more labels separated by dots. A label is 1 to 63 letters (ASCII, either
 * case), digits and hyphens, and neither starts nor ends with a hyphen; it may start with a digit
 * (RFC 1123 §2.1). The whole name, without a trailing dot, is at most 253 characters: 255 octets
 * in the wire format.
 *
 * <ul>
 *   <li><b>A trailing dot</b> (an absolute name, {@code host.example.com.}) is accepted and
 *       dropped: it names the same host, and a lease shows one spelling of it. Option 81 in the
 *       canonical wire format ends the same way (a terminating root label).</li>
 *   <li><b>Underscores</b> are refused. DNS allows them in other names (SRV and DKIM records), but
 *       not in host names (RFC 1123), and Kea's default character set removes them. Kea rewrites
 *       a bad name (it drops or replaces the characters it does not allow); this server refuses
 *       it instead, so that no stored name is one the client never sent.</li>
 * </ul>
 *
 * A name that passes holds no space, control character, backslash or non-ASCII character, so it
 * is safe in a log line or in one field of a table as it is.
 */
public final class HostNames {

    /** The longest label, in characters (RFC 1035 §2.3.4). */
    public static final int MAX_LABEL = 63;
    /** The longest name without a trailing dot, in characters: 255 octets in the wire format. */
    public static final int MAX_NAME = 253;

    private HostNames() {
    }

    /** True if {@code name} is a valid host name, with or without a trailing dot. */
    public static boolean isValid(String name) {
        return normalized(name).isPresent();
    }

    /** The name without its trailing dot if it is a valid host name; empty if it is not one. */
    public static Optional<String> normalized(String name) {
        String plain = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (plain.isEmpty() || plain.length() > MAX_NAME) {
            return Optional.empty();
        }
        int labelStart = 0;
        for (int i = 0; i <= plain.length(); i++) {
            if (i == plain.length() || plain.charAt(i) == '.') {
                if (!isLabel(plain, labelStart, i)) {
                    return Optional.empty();
                }
                labelStart = i + 1;
            }
        }
        return Optional.of(plain);
    }

    /** True if {@code text[start, end)} is a valid label. */
    static boolean isLabel(CharSequence text, int start, int end) {
        int length = end - start;
        if (length < 1 || length > MAX_LABEL || text.charAt(start) == '-' || text.charAt(end - 1) == '-') {
            return false;
        }
        for (int i = start; i < end; i++) {
            if (!isLetterDigitHyphen(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLetterDigitHyphen(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
    }
}
