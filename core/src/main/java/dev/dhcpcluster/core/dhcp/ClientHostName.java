package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.port.model.HostNameSent;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The host name a client offers for itself in a request, judged by {@link HostNames}: a valid name
 * may be stored with the client's lease, a refused one never is (the request is served all the
 * same, and the lease has no host name).
 *
 * <h2>Where the name comes from</h2>
 * Option 81 (Client FQDN, RFC 4702) first, as Kea does: when a request carries both, the name in
 * option 81 decides, and option 12 is not looked at, even if 81's name is refused (the client said
 * which name it wants; another one is not quietly taken instead). An option 81 with an empty name
 * (a client that leaves its name to the server) does not count, and option 12 is read.
 * <ul>
 *   <li>Option 81 is a flags octet, two obsolete RCODE octets, and the name: in the canonical wire
 *       format of RFC 1035 §3.1 (labels, no compression) if the E flag (0x04) is set, a fully
 *       qualified name ending with the root label or a partial one without it; in ASCII
 *       otherwise (deprecated, but still sent). An option 81 shorter than three octets, or whose
 *       wire format is broken (a compression pointer, a label running past the end, octets after
 *       the root label), is refused.</li>
 *   <li>Option 12 (RFC 2132 §3.14) is the name in ASCII. NULs at its end are dropped, since some
 *       clients send the C string's terminator.</li>
 * </ul>
 *
 * <h2>What the client sent</h2>
 * Besides the judged name, {@link #sent()} keeps the octets the client sent, valid or not, so that
 * the lease can show them to an operator: option 12's whole value (NULs at its end included); the
 * octets after option 81's three-octet header when its name is in ASCII, or the whole option if it
 * is shorter than three octets; an option 81 name in the wire format as its text (labels joined by
 * dots, and a final dot if the name ends with the root label), or its wire octets as sent if they
 * cannot be read as such a text (a broken wire format, a dot inside a label).
 *
 * @param option where the name came from: {@link OptionCode#CLIENT_FQDN} or {@link OptionCode#HOST_NAME}
 * @param name a valid name without its trailing dot; a refused one as the client sent it, one
 *     character per octet (ISO-8859-1), which must be escaped before it is printed
 * @param valid true if the name may be stored
 * @param sent the name exactly as the client sent it (see above)
 */
public record ClientHostName(int option, String name, boolean valid, HostNameSent sent) {

    private static final int FLAG_E = 0x04;
    private static final int FQDN_HEADER = 3;

    public ClientHostName {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sent, "sent");
        if (option != OptionCode.CLIENT_FQDN && option != OptionCode.HOST_NAME) {
            throw new IllegalArgumentException("a client's host name comes from option 81 or 12, not " + option);
        }
    }

    /** The valid name, if it is one. */
    public Optional<String> storable() {
        return valid ? Optional.of(name) : Optional.empty();
    }

    /** The host name the request offers, judged; empty if it offers none. */
    public static Optional<ClientHostName> of(DhcpOptions options) {
        Optional<byte[]> fqdn = options.get(OptionCode.CLIENT_FQDN);
        if (fqdn.isPresent()) {
            Optional<ClientHostName> fromFqdn = fromClientFqdn(fqdn.get());
            if (fromFqdn.isPresent()) {
                return fromFqdn;
            }
        }
        return options.get(OptionCode.HOST_NAME)
                .filter(value -> lengthWithoutTrailingNuls(value, 0) > 0)
                .map(value -> judge(OptionCode.HOST_NAME, latin1(value, 0, lengthWithoutTrailingNuls(value, 0)),
                        HostNameSent.of(value)));
    }

    /** Option 81's name, judged; empty if the name is empty. */
    private static Optional<ClientHostName> fromClientFqdn(byte[] value) {
        if (value.length < FQDN_HEADER) {
            return Optional.of(refused(OptionCode.CLIENT_FQDN, latin1(value, 0, value.length), HostNameSent.of(value)));
        }
        if ((value[0] & FLAG_E) == 0) {
            String text = latin1(value, FQDN_HEADER, lengthWithoutTrailingNuls(value, FQDN_HEADER) - FQDN_HEADER);
            return text.isEmpty()
                    ? Optional.empty()
                    : Optional.of(judge(OptionCode.CLIENT_FQDN, text, HostNameSent.ofLatin1(rawName(value))));
        }
        StringBuilder text = new StringBuilder();
        boolean rooted = false;
        int position = FQDN_HEADER;
        while (position < value.length) {
            int label = value[position] & 0xFF;
            if (label == 0) {
                if (position != value.length - 1) {
                    // Octets after the root label: not one canonical name.
                    return Optional.of(refusedWire(value));
                }
                rooted = true;
                break;
            }
            if (label > HostNames.MAX_LABEL || position + 1 + label > value.length) {
                return Optional.of(refusedWire(value));
            }
            String labelText = latin1(value, position + 1, label);
            if (labelText.indexOf('.') >= 0) {
                // A dot inside a label would read back as two labels: refuse it rather than re-split it.
                return Optional.of(refusedWire(value));
            }
            if (text.length() > 0) {
                text.append('.');
            }
            text.append(labelText);
            position += 1 + label;
        }
        if (text.length() == 0) {
            return Optional.empty();
        }
        // A fully qualified name is written with its final dot, so that what was sent stays apart
        // from a partial name with the same labels.
        HostNameSent sent = HostNameSent.ofLatin1(rooted ? text + "." : text.toString());
        return Optional.of(judge(OptionCode.CLIENT_FQDN, text.toString(), sent));
    }

    private static ClientHostName judge(int option, String text, HostNameSent sent) {
        return HostNames.normalized(text)
                .map(name -> new ClientHostName(option, name, true, sent))
                .orElseGet(() -> refused(option, text, sent));
    }

    private static ClientHostName refused(int option, String raw, HostNameSent sent) {
        return new ClientHostName(option, raw, false, sent);
    }

    /** An option 81 whose wire-format name cannot be read: refused, and kept as its wire octets. */
    private static ClientHostName refusedWire(byte[] value) {
        String raw = rawName(value);
        return refused(OptionCode.CLIENT_FQDN, raw, HostNameSent.ofLatin1(raw));
    }

    private static String rawName(byte[] value) {
        return latin1(value, FQDN_HEADER, value.length - FQDN_HEADER);
    }

    private static int lengthWithoutTrailingNuls(byte[] value, int start) {
        int length = value.length;
        while (length > start && value[length - 1] == 0) {
            length--;
        }
        return length;
    }

    private static String latin1(byte[] value, int offset, int length) {
        return new String(value, offset, length, StandardCharsets.ISO_8859_1);
    }
}
