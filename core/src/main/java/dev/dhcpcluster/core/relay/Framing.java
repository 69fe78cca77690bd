package dev.dhcpcluster.core.relay;

import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.OptionFraming;

/**
 * What the relay reads of one datagram without decoding it: the BOOTP header's offsets and octets,
 * and the option framing that {@link OptionFraming} reads by the rules {@link DhcpCodec} decodes
 * by. The relay needs only where the options field's END is, whether option 82 appears anywhere,
 * and the message type; it never decodes the values, and never throws: a datagram whose framing
 * is broken reads as {@code null}.
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

    /** The offset of the END option that closes the options field. */
    final int end;
    /** Whether option 82 appears in any field. */
    final boolean agentInformation;
    /** Whether option 82 appears in an overloaded {@code sname} or {@code file}, where it does not belong. */
    final boolean agentInformationOverloaded;
    /** Option 53's value if its instances hold exactly one octet in all, else -1. */
    final int messageType;

    private Framing(OptionFraming options) {
        this.end = options.optionsEnd();
        this.agentInformation = options.carriesAgentInformation();
        this.agentInformationOverloaded = options.agentInformationOverloaded();
        this.messageType = options.messageType();
    }

    /** The framing of {@code packet}, or {@code null} if the decoder would refuse it. */
    static Framing read(byte[] packet) {
        OptionFraming options = OptionFraming.read(packet);
        return options == null ? null : new Framing(options);
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
