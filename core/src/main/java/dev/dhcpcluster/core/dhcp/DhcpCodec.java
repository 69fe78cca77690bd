package dev.dhcpcluster.core.dhcp;

import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns DHCP datagrams into {@link DhcpMessage}s and back (RFC 2131 §2, RFC 2132, RFC 3396). A
 * pure function of its arguments: no state, safe from any thread.
 *
 * <h2>Decoding</h2>
 * Every length is checked before it is used; a datagram that is not a well-formed DHCP message
 * raises {@link MalformedPacketException} and nothing else. The decoder accepts any datagram from
 * 241 octets (header, cookie and a lone END) up to {@value #MAX_DATAGRAM_LENGTH} octets, the
 * largest UDP payload over IPv4: a client that announced a large maximum message size, or a relay
 * on a jumbo-frame link, may legitimately send more than an Ethernet frame carries, so the MTU is
 * not a decoding limit. Options are kept in wire order; repeated instances of one code are joined
 * in order of appearance (RFC 3396); PAD is skipped; END is required in the options field and in
 * each overloaded field. With option 52 the decoder reads the options field, then {@code file},
 * then {@code sname} (RFC 2131 §4.1), returns the overloaded fields as all zero, and drops option
 * 52 itself: like PAD and END it only frames the other options. Field values are not judged
 * ({@code op}, {@code htype}, {@code hops} and the rest come back as sent): what to answer is the
 * server policy's decision, not the codec's.
 *
 * <h2>Encoding</h2>
 * The encoder writes the options in the message's order, splits values longer than 255 octets
 * into consecutive instances (RFC 3396), ends with END and pads with zeros to at least
 * {@value #MIN_MESSAGE_LENGTH} octets. It never writes more than the client accepts: the
 * {@code maxMessageSize} argument has the meaning of option 57 (RFC 2132 §9.10), the largest IP
 * datagram the client takes, so the DHCP message is at most {@code maxMessageSize - 28} octets
 * (IPv4 and UDP headers), which for the default 576 is the 548-octet message with a 312-octet
 * options field that RFC 2131 §2 describes. When the options do not fit, the encoder overloads
 * {@code file} and then {@code sname} (option 52), as long as the message leaves that field
 * empty: each option instance goes whole into the first of options field, file and sname with
 * room for it, the options field keeping room for the instances too large for file and sname,
 * and each field ends with END. A decoder then meets the options that stayed in the
 * options field first, so an overloaded message keeps its options but not necessarily their
 * order. Option 82 stays in the options field, as its last option (RFC 3046 §2.2). A DHCPNAK is
 * never overloaded (RFC 2131 table 3: it must not use {@code sname} or {@code file}); one whose
 * options do not fit the options field is refused like any message that does not fit.
 */
public final class DhcpCodec {

    /** The fixed BOOTP header, {@code op} through {@code file}. */
    public static final int HEADER_LENGTH = 236;
    /** The DHCP magic cookie 99.130.83.99 that starts the options field. */
    public static final int MAGIC_COOKIE = 0x63825363;
    /** Size of the magic cookie. */
    public static final int COOKIE_LENGTH = 4;
    /** Where the first option starts: after the header and the cookie. */
    public static final int OPTIONS_OFFSET = HEADER_LENGTH + COOKIE_LENGTH;
    /** The shortest message the encoder writes: the header plus a 64-octet vendor area (RFC 1542 §3.1.1). */
    public static final int MIN_MESSAGE_LENGTH = 300;
    /** The maximum message size (option 57 meaning) every client accepts: the 576-octet IP datagram. */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = 576;
    /** IPv4 header (20) plus UDP header (8): what option 57 counts besides the DHCP message. */
    public static final int IP_UDP_OVERHEAD = 28;
    /** The IP MTU of Ethernet; a larger option 57 is possible but only useful on larger links. */
    public static final int ETHERNET_MTU = 1500;
    /** The largest UDP payload over IPv4 (65535 - 20 - 8): the longest datagram the decoder accepts. */
    public static final int MAX_DATAGRAM_LENGTH = 65507;
    /** The largest value one option instance holds; longer values are split (RFC 3396). */
    public static final int MAX_OPTION_INSTANCE_LENGTH = 255;

    static final int OP = 0;
    static final int HTYPE = 1;
    static final int HLEN = 2;
    static final int HOPS = 3;
    static final int XID = 4;
    static final int SECS = 8;
    static final int FLAGS = 10;
    static final int CIADDR = 12;
    static final int YIADDR = 16;
    static final int SIADDR = 20;
    static final int GIADDR = 24;
    static final int CHADDR = 28;
    static final int SNAME = 44;
    static final int FILE = 108;
    static final int COOKIE = 236;

    /** Option 52 values (RFC 2132 §9.3). */
    static final int OVERLOAD_FILE = 1;
    static final int OVERLOAD_SNAME = 2;

    private static final int OVERLOAD_OPTION_LENGTH = 3;

    private DhcpCodec() {
    }

    /**
     * Decodes a whole datagram.
     *
     * @throws MalformedPacketException if the bytes are not a well-formed DHCP message
     */
    public static DhcpMessage decode(byte[] packet) throws MalformedPacketException {
        return decode(packet, 0, packet.length);
    }

    /**
     * Decodes the {@code length} octets of {@code packet} from {@code offset}; offsets in a
     * {@link MalformedPacketException} count from {@code offset}.
     *
     * @throws MalformedPacketException if the bytes are not a well-formed DHCP message
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not lie inside
     *     {@code packet} (a caller's mistake, not bad input)
     */
    public static DhcpMessage decode(byte[] packet, int offset, int length) throws MalformedPacketException {
        Objects.checkFromIndexSize(offset, length, packet.length);
        if (length < HEADER_LENGTH) {
            throw new MalformedPacketException(length, "the datagram has " + length
                    + " octets, fewer than the " + HEADER_LENGTH + "-octet BOOTP header");
        }
        if (length < OPTIONS_OFFSET) {
            throw new MalformedPacketException(length, "the datagram has " + length
                    + " octets, no room for the magic cookie after the header");
        }
        if (length > MAX_DATAGRAM_LENGTH) {
            throw new MalformedPacketException(MAX_DATAGRAM_LENGTH, "the datagram has " + length
                    + " octets, more than the largest UDP payload over IPv4 (" + MAX_DATAGRAM_LENGTH + ")");
        }
        int hlen = u8(packet, offset + HLEN);
        if (hlen > DhcpMessage.CHADDR_LENGTH) {
            throw new MalformedPacketException(HLEN, "hlen " + hlen + " exceeds the "
                    + DhcpMessage.CHADDR_LENGTH + "-octet chaddr field");
        }
        int cookie = int32(packet, offset + COOKIE);
        if (cookie != MAGIC_COOKIE) {
            throw new MalformedPacketException(COOKIE, "magic cookie is " + Ipv4Address.of(cookie)
                    + ", not 99.130.83.99");
        }

        OptionScanner scanner = new OptionScanner(packet, offset);
        scanner.scan(offset + OPTIONS_OFFSET, offset + length, "packet", true);
        boolean fileOverloaded = (scanner.overload & OVERLOAD_FILE) != 0;
        boolean snameOverloaded = (scanner.overload & OVERLOAD_SNAME) != 0;
        if (fileOverloaded) {
            scanner.scan(offset + FILE, offset + FILE + DhcpMessage.FILE_LENGTH, "file field", false);
        }
        if (snameOverloaded) {
            scanner.scan(offset + SNAME, offset + SNAME + DhcpMessage.SNAME_LENGTH, "sname field", false);
        }

        DhcpMessage.Builder message = DhcpMessage.builder()
                .op(u8(packet, offset + OP))
                .htype(u8(packet, offset + HTYPE))
                .hlen(hlen)
                .hops(u8(packet, offset + HOPS))
                .xid(int32(packet, offset + XID))
                .secs(u16(packet, offset + SECS))
                .flags(u16(packet, offset + FLAGS))
                .ciaddr(Ipv4Address.of(int32(packet, offset + CIADDR)))
                .yiaddr(Ipv4Address.of(int32(packet, offset + YIADDR)))
                .siaddr(Ipv4Address.of(int32(packet, offset + SIADDR)))
                .giaddr(Ipv4Address.of(int32(packet, offset + GIADDR)))
                .fieldsFrom(packet, offset + CHADDR, snameOverloaded ? -1 : offset + SNAME, fileOverloaded ? -1 : offset + FILE)
                .options(scanner.options());
        return message.build();
    }

    /**
     * Encodes a message into a new array of exactly the encoded length.
     *
     * @param maxMessageSize the client's option 57, or {@link #DEFAULT_MAX_MESSAGE_LENGTH}
     * @throws IllegalArgumentException if {@code maxMessageSize} is below 576, if {@code hlen}
     *     exceeds 16, or if the options do not fit even with overload (a DHCPNAK: without it); the
     *     message then names the octets needed and available, so the caller can drop optional
     *     options and retry
     */
    public static byte[] encode(DhcpMessage message, int maxMessageSize) {
        Layout layout = layoutOrThrow(message, maxMessageSize);
        byte[] out = new byte[layout.length];
        write(message, layout, out, 0);
        return out;
    }

    /**
     * Encodes a message into {@code buffer} from {@code offset}, so that a server can reuse one
     * buffer for every reply. Octets of the buffer beyond the returned length are left as they were.
     *
     * @return the number of octets written
     * @throws IllegalArgumentException as {@link #encode(DhcpMessage, int)}, or if the buffer has
     *     less room than the message needs (nothing is written then)
     */
    public static int encode(DhcpMessage message, int maxMessageSize, byte[] buffer, int offset) {
        Layout layout = layoutOrThrow(message, maxMessageSize);
        Objects.checkIndex(offset, buffer.length + 1);
        if (buffer.length - offset < layout.length) {
            throw new IllegalArgumentException("the message needs " + layout.length + " octets but the buffer has "
                    + (buffer.length - offset) + " from offset " + offset);
        }
        write(message, layout, buffer, offset);
        return layout.length;
    }

    /**
     * The longest DHCP message (UDP payload) that fits a maximum message size in the sense of
     * option 57: {@code maxMessageSize - 28}, at most {@value #MAX_DATAGRAM_LENGTH}.
     *
     * @throws IllegalArgumentException if {@code maxMessageSize} is below 576 (RFC 2132 §9.10)
     */
    public static int maxPayloadLength(int maxMessageSize) {
        if (maxMessageSize < DEFAULT_MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("maximum message size must be at least "
                    + DEFAULT_MAX_MESSAGE_LENGTH + " octets (RFC 2132 §9.10), not " + maxMessageSize);
        }
        return Math.min(maxMessageSize - IP_UDP_OVERHEAD, MAX_DATAGRAM_LENGTH);
    }

    /** Octets an option with a value of this length takes on the wire: code and length per instance. */
    static int wireLength(int valueLength) {
        int instances = Math.max(1, (valueLength + MAX_OPTION_INSTANCE_LENGTH - 1) / MAX_OPTION_INSTANCE_LENGTH);
        return valueLength + 2 * instances;
    }

    // ---------------------------------------------------------------- encoding

    /**
     * Where everything goes. Without overload every instance is in the options field, in order.
     * With overload, {@code fieldOf[k]} says where the k-th instance goes (0 options, 1 file,
     * 2 sname), counting instances in message order and skipping option 52 and option 82, which
     * is then written last in the options field.
     */
    private record Layout(int length, int overload, byte[] fieldOf, String refusal) {

        Layout(int length, int overload, byte[] fieldOf) {
            this(length, overload, fieldOf, null);
        }

        /** No layout: the message does not fit, for the reason given. */
        static Layout refused(String reason) {
            return new Layout(0, 0, null, reason);
        }
    }

    /**
     * Why a message cannot be encoded within a maximum message size (its options do not fit even
     * with overload, or {@code hlen} exceeds 16), or empty if {@link #encode(DhcpMessage, int)}
     * would encode it. For a server that trims optional options until a reply fits: the answer
     * costs what encoding would, without the encoding and without an exception.
     *
     * @throws IllegalArgumentException if {@code maxMessageSize} is below 576 (a caller's mistake)
     */
    public static Optional<String> whyItDoesNotFit(DhcpMessage message, int maxMessageSize) {
        return Optional.ofNullable(layout(message, maxMessageSize).refusal());
    }

    /**
     * The encoded message, as {@link #encode(DhcpMessage, int)} returns it, or empty where that
     * would refuse it ({@link #whyItDoesNotFit} says why): one layout, no exception.
     *
     * @throws IllegalArgumentException if {@code maxMessageSize} is below 576 (a caller's mistake)
     */
    public static Optional<byte[]> encodeIfItFits(DhcpMessage message, int maxMessageSize) {
        Layout layout = layout(message, maxMessageSize);
        if (layout.refusal() != null) {
            return Optional.empty();
        }
        byte[] out = new byte[layout.length];
        write(message, layout, out, 0);
        return Optional.of(out);
    }

    private static Layout layoutOrThrow(DhcpMessage message, int maxMessageSize) {
        Layout layout = layout(message, maxMessageSize);
        if (layout.refusal() != null) {
            throw new IllegalArgumentException(layout.refusal());
        }
        return layout;
    }

    private static Layout layout(DhcpMessage message, int maxMessageSize) {
        int payloadLimit = maxPayloadLength(maxMessageSize);
        if (message.hlen() > DhcpMessage.CHADDR_LENGTH) {
            return Layout.refused("hlen " + message.hlen() + " exceeds the " + DhcpMessage.CHADDR_LENGTH
                    + "-octet chaddr field");
        }
        DhcpOptions options = message.options();
        int optionsRoom = payloadLimit - OPTIONS_OFFSET;
        int total = 0;
        int relayAgent = 0;
        int instances = 0;
        for (int i = 0; i < options.size(); i++) {
            int code = options.codeAt(i);
            if (code == OptionCode.OVERLOAD) {
                continue;
            }
            int wire = wireLength(options.valueLengthAt(i));
            total += wire;
            if (code == OptionCode.RELAY_AGENT_INFORMATION) {
                relayAgent = wire;
            } else {
                instances += (wire - options.valueLengthAt(i)) / 2;
            }
        }
        if (total + 1 <= optionsRoom) {
            return new Layout(Math.max(MIN_MESSAGE_LENGTH, OPTIONS_OFFSET + total + 1), 0, null);
        }
        if (message.messageType().filter(type -> type == DhcpMessageType.NAK).isPresent()) {
            return Layout.refused("the options of a DHCPNAK need " + (total + 1) + " octets, but a maximum"
                    + " message size of " + maxMessageSize + " leaves " + optionsRoom + ", and a DHCPNAK must not"
                    + " overload sname and file (RFC 2131 table 3)");
        }

        // Option overload. Each instance goes, whole, into the first field with room for it
        // (options, file, sname), so the options field keeps as many options as it can; the
        // instances of one split option never go back to an earlier field, because RFC 3396
        // joins them in the order options, file, sname.
        int[] capacity = {
            optionsRoom - OVERLOAD_OPTION_LENGTH - relayAgent - 1,
            message.fileIsEmpty() ? DhcpMessage.FILE_LENGTH - 1 : -1,
            message.snameIsEmpty() ? DhcpMessage.SNAME_LENGTH - 1 : -1,
        };
        // An instance too large for file and sname can only go in the options field. Its room is
        // set aside before the smaller options, met earlier in message order, take it: otherwise
        // they would push it out and a message that fits would be refused.
        int largestOverloadField = Math.max(capacity[1], capacity[2]);
        int reserved = 0;
        for (int i = 0; i < options.size(); i++) {
            int code = options.codeAt(i);
            if (code != OptionCode.OVERLOAD && code != OptionCode.RELAY_AGENT_INFORMATION) {
                reserved += optionsFieldOnlyOctets(options.valueLengthAt(i), largestOverloadField);
            }
        }
        int[] used = new int[3];
        byte[] fieldOf = new byte[instances];
        int instance = 0;
        boolean fits = capacity[0] >= reserved;
        for (int i = 0; i < options.size() && fits; i++) {
            int code = options.codeAt(i);
            if (code == OptionCode.OVERLOAD || code == OptionCode.RELAY_AGENT_INFORMATION) {
                continue;
            }
            int remaining = options.valueLengthAt(i);
            int field = 0;
            do {
                int size = 2 + Math.min(remaining, MAX_OPTION_INSTANCE_LENGTH);
                boolean optionsFieldOnly = size > largestOverloadField;
                if (optionsFieldOnly) {
                    reserved -= size; // it takes the room set aside for it
                }
                while (field < capacity.length && used[field] + size > capacity[field] - (field == 0 ? reserved : 0)) {
                    field++;
                }
                if (field == capacity.length) {
                    fits = false;
                    break;
                }
                used[field] += size;
                fieldOf[instance++] = (byte) field;
                remaining -= MAX_OPTION_INSTANCE_LENGTH;
            } while (remaining > 0);
        }
        if (!fits) {
            int available = optionsRoom - OVERLOAD_OPTION_LENGTH + Math.max(0, capacity[1]) + Math.max(0, capacity[2]);
            return Layout.refused("the options need " + (total + 1) + " octets, but a maximum message size of "
                    + maxMessageSize + " (" + payloadLimit + " octets of DHCP message) leaves room for at most "
                    + available + " even with option overload");
        }
        int overload = (used[1] > 0 ? OVERLOAD_FILE : 0) | (used[2] > 0 ? OVERLOAD_SNAME : 0);
        int optionsFieldUsed = used[0] + OVERLOAD_OPTION_LENGTH + relayAgent + 1;
        return new Layout(Math.max(MIN_MESSAGE_LENGTH, OPTIONS_OFFSET + optionsFieldUsed), overload, fieldOf);
    }

    /** Octets of the instances of a value of this length that are larger than {@code limit}, so fit no overload field. */
    private static int optionsFieldOnlyOctets(int valueLength, int limit) {
        int octets = 0;
        int remaining = valueLength;
        do {
            int size = 2 + Math.min(remaining, MAX_OPTION_INSTANCE_LENGTH);
            if (size > limit) {
                octets += size;
            }
            remaining -= MAX_OPTION_INSTANCE_LENGTH;
        } while (remaining > 0);
        return octets;
    }

    private static void write(DhcpMessage message, Layout layout, byte[] out, int base) {
        out[base + OP] = (byte) message.op();
        out[base + HTYPE] = (byte) message.htype();
        out[base + HLEN] = (byte) message.hlen();
        out[base + HOPS] = (byte) message.hops();
        putInt32(out, base + XID, message.xid());
        putUint16(out, base + SECS, message.secs());
        putUint16(out, base + FLAGS, message.flags());
        message.ciaddr().writeTo(out, base + CIADDR);
        message.yiaddr().writeTo(out, base + YIADDR);
        message.siaddr().writeTo(out, base + SIADDR);
        message.giaddr().writeTo(out, base + GIADDR);
        message.writeChaddrTo(out, base + CHADDR);
        message.writeSnameTo(out, base + SNAME);
        message.writeFileTo(out, base + FILE);
        putInt32(out, base + COOKIE, MAGIC_COOKIE);

        DhcpOptions options = message.options();
        // Write positions of the three fields; an unused overload field keeps the message's bytes.
        int[] position = {base + OPTIONS_OFFSET, base + FILE, base + SNAME};
        int instance = 0;
        for (int i = 0; i < options.size(); i++) {
            int code = options.codeAt(i);
            if (code == OptionCode.OVERLOAD || (layout.overload != 0 && code == OptionCode.RELAY_AGENT_INFORMATION)) {
                continue;
            }
            int valueLength = options.valueLengthAt(i);
            int from = 0;
            do {
                int field = layout.overload == 0 ? 0 : layout.fieldOf[instance];
                int chunk = Math.min(valueLength - from, MAX_OPTION_INSTANCE_LENGTH);
                position[field] = writeInstance(options, i, code, from, chunk, out, position[field]);
                from += chunk;
                instance++;
            } while (from < valueLength);
        }
        if (layout.overload != 0) {
            int p = position[0];
            out[p++] = (byte) OptionCode.OVERLOAD;
            out[p++] = 1;
            out[p++] = (byte) layout.overload;
            int relay = indexOf(options, OptionCode.RELAY_AGENT_INFORMATION);
            if (relay >= 0) {
                p = writeAllInstances(options, relay, out, p);
            }
            position[0] = p;
            if ((layout.overload & OVERLOAD_FILE) != 0) {
                endAndZero(out, position[1], base + FILE + DhcpMessage.FILE_LENGTH);
            }
            if ((layout.overload & OVERLOAD_SNAME) != 0) {
                endAndZero(out, position[2], base + SNAME + DhcpMessage.SNAME_LENGTH);
            }
        }
        endAndZero(out, position[0], base + layout.length);
    }

    private static int writeAllInstances(DhcpOptions options, int index, byte[] out, int p) {
        int code = options.codeAt(index);
        int valueLength = options.valueLengthAt(index);
        int from = 0;
        do {
            int chunk = Math.min(valueLength - from, MAX_OPTION_INSTANCE_LENGTH);
            p = writeInstance(options, index, code, from, chunk, out, p);
            from += chunk;
        } while (from < valueLength);
        return p;
    }

    private static int writeInstance(DhcpOptions options, int index, int code, int from, int length, byte[] out, int p) {
        out[p] = (byte) code;
        out[p + 1] = (byte) length;
        options.copyValueAt(index, from, out, p + 2, length);
        return p + 2 + length;
    }

    private static void endAndZero(byte[] out, int position, int fieldEnd) {
        out[position] = (byte) OptionCode.END;
        Arrays.fill(out, position + 1, fieldEnd, (byte) 0);
    }

    private static int indexOf(DhcpOptions options, int code) {
        for (int i = 0; i < options.size(); i++) {
            if (options.codeAt(i) == code) {
                return i;
            }
        }
        return -1;
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Walks the option areas, records where each instance's value lies, and joins instances of
     * one code at the end, so every value is copied exactly once.
     */
    private static final class OptionScanner {
        private final byte[] packet;
        private final int base;
        /** Triples: code, start of value in {@code packet}, value length. */
        private int[] instances = new int[3 * 16];
        private int count;
        private int overload;
        private boolean overloadSeen;

        OptionScanner(byte[] packet, int base) {
            this.packet = packet;
            this.base = base;
        }

        void scan(int from, int end, String area, boolean mayCarryOverload) throws MalformedPacketException {
            int i = from;
            while (true) {
                if (i >= end) {
                    throw new MalformedPacketException(i - base, "no END option before the end of the " + area);
                }
                int code = packet[i] & 0xFF;
                if (code == OptionCode.PAD) {
                    i++;
                    continue;
                }
                if (code == OptionCode.END) {
                    return;
                }
                if (i + 1 >= end) {
                    throw new MalformedPacketException(i - base, "option " + code + " has no length octet in the " + area);
                }
                int length = packet[i + 1] & 0xFF;
                if (i + 2 + length > end) {
                    throw new MalformedPacketException(i - base, "option " + code + " overruns the " + area);
                }
                if (code == OptionCode.OVERLOAD) {
                    readOverload(i, length, mayCarryOverload, area);
                } else {
                    add(code, i + 2, length);
                }
                i += 2 + length;
            }
        }

        private void readOverload(int at, int length, boolean mayCarryOverload, String area) throws MalformedPacketException {
            if (!mayCarryOverload) {
                throw new MalformedPacketException(at - base, "option 52 inside the overloaded " + area);
            }
            if (overloadSeen) {
                throw new MalformedPacketException(at - base, "option 52 appears more than once");
            }
            if (length != 1) {
                throw new MalformedPacketException(at - base, "option 52 has length " + length + ", not 1");
            }
            int value = packet[at + 2] & 0xFF;
            if (value < 1 || value > 3) {
                throw new MalformedPacketException(at - base, "option 52 has value " + value + ", not 1, 2 or 3");
            }
            overloadSeen = true;
            overload = value;
        }

        private void add(int code, int start, int length) {
            if (3 * count == instances.length) {
                instances = Arrays.copyOf(instances, instances.length * 2);
            }
            instances[3 * count] = code;
            instances[3 * count + 1] = start;
            instances[3 * count + 2] = length;
            count++;
        }

        /**
         * Up to this many options, an option's group is found by a linear search of the codes
         * seen so far; beyond it, through a table of all 256 codes. A client's packet carries a
         * dozen options or so, and the table (1 KB) would be most of what decoding allocates; a
         * packet of thousands of options must not cost a search per option.
         */
        private static final int LINEAR_SEARCH_LIMIT = 32;

        DhcpOptions options() {
            int[] slot = count > LINEAR_SEARCH_LIMIT ? new int[256] : null; // code -> group + 1; 0 = not seen
            int[] codes = new int[count];
            int[] lengths = new int[count];
            int[] groups = new int[count]; // the group of each instance
            int distinct = 0;
            for (int k = 0; k < count; k++) {
                int code = instances[3 * k];
                int g = slot != null ? slot[code] - 1 : indexOf(codes, distinct, code);
                if (g < 0) {
                    g = distinct++;
                    codes[g] = code;
                    if (slot != null) {
                        slot[code] = distinct;
                    }
                }
                groups[k] = g;
                lengths[g] += instances[3 * k + 2];
            }
            byte[][] values = new byte[distinct][];
            for (int g = 0; g < distinct; g++) {
                values[g] = new byte[lengths[g]];
                lengths[g] = 0; // from here on: how much of the value is filled
            }
            for (int k = 0; k < count; k++) {
                int g = groups[k];
                int length = instances[3 * k + 2];
                System.arraycopy(packet, instances[3 * k + 1], values[g], lengths[g], length);
                lengths[g] += length;
            }
            return DhcpOptions.adopt(distinct == count ? codes : Arrays.copyOf(codes, distinct), values);
        }

        private static int indexOf(int[] codes, int length, int code) {
            for (int g = 0; g < length; g++) {
                if (codes[g] == code) {
                    return g;
                }
            }
            return -1;
        }
    }

    // ---------------------------------------------------------------- primitives

    private static int u8(byte[] bytes, int at) {
        return bytes[at] & 0xFF;
    }

    private static int u16(byte[] bytes, int at) {
        return ((bytes[at] & 0xFF) << 8) | (bytes[at + 1] & 0xFF);
    }

    private static int int32(byte[] bytes, int at) {
        return ((bytes[at] & 0xFF) << 24) | ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
    }

    private static void putUint16(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 8);
        bytes[at + 1] = (byte) value;
    }

    private static void putInt32(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }
}
