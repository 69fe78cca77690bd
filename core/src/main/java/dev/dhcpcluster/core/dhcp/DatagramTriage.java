package dev.dhcpcluster.core.dhcp;

/**
 * Sorts a received datagram into its {@link DatagramClass} from its raw bytes, cheaply enough for
 * a transport's receive thread: it reads only the BOOTP {@code op}, the magic cookie and the
 * option framing (code, length) up to the END option, allocates at most one small object, and
 * never throws. A pure function, safe from any thread.
 *
 * <p>It looks for option 53 (the message type) through {@link OptionFraming}, the way
 * {@link DhcpCodec} decodes: in the options field, then, if option 52 overloads them, in
 * {@code file} and then in {@code sname} (RFC 2131 §4.1), its instances joined (RFC 3396). A datagram the decoder would refuse (too short or too
 * long, hlen over 16, a bad cookie, an option that overruns its field, no END, a bad option 52) is
 * {@link DatagramClass#OTHER}, as is a BOOTREPLY and a datagram whose option 53 is absent, not one
 * octet long or of another type: the classifier only orders the work; the server's decoder still
 * judges and counts every datagram it gets.
 */
public final class DatagramTriage {

    private static final int OP = 0;
    private static final int BOOTREQUEST = 1;

    private DatagramTriage() {
    }

    /** The class of {@code packet}, a UDP payload as received. */
    public static DatagramClass classify(byte[] packet) {
        if (packet.length == 0 || (packet[OP] & 0xFF) != BOOTREQUEST) {
            return DatagramClass.OTHER;
        }
        OptionFraming framing = OptionFraming.read(packet);
        if (framing == null) {
            return DatagramClass.OTHER;
        }
        return switch (framing.messageType()) {
            case 1 -> DatagramClass.DISCOVER;
            case 3, 4, 7, 8 -> DatagramClass.REQUEST;
            default -> DatagramClass.OTHER;
        };
    }
}
