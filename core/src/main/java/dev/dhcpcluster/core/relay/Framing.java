package dev.dhcpcluster.core.relay;

import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.OptionCode;

/**
 * The option framing of one datagram, read from its raw bytes by the rules {@link DhcpCodec}
 * decodes by: the options field must end with END before the end of the datagram; with option
 * 52 (once, in the options field, value 1 to 3) {@code file} and then {@code sname} hold options
 * too, each ending with END (RFC 2131 §4.1, RFC 2132 §9.3). The relay needs only where the options
 * field's END is, whether option 82 appears anywhere, and the message type; it never decodes the
 * values, and never throws: a datagram whose framing is broken reads as {@code null}.
 */
final class Framing {

    static final int OP = 0;
    static final int HLEN = 2;
    static final int HOPS = 3;
    static final int FLAGS = 10;
    static final int CIADDR = 12;
    static final int YIADDR = 16;
    static final int GIADDR = 24;
    static final int CHADDR = 28;
    private static final int HTYPE = 1;
    private static final int SNAME = 44;
    private static final int FILE = 108;
    private static final int OVERLOAD_FILE = 1;
    private static final int OVERLOAD_SNAME = 2;

    /** The offset of the END option that closes the options field. */
    final int end;
    /** Whether option 82 appears in any field. */
    boolean agentInformation;
    /** Whether option 82 appears in an overloaded {@code sname} or {@code file}, where it does not belong. */
    boolean agentInformationOverloaded;
    /** Option 53's value if its instances hold exactly one octet in all, else -1. */
    int messageType = -1;

    private int overload;
    private boolean overloadSeen;
    private int typeLength;
    private int type;

    private Framing(byte[] packet) {
        this.end = field(packet, DhcpCodec.OPTIONS_OFFSET, packet.length, true);
    }

    /** The framing of {@code packet}, or {@code null} if the decoder would refuse it. */
    static Framing read(byte[] packet) {
        int length = packet.length;
        if (length <= DhcpCodec.OPTIONS_OFFSET || length > DhcpCodec.MAX_DATAGRAM_LENGTH
                || u8(packet, HLEN) > DhcpMessage.CHADDR_LENGTH || int32(packet, DhcpCodec.HEADER_LENGTH) != DhcpCodec.MAGIC_COOKIE) {
            return null;
        }
        Framing framing = new Framing(packet);
        if (framing.end < 0
                || (framing.overload & OVERLOAD_FILE) != 0
                        && framing.field(packet, FILE, FILE + DhcpMessage.FILE_LENGTH, false) < 0
                || (framing.overload & OVERLOAD_SNAME) != 0
                        && framing.field(packet, SNAME, SNAME + DhcpMessage.SNAME_LENGTH, false) < 0) {
            return null;
        }
        framing.messageType = framing.typeLength == 1 ? framing.type : -1;
        return framing;
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
            }
            i += 2 + length;
        }
        return -1;
    }

    static int u8(byte[] packet, int at) {
        return packet[at] & 0xFF;
    }

    static int u16(byte[] packet, int at) {
        return (packet[at] & 0xFF) << 8 | packet[at + 1] & 0xFF;
    }

    static int int32(byte[] packet, int at) {
        return (packet[at] & 0xFF) << 24 | (packet[at + 1] & 0xFF) << 16 | (packet[at + 2] & 0xFF) << 8
                | packet[at + 3] & 0xFF;
    }

    static int htype(byte[] packet) {
        return u8(packet, HTYPE);
    }
}
