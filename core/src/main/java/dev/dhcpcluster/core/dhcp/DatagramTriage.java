package dev.dhcpcluster.core.dhcp;

/**
 * Sorts a received datagram into its {@link DatagramClass} from its raw bytes, cheaply enough for
 * a transport's receive thread: it reads only the BOOTP {@code op}, the magic cookie and the
 * option framing (code, length) up to the END option, allocates nothing, and never throws. A pure
 * function, safe from any thread.
 *
 * <p>It looks for option 53 (the message type) the way {@link DhcpCodec} decodes: in the options
 * field, then, if option 52 overloads them, in {@code file} and then in {@code sname} (RFC 2131
 * §4.1), its instances joined (RFC 3396). A datagram the decoder would refuse (too short or too
 * long, hlen over 16, a bad cookie, an option that overruns its field, no END, a bad option 52) is
 * {@link DatagramClass#OTHER}, as is a BOOTREPLY and a datagram whose option 53 is absent, not one
 * octet long or of another type: the classifier only orders the work; the server's decoder still
 * judges and counts every datagram it gets.
 */
public final class DatagramTriage {

    private static final int OP = 0;
    private static final int HLEN = 2;
    private static final int SNAME = 44;
    private static final int FILE = 108;
    private static final int COOKIE = DhcpCodec.HEADER_LENGTH;
    private static final int BOOTREQUEST = 1;
    private static final int OVERLOAD_FILE = 1;
    private static final int OVERLOAD_SNAME = 2;

    private DatagramTriage() {
    }

    /** The class of {@code packet}, a UDP payload as received. */
    public static DatagramClass classify(byte[] packet) {
        int length = packet.length;
        if (length < DhcpCodec.OPTIONS_OFFSET || length > DhcpCodec.MAX_DATAGRAM_LENGTH
                || (packet[OP] & 0xFF) != BOOTREQUEST || (packet[HLEN] & 0xFF) > DhcpMessage.CHADDR_LENGTH
                || int32(packet, COOKIE) != DhcpCodec.MAGIC_COOKIE) {
            return DatagramClass.OTHER;
        }
        Scan scan = new Scan(packet);
        if (!scan.field(DhcpCodec.OPTIONS_OFFSET, length, true)
                || (scan.overload & OVERLOAD_FILE) != 0 && !scan.field(FILE, FILE + DhcpMessage.FILE_LENGTH, false)
                || (scan.overload & OVERLOAD_SNAME) != 0 && !scan.field(SNAME, SNAME + DhcpMessage.SNAME_LENGTH, false)) {
            return DatagramClass.OTHER;
        }
        // Instances of one option are joined (RFC 3396): a type is one octet in all.
        if (scan.typeLength != 1) {
            return DatagramClass.OTHER;
        }
        return switch (scan.type) {
            case 1 -> DatagramClass.DISCOVER;
            case 3, 4, 7, 8 -> DatagramClass.REQUEST;
            default -> DatagramClass.OTHER;
        };
    }

    /**
     * One walk over the option fields of one datagram. A small object rather than static state:
     * escape analysis keeps it off the heap.
     */
    private static final class Scan {
        private final byte[] packet;
        private int overload;
        private boolean overloadSeen;
        /** The octets of every instance of option 53, and the octet of the instance that had one. */
        private int typeLength;
        private int type;

        Scan(byte[] packet) {
            this.packet = packet;
        }

        /** Walks the options in {@code [from, end)}; false if their framing is broken. */
        boolean field(int from, int end, boolean mayCarryOverload) {
            int i = from;
            while (i < end) {
                int code = packet[i] & 0xFF;
                if (code == OptionCode.PAD) {
                    i++;
                    continue;
                }
                if (code == OptionCode.END) {
                    return true;
                }
                if (i + 1 >= end) {
                    return false;
                }
                int length = packet[i + 1] & 0xFF;
                if (i + 2 + length > end) {
                    return false;
                }
                if (code == OptionCode.OVERLOAD) {
                    int value = length == 1 ? packet[i + 2] & 0xFF : 0;
                    if (!mayCarryOverload || overloadSeen || value < 1 || value > 3) {
                        return false;
                    }
                    overloadSeen = true;
                    overload = value;
                } else if (code == OptionCode.MESSAGE_TYPE) {
                    if (length == 1 && typeLength == 0) {
                        type = packet[i + 2] & 0xFF;
                    }
                    typeLength += length;
                }
                i += 2 + length;
            }
            // No END before the end of the field.
            return false;
        }
    }

    private static int int32(byte[] packet, int at) {
        return (packet[at] & 0xFF) << 24 | (packet[at + 1] & 0xFF) << 16 | (packet[at + 2] & 0xFF) << 8
                | packet[at + 3] & 0xFF;
    }
}
