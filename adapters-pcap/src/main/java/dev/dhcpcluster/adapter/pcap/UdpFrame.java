package dev.dhcpcluster.adapter.pcap;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Objects;

/**
 * One UDP datagram in an Ethernet II frame over IPv4: what the transport reads off a link and
 * what it writes onto one. {@link FrameCodec} turns frames into these and back.
 *
 * @param destinationMac the Ethernet destination, six octets
 * @param sourceMac the Ethernet source, six octets
 * @param source the IPv4 source address
 * @param destination the IPv4 destination address
 * @param sourcePort the UDP source port
 * @param destinationPort the UDP destination port
 * @param payload the UDP payload; owned by the frame once constructed
 */
record UdpFrame(
        byte[] destinationMac,
        byte[] sourceMac,
        Ipv4Address source,
        Ipv4Address destination,
        int sourcePort,
        int destinationPort,
        byte[] payload) {

    /** The Ethernet broadcast address. */
    static final byte[] BROADCAST_MAC = {-1, -1, -1, -1, -1, -1};

    UdpFrame {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(payload, "payload");
        checkMac(destinationMac, "destinationMac");
        checkMac(sourceMac, "sourceMac");
        checkPort(sourcePort, "sourcePort");
        checkPort(destinationPort, "destinationPort");
    }

    private static void checkMac(byte[] mac, String name) {
        Objects.requireNonNull(mac, name);
        if (mac.length != 6) {
            throw new IllegalArgumentException(name + " must be 6 octets, not " + mac.length);
        }
    }

    private static void checkPort(int port, String name) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0-65535, not " + port);
        }
    }
}
