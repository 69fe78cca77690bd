package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The options of a DHCP message: an immutable map from option code to value that keeps the order
 * in which the options were added (or appeared on the wire).
 *
 * <p>Values are the joined payload of every instance of a code (RFC 3396), without code or length
 * octets. PAD and END are framing, never options, and are refused. Unknown codes are kept as they
 * are, so a message survives a decode/encode round trip.
 */
public final class DhcpOptions {

    private static final DhcpOptions EMPTY = new DhcpOptions(new int[0], new byte[0][]);

    private final int[] codes;
    private final byte[][] values;

    private DhcpOptions(int[] codes, byte[][] values) {
        this.codes = codes;
        this.values = values;
    }

    /**
     * Options from arrays the caller hands over and never touches again: the decoder's way to
     * build the map without copying every value twice. Codes must be distinct and 1-254.
     */
    static DhcpOptions adopt(int[] codes, byte[][] values) {
        return codes.length == 0 ? EMPTY : new DhcpOptions(codes, values);
    }

    /** No options. */
    public static DhcpOptions empty() {
        return EMPTY;
    }

    /** A builder starting empty. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting with these options, in their order. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        for (int i = 0; i < codes.length; i++) {
            builder.put(codes[i], values[i]);
        }
        return builder;
    }

    /**
     * These options, followed by those of {@code lessSpecific} whose codes are not set here: how
     * the configuration levels combine (a reservation's options over its pool's over its subnet's,
     * and so on). Values are shared, not copied; both maps stay as they are.
     */
    public DhcpOptions withDefaults(DhcpOptions lessSpecific) {
        if (lessSpecific.codes.length == 0) {
            return this;
        }
        if (codes.length == 0) {
            return lessSpecific;
        }
        int extra = 0;
        for (int code : lessSpecific.codes) {
            if (indexOf(code) < 0) {
                extra++;
            }
        }
        if (extra == 0) {
            return this;
        }
        int[] mergedCodes = Arrays.copyOf(codes, codes.length + extra);
        byte[][] mergedValues = Arrays.copyOf(values, values.length + extra);
        int next = codes.length;
        for (int i = 0; i < lessSpecific.codes.length; i++) {
            if (indexOf(lessSpecific.codes[i]) < 0) {
                mergedCodes[next] = lessSpecific.codes[i];
                mergedValues[next] = lessSpecific.values[i];
                next++;
            }
        }
        return new DhcpOptions(mergedCodes, mergedValues);
    }

    /** How many distinct option codes there are. */
    public int size() {
        return codes.length;
    }

    /** The option code at {@code index}, in order. */
    public int codeAt(int index) {
        return codes[index];
    }

    /** A copy of the value at {@code index}, in order. */
    public byte[] valueAt(int index) {
        return values[index].clone();
    }

    /** The length of the value at {@code index}, without copying it. */
    public int valueLengthAt(int index) {
        return values[index].length;
    }

    /** Copies the value at {@code index} into {@code target}. */
    public void copyValueAt(int index, int from, byte[] target, int offset, int length) {
        System.arraycopy(values[index], from, target, offset, length);
    }

    /** The codes in order. */
    public List<Integer> codes() {
        List<Integer> list = new ArrayList<>(codes.length);
        for (int code : codes) {
            list.add(code);
        }
        return List.copyOf(list);
    }

    /** True if an option with this code is present. */
    public boolean contains(int code) {
        return indexOf(code) >= 0;
    }

    /** A copy of the option's value, if present. */
    public Optional<byte[]> get(int code) {
        int index = indexOf(code);
        return index < 0 ? Optional.empty() : Optional.of(values[index].clone());
    }

    /** The option 53 message type, if present, of a known type and one octet long. */
    public Optional<DhcpMessageType> messageType() {
        int index = indexOf(OptionCode.MESSAGE_TYPE);
        if (index < 0 || values[index].length != 1) {
            return Optional.empty();
        }
        return DhcpMessageType.fromCode(values[index][0] & 0xFF);
    }

    /** An option holding exactly one IPv4 address (50, 54), if present and four octets long. */
    public Optional<Ipv4Address> address(int code) {
        int index = indexOf(code);
        if (index < 0 || values[index].length != 4) {
            return Optional.empty();
        }
        return Optional.of(Ipv4Address.fromBytes(values[index], 0));
    }

    /** An option holding one unsigned 32-bit number (51, 58, 59), if present and four octets long. */
    public Optional<Long> uint32(int code) {
        int index = indexOf(code);
        if (index < 0 || values[index].length != 4) {
            return Optional.empty();
        }
        byte[] v = values[index];
        return Optional.of(((long) (v[0] & 0xFF) << 24) | ((v[1] & 0xFF) << 16) | ((v[2] & 0xFF) << 8) | (v[3] & 0xFF));
    }

    /** An option holding one unsigned 16-bit number (57), if present and two octets long. */
    public Optional<Integer> uint16(int code) {
        int index = indexOf(code);
        if (index < 0 || values[index].length != 2) {
            return Optional.empty();
        }
        return Optional.of(((values[index][0] & 0xFF) << 8) | (values[index][1] & 0xFF));
    }

    /** An option holding text (12, 15, 56, 60), decoded as UTF-8 (ASCII in practice), NULs at the end trimmed. */
    public Optional<String> string(int code) {
        int index = indexOf(code);
        if (index < 0) {
            return Optional.empty();
        }
        byte[] v = values[index];
        int length = v.length;
        while (length > 0 && v[length - 1] == 0) {
            length--;
        }
        return Optional.of(new String(v, 0, length, StandardCharsets.UTF_8));
    }

    /** The parameter request list (55): the requested codes, in the client's order. */
    public int[] parameterRequestList() {
        int index = indexOf(OptionCode.PARAMETER_REQUEST_LIST);
        if (index < 0) {
            return new int[0];
        }
        byte[] v = values[index];
        int[] list = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            list[i] = v[i] & 0xFF;
        }
        return list;
    }

    /**
     * The option's value itself, not a copy, or null if absent: for readers in this package that
     * must not allocate ({@link ClientBuckets}). The caller must not modify it.
     */
    byte[] valueOrNull(int code) {
        int index = indexOf(code);
        return index < 0 ? null : values[index];
    }

    private int indexOf(int code) {
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] == code) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DhcpOptions that && Arrays.equals(codes, that.codes) && Arrays.deepEquals(values, that.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(codes) + Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("{");
        for (int i = 0; i < codes.length; i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(codes[i]).append('=').append(java.util.HexFormat.of().formatHex(values[i]));
        }
        return text.append('}').toString();
    }

    /** Collects options in order. Putting a code that is already present replaces its value in place. */
    public static final class Builder {
        private final List<Integer> codes = new ArrayList<>();
        private final List<byte[]> values = new ArrayList<>();

        private Builder() {
        }

        /**
         * Sets an option's value (copied). A value longer than 255 octets is legal: the codec
         * splits it into several instances on the wire (RFC 3396).
         *
         * @throws IllegalArgumentException for PAD (0), END (255) or a code outside 1-254
         */
        public Builder put(int code, byte[] value) {
            if (code <= OptionCode.PAD || code >= OptionCode.END) {
                throw new IllegalArgumentException("option code must be 1-254, not " + code);
            }
            int index = codes.indexOf(code);
            if (index >= 0) {
                values.set(index, value.clone());
            } else {
                codes.add(code);
                values.add(value.clone());
            }
            return this;
        }

        /** Appends to an option's value, or adds it: how the decoder joins repeated instances (RFC 3396). */
        public Builder append(int code, byte[] value, int offset, int length) {
            int index = codes.indexOf(code);
            if (index < 0) {
                return put(code, Arrays.copyOfRange(value, offset, offset + length));
            }
            byte[] old = values.get(index);
            byte[] joined = Arrays.copyOf(old, old.length + length);
            System.arraycopy(value, offset, joined, old.length, length);
            values.set(index, joined);
            return this;
        }

        /** Sets option 53. */
        public Builder messageType(DhcpMessageType type) {
            return put(OptionCode.MESSAGE_TYPE, new byte[] {(byte) type.code()});
        }

        /** Sets an option to one IPv4 address. */
        public Builder address(int code, Ipv4Address address) {
            return put(code, address.toBytes());
        }

        /** Sets an option to one unsigned 32-bit number. */
        public Builder uint32(int code, long value) {
            if (value < 0 || value > 0xFFFFFFFFL) {
                throw new IllegalArgumentException("option " + code + " holds 0-4294967295, not " + value);
            }
            return put(code, new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
        }

        /** Sets an option to one unsigned 16-bit number. */
        public Builder uint16(int code, int value) {
            if (value < 0 || value > 0xFFFF) {
                throw new IllegalArgumentException("option " + code + " holds 0-65535, not " + value);
            }
            return put(code, new byte[] {(byte) (value >>> 8), (byte) value});
        }

        /** Sets an option to text, encoded as UTF-8. */
        public Builder string(int code, String value) {
            return put(code, value.getBytes(StandardCharsets.UTF_8));
        }

        /** Removes an option if present. */
        public Builder remove(int code) {
            int index = codes.indexOf(code);
            if (index >= 0) {
                codes.remove(index);
                values.remove(index);
            }
            return this;
        }

        /** True if the code has been put. */
        public boolean contains(int code) {
            return codes.contains(code);
        }

        public DhcpOptions build() {
            if (codes.isEmpty()) {
                return EMPTY;
            }
            int[] codeArray = new int[codes.size()];
            for (int i = 0; i < codeArray.length; i++) {
                codeArray[i] = codes.get(i);
            }
            return new DhcpOptions(codeArray, values.toArray(new byte[0][]));
        }
    }
}
