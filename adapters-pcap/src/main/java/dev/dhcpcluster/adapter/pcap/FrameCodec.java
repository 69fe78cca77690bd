package dev.dhcpcluster.adapter.pcap;

import dev.dhcpcluster.port.model.Ipv4Address;

/**
 * Reads and writes UDP datagrams in Ethernet II frames over IPv4, without options on the way out.
 *
 * <p>Reading checks what the kernel would have checked had the datagram reached a socket, because
 * a capture sees frames before the kernel does: the IPv4 version, header length, header checksum
 * and total length, that the datagram is not a fragment (the transport does no reassembly, and a
 * DHCP message never needs it), that it is UDP, and that the UDP length fits. It does not check
 * the UDP checksum: frames from the host's own sockets over virtual links (loopback, veth) and
 * from NICs that offload checksums are captured with the checksum left for the hardware to fill
 * (only the pseudo-header sum is there), so a valid datagram would fail the check. The IPv4 header
 * checksum is always complete, since the kernel computes it in software.
 */
final class FrameCodec {

    static final int ETHERNET_HEADER = 14;
    static final int IPV4_HEADER = 20;
    static final int UDP_HEADER = 8;
    /** Everything before the UDP payload in a frame this codec writes. */
    static final int HEADERS = ETHERNET_HEADER + IPV4_HEADER + UDP_HEADER;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int PROTOCOL_UDP = 17;
    private static final int TTL = 64;
    private static final int DONT_FRAGMENT = 0x4000;
    private static final int MORE_FRAGMENTS = 0x2000;
    private static final int FRAGMENT_OFFSET = 0x1FFF;

    private FrameCodec() {
    }

    /**
     * Writes {@code frame} as bytes ready for the wire, with correct IPv4 header and UDP
     * checksums. The datagram is sent whole, with "don't fragment" set.
     *
     * @param identification the IPv4 identification field (only the low 16 bits are used)
     * @throws IllegalArgumentException if the payload does not fit in one IPv4 datagram
     */
    static byte[] encode(UdpFrame frame, int identification) {
        byte[] payload = frame.payload();
        int udpLength = UDP_HEADER + payload.length;
        int ipLength = IPV4_HEADER + udpLength;
        if (ipLength > 0xFFFF) {
            throw new IllegalArgumentException("a UDP payload of " + payload.length + " bytes does not fit in an IPv4 datagram");
        }
        byte[] bytes = new byte[ETHERNET_HEADER + ipLength];

        System.arraycopy(frame.destinationMac(), 0, bytes, 0, 6);
        System.arraycopy(frame.sourceMac(), 0, bytes, 6, 6);
        putShort(bytes, 12, ETHERTYPE_IPV4);

        int ip = ETHERNET_HEADER;
        bytes[ip] = 0x45; // version 4, header of five 32-bit words
        putShort(bytes, ip + 2, ipLength);
        putShort(bytes, ip + 4, identification);
        putShort(bytes, ip + 6, DONT_FRAGMENT);
        bytes[ip + 8] = (byte) TTL;
        bytes[ip + 9] = (byte) PROTOCOL_UDP;
        frame.source().writeTo(bytes, ip + 12);
        frame.destination().writeTo(bytes, ip + 16);
        putShort(bytes, ip + 10, Checksum.of(bytes, ip, IPV4_HEADER));

        int udp = ip + IPV4_HEADER;
        putShort(bytes, udp, frame.sourcePort());
        putShort(bytes, udp + 2, frame.destinationPort());
        putShort(bytes, udp + 4, udpLength);
        System.arraycopy(payload, 0, bytes, udp + UDP_HEADER, payload.length);
        int checksum = udpChecksum(bytes, ip, udp, udpLength);
        // 0 means "no checksum" in UDP over IPv4; a computed 0 is sent as its other form (RFC 768).
        putShort(bytes, udp + 6, checksum == 0 ? 0xFFFF : checksum);
        return bytes;
    }

    /**
     * Reads a captured frame. Ethernet padding after the IPv4 datagram is ignored; anything that
     * is not a whole, unfragmented IPv4 UDP datagram is rejected with the reason.
     */
    static Decoded decode(byte[] bytes) {
        if (bytes.length < ETHERNET_HEADER) {
            return new RejectedFrame("frame of " + bytes.length + " bytes is shorter than an Ethernet header");
        }
        int etherType = getShort(bytes, 12);
        if (etherType != ETHERTYPE_IPV4) {
            return new RejectedFrame(String.format("EtherType 0x%04x is not IPv4", etherType));
        }
        int ip = ETHERNET_HEADER;
        int available = bytes.length - ip;
        if (available < IPV4_HEADER) {
            return new RejectedFrame("truncated IPv4 header (" + available + " bytes)");
        }
        int version = (bytes[ip] & 0xF0) >>> 4;
        if (version != 4) {
            return new RejectedFrame("IP version " + version + " in an IPv4 frame");
        }
        int headerLength = (bytes[ip] & 0x0F) * 4;
        if (headerLength < IPV4_HEADER || headerLength > available) {
            return new RejectedFrame("IPv4 header length " + headerLength + " with " + available + " bytes captured");
        }
        if (Checksum.of(bytes, ip, headerLength) != 0) {
            return new RejectedFrame("bad IPv4 header checksum");
        }
        int totalLength = getShort(bytes, ip + 2);
        if (totalLength < headerLength || totalLength > available) {
            return new RejectedFrame("IPv4 total length " + totalLength + " with header " + headerLength
                    + " and " + available + " bytes captured");
        }
        int fragment = getShort(bytes, ip + 6);
        if ((fragment & (MORE_FRAGMENTS | FRAGMENT_OFFSET)) != 0) {
            return new RejectedFrame("IPv4 fragment");
        }
        int protocol = bytes[ip + 9] & 0xFF;
        if (protocol != PROTOCOL_UDP) {
            return new RejectedFrame("IP protocol " + protocol + " is not UDP");
        }
        int udp = ip + headerLength;
        int udpAvailable = totalLength - headerLength;
        if (udpAvailable < UDP_HEADER) {
            return new RejectedFrame("truncated UDP header (" + udpAvailable + " bytes)");
        }
        int udpLength = getShort(bytes, udp + 4);
        if (udpLength < UDP_HEADER || udpLength > udpAvailable) {
            return new RejectedFrame("UDP length " + udpLength + " with " + udpAvailable + " bytes in the IPv4 datagram");
        }
        byte[] payload = new byte[udpLength - UDP_HEADER];
        System.arraycopy(bytes, udp + UDP_HEADER, payload, 0, payload.length);
        byte[] destinationMac = new byte[6];
        byte[] sourceMac = new byte[6];
        System.arraycopy(bytes, 0, destinationMac, 0, 6);
        System.arraycopy(bytes, 6, sourceMac, 0, 6);
        return new DecodedDatagram(new UdpFrame(destinationMac, sourceMac,
                Ipv4Address.fromBytes(bytes, ip + 12), Ipv4Address.fromBytes(bytes, ip + 16),
                getShort(bytes, udp), getShort(bytes, udp + 2), payload));
    }

    /** The UDP checksum over the pseudo-header and the datagram, with the checksum field as it is. */
    static int udpChecksum(byte[] bytes, int ip, int udp, int udpLength) {
        long sum = Checksum.add(0, bytes, ip + 12, 8); // source and destination addresses
        sum += PROTOCOL_UDP;
        sum += udpLength;
        sum = Checksum.add(sum, bytes, udp, udpLength);
        return Checksum.finish(sum);
    }

    private static int getShort(byte[] bytes, int offset) {
        return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
    }

    private static void putShort(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 8);
        bytes[offset + 1] = (byte) value;
    }
}
