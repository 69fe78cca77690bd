package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The data type of a configurable option, named as Kea names it in option definitions. Each type
 * turns one textual item into wire octets and back; {@link OptionDefinition} handles arrays of
 * items, hex data and error messages.
 */
public enum OptionType {

    /** A dotted-quad IPv4 address, four octets. */
    IPV4_ADDRESS("ipv4-address", 4) {
        @Override
        void write(String item, ByteArrayOutputStream out) {
            out.writeBytes(Ipv4Address.parse(item).toBytes());
        }

        @Override
        String read(byte[] value, int offset, int length) {
            return Ipv4Address.fromBytes(value, offset).toString();
        }
    },
    /** An unsigned 8-bit number. */
    UINT8("uint8", 1) {
        @Override
        void write(String item, ByteArrayOutputStream out) {
            writeNumber(item, 0, 0xFF, 1, out);
        }

        @Override
        String read(byte[] value, int offset, int length) {
            return Long.toString(readUnsigned(value, offset, 1));
        }
    },
    /** An unsigned 16-bit number in network order. */
    UINT16("uint16", 2) {
        @Override
        void write(String item, ByteArrayOutputStream out) {
            writeNumber(item, 0, 0xFFFF, 2, out);
        }

        @Override
        String read(byte[] value, int offset, int length) {
            return Long.toString(readUnsigned(value, offset, 2));
        }
    },
    /** An unsigned 32-bit number in network order. */
    UINT32("uint32", 4) {
        @Override
        void write(String item, ByteArrayOutputStream out) {
            writeNumber(item, 0, 0xFFFFFFFFL, 4, out);
        }

        @Override
        String read(byte[] value, int offset, int length) {
            return Long.toString(readUnsigned(value, offset, 4));
        }
    },
    /** A signed 32-bit number in network order (time-offset). */
    INT32("int32", 4) {
        @Override
        void write(String item, ByteArrayOutputStream out) {
            writeNumber(item, Integer.MIN_VALUE, Integer.MAX_VALUE, 4, out);
        }

        @Override
        String read(byte[] value, int offset, int length) {
            return Integer.toString((int) readUnsigned(value, offset, 4));
        }
    },
    /** One octet, 0 or 1; the text is {@code true}/{@code false} or {@code 1}/{@code 0}. */
    BOOLEAN("boolean", 1) {
        @Override
        void write(String item, ByteArrayOutputStream out) {
            switch (item) {
                case "true", "1" -> out.write(1);
                case "false", "0" -> out.write(0);
                default -> throw new IllegalArgumentException("\"" + item + "\" is not a boolean (true, false, 1 or 0)");
            }
        }

        @Override
        String read(byte[] value, int offset, int length) {
            return switch (value[offset]) {
                case 0 -> "false";
                case 1 -> "true";
                default -> throw new IllegalArgumentException("boolean octet is " + (value[offset] & 0xFF));
            };
        }
    },
    /** Printable text, sent as its UTF-8 octets (ASCII in practice) without a terminating NUL. */
    STRING("string", 0) {
        @Override
        void write(String item, ByteArrayOutputStream out) {
            if (item.isEmpty()) {
                throw new IllegalArgumentException("a string option needs at least one character");
            }
            out.writeBytes(item.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        String read(byte[] value, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                int c = value[i] & 0xFF;
                if (c < 0x20 || c == 0x7F) {
                    throw new IllegalArgumentException("control character in text");
                }
            }
            return new String(value, offset, length, StandardCharsets.UTF_8);
        }
    },
    /** Domain names in RFC 1035 label encoding, uncompressed when written (domain-search, RFC 3397). */
    FQDN("fqdn", 0) {
        @Override
        void write(String item, ByteArrayOutputStream out) {
            DomainNames.write(item, out);
        }

        @Override
        String read(byte[] value, int offset, int length) {
            return DomainNames.readList(value, offset, length);
        }
    },
    /** Classless static routes (RFC 3442): {@code 198.18.1.0/24 - 198.18.0.1}, the text Kea uses. */
    CLASSLESS_ROUTE("classless-route", 0) {
        @Override
        void write(String item, ByteArrayOutputStream out) {
            ClasslessRoutes.write(item, out);
        }

        @Override
        String read(byte[] value, int offset, int length) {
            return ClasslessRoutes.readList(value, offset, length);
        }
    },
    /** Opaque octets, written as hex ({@code 0a:0b:0c} or {@code 0a0b0c}). */
    BINARY("binary", 0) {
        @Override
        void write(String item, ByteArrayOutputStream out) {
            out.writeBytes(OptionCatalog.parseHex(item));
        }

        @Override
        String read(byte[] value, int offset, int length) {
            return OptionCatalog.formatHex(value, offset, length);
        }
    };

    private final String keaName;
    private final int fixedLength;

    OptionType(String keaName, int fixedLength) {
        this.keaName = keaName;
        this.fixedLength = fixedLength;
    }

    /** The type's name in a Kea option definition ({@code ipv4-address}, {@code uint16}, ...). */
    public String keaName() {
        return keaName;
    }

    /** Octets of one item, or 0 for types whose items vary in length (string, fqdn, binary, routes). */
    public int fixedLength() {
        return fixedLength;
    }

    /** Appends the wire form of one item (already trimmed) or throws IllegalArgumentException. */
    abstract void write(String item, ByteArrayOutputStream out);

    /** Reads one item of {@link #fixedLength()} octets, or a whole value for variable types. */
    abstract String read(byte[] value, int offset, int length);

    private static void writeNumber(String item, long min, long max, int octets, ByteArrayOutputStream out) {
        long number;
        try {
            number = item.startsWith("0x") || item.startsWith("0X")
                    ? Long.parseLong(item.substring(2), 16)
                    : Long.parseLong(item);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + item + "\" is not a number", e);
        }
        if (number < min || number > max) {
            throw new IllegalArgumentException(item + " is outside " + min + " to " + max);
        }
        for (int shift = 8 * (octets - 1); shift >= 0; shift -= 8) {
            out.write((int) (number >>> shift));
        }
    }

    private static long readUnsigned(byte[] value, int offset, int octets) {
        long number = 0;
        for (int i = 0; i < octets; i++) {
            number = (number << 8) | (value[offset + i] & 0xFF);
        }
        return number;
    }
}
