package dev.dhcpcluster.core.dhcp;

/**
 * A datagram that is not a well-formed DHCP message: too short, a bad magic cookie, an option
 * running past the end of its field, no END option, and so on.
 *
 * <p>It is the only exception {@link DhcpCodec#decode(byte[])} throws for bad bytes, so a
 * transport can drop and count such datagrams with one {@code catch}. The offset counts from the
 * first octet of the DHCP message ({@code op}), so 240 is the first option after the cookie.
 */
public final class MalformedPacketException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int offset;
    private final String reason;

    /**
     * @param offset where in the message the problem was found, counted from {@code op}
     * @param reason what is wrong, phrased to follow "malformed DHCP packet at offset N: "
     */
    public MalformedPacketException(int offset, String reason) {
        super("malformed DHCP packet at offset " + offset + ": " + reason);
        this.offset = offset;
        this.reason = reason;
    }

    /** Where in the message the problem was found, counted from its first octet. */
    public int offset() {
        return offset;
    }

    /** What is wrong, without the offset. */
    public String reason() {
        return reason;
    }
}
