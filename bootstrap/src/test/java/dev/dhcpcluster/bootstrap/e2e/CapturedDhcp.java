package dev.dhcpcluster.bootstrap.e2e;

import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One DHCP message as a {@link PacketCapture} saw it on the wire: when, in which Ethernet frame and
 * IP datagram, and the message itself, decoded by the node's own codec.
 *
 * @param time        when the kernel captured the frame
 * @param etherSource the frame's source MAC address, lower-case {@code aa:bb:cc:dd:ee:ff}
 * @param etherDestination the frame's destination MAC address, same form
 * @param ipSource    the IP source address
 * @param ipDestination the IP destination address
 * @param message     the decoded DHCP message
 */
public record CapturedDhcp(Instant time, String etherSource, String etherDestination, Ipv4Address ipSource,
        Ipv4Address ipDestination, DhcpMessage message) {

    /** The destination of an Ethernet broadcast frame. */
    public static final String ETHER_BROADCAST = "ff:ff:ff:ff:ff:ff";

    /** Requires every field. */
    public CapturedDhcp {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(etherSource, "etherSource");
        Objects.requireNonNull(etherDestination, "etherDestination");
        Objects.requireNonNull(ipSource, "ipSource");
        Objects.requireNonNull(ipDestination, "ipDestination");
        Objects.requireNonNull(message, "message");
    }

    /** Returns whether the message is a DHCP message of {@code type} (option 53). */
    public boolean is(DhcpMessageType type) {
        return message.messageType().filter(type::equals).isPresent();
    }

    /** Returns whether the frame went to every station of the link. */
    public boolean isEtherBroadcast() {
        return ETHER_BROADCAST.equals(etherDestination);
    }

    /** Returns the requested address (option 50), if the message has one. */
    public Optional<Ipv4Address> requestedAddress() {
        return message.options().address(OptionCode.REQUESTED_ADDRESS);
    }

    /** Returns whether the message names a server (option 54). */
    public boolean namesServer() {
        return message.options().contains(OptionCode.SERVER_IDENTIFIER);
    }

    /**
     * Returns whether this is an INIT-REBOOT request (RFC 2131 §4.3.2): a REQUEST with a requested
     * address (option 50), no server identifier (option 54) and ciaddr 0.
     */
    public boolean isInitReboot() {
        return is(DhcpMessageType.REQUEST) && requestedAddress().isPresent() && !namesServer()
                && message.ciaddr().isZero();
    }

    /** Returns whether {@code reply} answers this message: a reply with the same transaction id. */
    public boolean isAnsweredBy(CapturedDhcp reply) {
        return reply.message.op() == DhcpMessage.BOOTREPLY && reply.message.xid() == message.xid()
                && !reply.time.isBefore(time);
    }

    /** One line for failure messages: time, frame, datagram and the fields the tests look at. */
    @Override
    public String toString() {
        return time + " " + etherSource + " > " + etherDestination + " " + ipSource + " > " + ipDestination + " "
                + message.messageType().map(Enum::name).orElse("BOOTP") + " xid=" + Integer.toHexString(message.xid())
                + " ciaddr=" + message.ciaddr() + " yiaddr=" + message.yiaddr()
                + " option50=" + requestedAddress().map(Ipv4Address::toString).orElse("-")
                + " option54=" + message.options().address(OptionCode.SERVER_IDENTIFIER)
                        .map(Ipv4Address::toString).orElse("-");
    }
}
