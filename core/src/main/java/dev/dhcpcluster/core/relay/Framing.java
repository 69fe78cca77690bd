package dev.dhcpcluster.core.relay;

import dev.dhcpcluster.core.cluster.LoadBalancing;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.core.dhcp.OptionFraming;
import java.util.Arrays;

/**
 * What the relay reads of one datagram without decoding it: the BOOTP header's offsets and octets,
 * and the option framing that {@link OptionFraming} reads by the rules {@link DhcpCodec} decodes
 * by. The relay needs only where the options field's END is, whether option 82 appears anywhere,
 * and the message type; it never decodes the values, and never throws: a datagram whose framing
 * is broken reads as {@code null}. Routing reads two values more, in place: the client's RFC 3074
 * bucket (option 61, else {@code chaddr}) and the circuit-id in option 82.
 */
final class Framing {

    static final int OP = 0;
    static final int XID = 4;
    static final int HLEN = 2;
    static final int HOPS = 3;
    static final int FLAGS = 10;
    static final int CIADDR = 12;
    static final int YIADDR = 16;
    static final int GIADDR = 24;
    static final int CHADDR = 28;
    private static final int HTYPE = 1;
    private static final int CIRCUIT_ID = 1;

    /** The offset of the END option that closes the options field. */
    final int end;
    /** Whether option 82 appears in any field. */
    final boolean agentInformation;
    /** Whether option 82 appears in an overloaded {@code sname} or {@code file}, where it does not belong. */
    final boolean agentInformationOverloaded;
    /** Option 53's value if its instances hold exactly one octet in all, else -1. */
    final int messageType;

    /** The option framing as read, for the routing keys. */
    private final OptionFraming options;

    private Framing(OptionFraming options) {
        this.options = options;
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

    /**
     * The client's RFC 3074 bucket, as {@link dev.dhcpcluster.core.dhcp.ClientBuckets} computes it
     * from the decoded message: the hash of option 61's value (its instances joined) when it is
     * present and not empty, else of the {@code hlen} octets of {@code chaddr}. Reads in place
     * unless option 61 is split into several instances.
     */
    int bucket(byte[] packet) {
        int length = options.clientIdentifierLength();
        if (length > 0) {
            return options.clientIdentifierInstances() == 1
                    ? LoadBalancing.hash(packet, options.clientIdentifierOffset(), length)
                    : LoadBalancing.hash(options.joinedValue(packet, OptionCode.CLIENT_IDENTIFIER));
        }
        return LoadBalancing.hash(packet, CHADDR, hlen(packet));
    }

    /**
     * The value of the circuit-id sub-option of the option 82 the datagram carries (RFC 3046
     * §2.0), or {@code null} if there is none, it is empty, or the sub-options' framing is broken.
     */
    byte[] circuitId(byte[] packet) {
        if (options.agentInformationOffset() < 0) {
            return null;
        }
        byte[] value = packet;
        int from = options.agentInformationOffset();
        int limit = from + options.agentInformationLength();
        if (options.agentInformationInstances() > 1) {
            value = options.joinedValue(packet, OptionCode.RELAY_AGENT_INFORMATION);
            from = 0;
            limit = value.length;
        }
        int i = from;
        while (i + 1 < limit) {
            int code = u8(value, i);
            int length = u8(value, i + 1);
            if (i + 2 + length > limit) {
                return null;
            }
            if (code == CIRCUIT_ID) {
                return length == 0 ? null : Arrays.copyOfRange(value, i + 2, i + 2 + length);
            }
            i += 2 + length;
        }
        return null;
    }

    /** The number of {@code chaddr} octets that identify the client: {@code hlen}, at most 16. */
    static int hlen(byte[] packet) {
        return Math.min(u8(packet, HLEN), DhcpMessage.CHADDR_LENGTH);
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
