package dev.dhcpcluster.core.dhcp;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Domain names in the label encoding of RFC 1035 §3.1, as options 119 (RFC 3397) and 141 carry them. */
final class DomainNames {

    private static final int MAX_LABEL = 63;
    private static final int MAX_NAME = 255;

    private DomainNames() {
    }

    /** Appends one name, uncompressed; a trailing dot is allowed. */
    static void write(String name, ByteArrayOutputStream out) {
        String plain = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (plain.isEmpty()) {
            throw new IllegalArgumentException("\"" + name + "\" is not a domain name");
        }
        String[] labels = plain.split("\\.", -1);
        int encoded = 1;
        for (String label : labels) {
            if (label.isEmpty() || label.length() > MAX_LABEL) {
                throw new IllegalArgumentException("\"" + name + "\" is not a domain name (labels are 1-63 characters)");
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!allowed) {
                    throw new IllegalArgumentException("\"" + name + "\" is not a domain name (character '" + c + "')");
                }
            }
            encoded += 1 + label.length();
        }
        if (encoded > MAX_NAME) {
            throw new IllegalArgumentException("\"" + name + "\" is longer than 255 octets encoded");
        }
        for (String label : labels) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.write(0);
    }

    /**
     * Reads consecutive names filling the value, following compression pointers, which RFC 3397
     * §2 allows and which count from the start of the value.
     *
     * @throws IllegalArgumentException if the octets are not a list of names
     */
    static String readList(byte[] value, int offset, int length) {
        if (length == 0) {
            throw new IllegalArgumentException("no names");
        }
        StringBuilder text = new StringBuilder();
        int position = offset;
        int end = offset + length;
        while (position < end) {
            if (text.length() > 0) {
                text.append(", ");
            }
            position = readName(value, offset, end, position, text);
        }
        return text.toString();
    }

    /** Appends one name and returns the position after it in the value (not after a pointer's target). */
    private static int readName(byte[] value, int start, int end, int position, StringBuilder text) {
        int next = -1;
        int jumps = 0;
        boolean first = true;
        while (true) {
            if (position >= end) {
                throw new IllegalArgumentException("name runs past the value");
            }
            int label = value[position] & 0xFF;
            if (label == 0) {
                return next >= 0 ? next : position + 1;
            }
            if ((label & 0xC0) == 0xC0) {
                if (position + 1 >= end || ++jumps > end - start) {
                    throw new IllegalArgumentException("bad compression pointer");
                }
                if (next < 0) {
                    next = position + 2;
                }
                position = start + (((label & 0x3F) << 8) | (value[position + 1] & 0xFF));
                continue;
            }
            if ((label & 0xC0) != 0 || position + 1 + label > end) {
                throw new IllegalArgumentException("bad label");
            }
            if (!first) {
                text.append('.');
            }
            for (int i = position + 1; i <= position + label; i++) {
                int c = value[i] & 0xFF;
                if (c <= 0x20 || c >= 0x7F) {
                    throw new IllegalArgumentException("unprintable label");
                }
                text.append((char) c);
            }
            first = false;
            position += 1 + label;
        }
    }
}
