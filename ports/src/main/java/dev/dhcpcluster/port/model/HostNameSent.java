package dev.dhcpcluster.port.model;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * A host name exactly as a client sent it: the octets, whatever they are, valid host name or not.
 *
 * <p>A lease's {@link Lease#hostname() hostname} is only ever a valid host name; this is the
 * client's own, kept so that an operator can see what a client asked for even when the server
 * refused it. The octets may hold anything (control characters, NUL, bytes that are not UTF-8),
 * so they are never printed as they are: {@link #toString()} is hex, and {@link #utf8()} is text
 * that must still be escaped wherever it is shown.
 *
 * <p>The octets are copied in and out, so an instance never changes. An empty name is allowed
 * (a client can send an empty option).
 */
public final class HostNameSent {

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] octets;

    private HostNameSent(byte[] octets) {
        this.octets = octets;
    }

    /** The name from its octets, which are copied. */
    public static HostNameSent of(byte[] octets) {
        return new HostNameSent(octets.clone());
    }

    /**
     * The name from text that holds one octet per character (ISO-8859-1), the form in which the
     * DHCP codec reads a name.
     *
     * @throws IllegalArgumentException if a character is above U+00FF, so not one octet
     */
    public static HostNameSent ofLatin1(String text) {
        byte[] octets = new byte[text.length()];
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0xFF) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, "character %d (U+%04X) is not one octet", i,
                        (int) c));
            }
            octets[i] = (byte) c;
        }
        return new HostNameSent(octets);
    }

    /** The number of octets. */
    public int length() {
        return octets.length;
    }

    /** A copy of the octets. */
    public byte[] octets() {
        return octets.clone();
    }

    /**
     * The octets read as UTF-8, if they are valid UTF-8 (ASCII is); empty if they are not, so that
     * no octet is ever replaced. The text may hold control characters: escape it before printing.
     */
    public Optional<String> utf8() {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(octets))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostNameSent that && Arrays.equals(octets, that.octets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(octets);
    }

    /** The octets in lower-case hex, two digits each, no separator: safe to print anywhere. */
    @Override
    public String toString() {
        return HEX.formatHex(octets);
    }
}
