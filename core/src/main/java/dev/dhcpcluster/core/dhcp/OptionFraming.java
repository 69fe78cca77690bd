package dev.dhcpcluster.core.dhcp;

import java.io.ByteArrayOutputStream;

/**
 * The option framing of one datagram, read from its raw bytes by the rules {@link DhcpCodec}
 * decodes by, without decoding any value: the options field must end with END before the end of
 * the datagram; with option 52 (once, in the options field, value 1 to 3) {@code file} and then
 * {@code sname} hold options too, each ending with END (RFC 2131 §4.1, RFC 2132 §9.3); instances
 * of one option are joined (RFC 3396). Cheap enough for a transport's receive thread: one walk
 * over the option codes and lengths, nothing allocated but this small object (which escape
 * analysis keeps off the heap where it does not escape), and it never throws. Both the
 * receive-thread triage ({@link DatagramTriage}) and the relay agent read datagrams through it, so
 * that they judge a datagram's framing exactly as the decoder will.
 */
public final class OptionFraming {

    private static final int HLEN = 2;
    private static final int SNAME = 44;
    private static final int FILE = 108;
    private static final int OVERLOAD_FILE = 1;
    private static final int OVERLOAD_SNAME = 2;

    private int optionsEnd = -1;
    private int overload;
    private boolean overloadSeen;
    /** The octets of every instance of option 53, and the octet of the instance that had one. */
    private int typeLength;
    private int type;
    private boolean agentInformation;
    private boolean agentInformationOverloaded;
    /** Where the value of the first instance of option 61 starts (-1: none), the octets of all its instances, and their number. */
    private int clientIdentifierOffset = -1;
    private int clientIdentifierLength;
    private int clientIdentifierInstances;
    /** The same for option 82. */
    private int agentInformationOffset = -1;
    private int agentInformationLength;
    private int agentInformationInstances;

    private OptionFraming() {
    }

    /**
     * The framing of {@code packet}, a UDP payload as received, or {@code null} if the decoder
     * would refuse it: too short or too long, hlen over 16, a bad magic cookie, an option that
     * overruns its field, a field without END, or a bad option 52.
     */
    public static OptionFraming read(byte[] packet) {
        int length = packet.length;
        if (length <= DhcpCodec.OPTIONS_OFFSET || length > DhcpCodec.MAX_DATAGRAM_LENGTH
                || (packet[HLEN] & 0xFF) > DhcpMessage.CHADDR_LENGTH
                || int32(packet, DhcpCodec.HEADER_LENGTH) != DhcpCodec.MAGIC_COOKIE) {
            return null;
        }
        OptionFraming framing = new OptionFraming();
        framing.optionsEnd = framing.field(packet, DhcpCodec.OPTIONS_OFFSET, length, true);
        if (framing.optionsEnd < 0
                || (framing.overload & OVERLOAD_FILE) != 0
                        && framing.field(packet, FILE, FILE + DhcpMessage.FILE_LENGTH, false) < 0
                || (framing.overload & OVERLOAD_SNAME) != 0
                        && framing.field(packet, SNAME, SNAME + DhcpMessage.SNAME_LENGTH, false) < 0) {
            return null;
        }
        return framing;
    }

    /** The offset of the END option that closes the options field. */
    public int optionsEnd() {
        return optionsEnd;
    }

    /** Option 53's value if its instances hold exactly one octet in all (RFC 3396), else -1. */
    public int messageType() {
        return typeLength == 1 ? type : -1;
    }

    /** Whether option 82 (relay agent information) appears in any field. */
    public boolean carriesAgentInformation() {
        return agentInformation;
    }

    /** Whether option 82 appears in an overloaded {@code sname} or {@code file}, where no relay puts it. */
    public boolean agentInformationOverloaded() {
        return agentInformationOverloaded;
    }

    /**
     * Where the value of option 61 (client identifier) starts in the datagram, or -1 if it carries
     * none. When {@link #clientIdentifierInstances()} is 1 the value is the
     * {@link #clientIdentifierLength()} octets from here, read in place; otherwise
     * {@link #joinedValue} joins its instances.
     */
    public int clientIdentifierOffset() {
        return clientIdentifierOffset;
    }

    /** The octets of option 61's value, all instances together (RFC 3396); 0 if absent. */
    public int clientIdentifierLength() {
        return clientIdentifierLength;
    }

    /** How many instances of option 61 the datagram carries. */
    public int clientIdentifierInstances() {
        return clientIdentifierInstances;
    }

    /**
     * Where the value of option 82 (relay agent information: its sub-options) starts, or -1 if the
     * datagram carries none; read like {@link #clientIdentifierOffset()}.
     */
    public int agentInformationOffset() {
        return agentInformationOffset;
    }

    /** The octets of option 82's value, all instances together (RFC 3396); 0 if absent. */
    public int agentInformationLength() {
        return agentInformationLength;
    }

    /** How many instances of option 82 the datagram carries. */
    public int agentInformationInstances() {
        return agentInformationInstances;
    }

    /**
     * The value of option {@code code} in {@code packet} (the datagram this framing was read
     * from), its instances joined in the order the decoder joins them (options field, then
     * {@code file}, then {@code sname}; RFC 3396), or {@code null} if absent. Allocates: the
     * offsets above read a single instance in place, and this is for the rare split option.
     */
    public byte[] joinedValue(byte[] packet, int code) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean found = collect(packet, DhcpCodec.OPTIONS_OFFSET, packet.length, code, out);
        if ((overload & OVERLOAD_FILE) != 0) {
            found |= collect(packet, FILE, FILE + DhcpMessage.FILE_LENGTH, code, out);
        }
        if ((overload & OVERLOAD_SNAME) != 0) {
            found |= collect(packet, SNAME, SNAME + DhcpMessage.SNAME_LENGTH, code, out);
        }
        return found ? out.toByteArray() : null;
    }

    /** Appends the values of the instances of {@code code} in {@code [from, limit)}, framing already checked. */
    private static boolean collect(byte[] packet, int from, int limit, int code, ByteArrayOutputStream out) {
        boolean found = false;
        int i = from;
        while (i < limit) {
            int current = packet[i] & 0xFF;
            if (current == OptionCode.PAD) {
                i++;
                continue;
            }
            if (current == OptionCode.END) {
                break;
            }
            int length = packet[i + 1] & 0xFF;
            if (current == code) {
                out.write(packet, i + 2, length);
                found = true;
            }
            i += 2 + length;
        }
        return found;
    }

    /** Walks the options in {@code [from, limit)}: the offset of their END, or -1 if the framing is broken. */
    private int field(byte[] packet, int from, int limit, boolean mayCarryOverload) {
        int i = from;
        while (i < limit) {
            int code = packet[i] & 0xFF;
            if (code == OptionCode.PAD) {
                i++;
                continue;
            }
            if (code == OptionCode.END) {
                return i;
            }
            if (i + 1 >= limit) {
                return -1;
            }
            int length = packet[i + 1] & 0xFF;
            if (i + 2 + length > limit) {
                return -1;
            }
            if (code == OptionCode.OVERLOAD) {
                int value = length == 1 ? packet[i + 2] & 0xFF : 0;
                if (!mayCarryOverload || overloadSeen || value < 1 || value > 3) {
                    return -1;
                }
                overloadSeen = true;
                overload = value;
            } else if (code == OptionCode.MESSAGE_TYPE) {
                if (length == 1 && typeLength == 0) {
                    type = packet[i + 2] & 0xFF;
                }
                typeLength += length;
            } else if (code == OptionCode.RELAY_AGENT_INFORMATION) {
                agentInformation = true;
                agentInformationOverloaded |= !mayCarryOverload;
                if (agentInformationInstances++ == 0) {
                    agentInformationOffset = i + 2;
                }
                agentInformationLength += length;
            } else if (code == OptionCode.CLIENT_IDENTIFIER) {
                if (clientIdentifierInstances++ == 0) {
                    clientIdentifierOffset = i + 2;
                }
                clientIdentifierLength += length;
            }
            i += 2 + length;
        }
        // No END before the end of the field.
        return -1;
    }

    private static int int32(byte[] packet, int at) {
        return (packet[at] & 0xFF) << 24 | (packet[at + 1] & 0xFF) << 16 | (packet[at + 2] & 0xFF) << 8
                | packet[at + 3] & 0xFF;
    }
}
