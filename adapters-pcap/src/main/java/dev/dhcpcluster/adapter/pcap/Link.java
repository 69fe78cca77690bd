package dev.dhcpcluster.adapter.pcap;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One interface the transport serves, as it was when the transport started.
 *
 * @param name the interface name ({@code eth1})
 * @param mac the interface's Ethernet address, the source of every frame sent on it (all zeros
 *     on loopback)
 * @param address the interface's first IPv4 address: the server's address on this link
 * @param prefixLength the prefix length of that address's subnet
 * @param mtu the largest IPv4 datagram the link carries
 * @param loopback whether this is the loopback interface, on which every 127/8 address is local
 */
record Link(String name, byte[] mac, Ipv4Address address, int prefixLength, int mtu, boolean loopback) {

    Link {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mac, "mac");
        Objects.requireNonNull(address, "address");
        if (mac.length != 6) {
            throw new IllegalArgumentException("an Ethernet address is 6 octets, not " + mac.length);
        }
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("an IPv4 prefix length is 0-32, not " + prefixLength);
        }
        if (mtu < FrameCodec.IPV4_HEADER + FrameCodec.UDP_HEADER) {
            throw new IllegalArgumentException("MTU " + mtu + " of " + name + " cannot carry a UDP datagram");
        }
        mac = mac.clone();
    }

    @Override
    public byte[] mac() {
        return mac.clone();
    }

    /**
     * The subnet's directed broadcast address; empty for a /31 or /32, which has none.
     */
    Optional<Ipv4Address> directedBroadcast() {
        if (prefixLength >= 31) {
            return Optional.empty();
        }
        int hostBits = prefixLength == 0 ? -1 : (1 << (32 - prefixLength)) - 1;
        return Optional.of(Ipv4Address.of(address.value() | hostBits));
    }

    /**
     * The server address a datagram sent to {@code destination} on this link was meant for, or
     * empty if it was not meant for this host at all.
     *
     * <ul>
     *   <li>A broadcast (limited, or this subnet's directed one) is for the server on this link:
     *       the link's address.
     *   <li>A unicast to one of the host's addresses (or, on loopback, to any 127/8 address) is
     *       for that address, as the client or relay chose it.
     *   <li>Anything else, such as a datagram the host merely forwards, is foreign.
     * </ul>
     *
     * @param hostAddresses every IPv4 address of the host
     */
    Optional<Ipv4Address> localAddressFor(Ipv4Address destination, Set<Ipv4Address> hostAddresses) {
        if (destination.equals(Ipv4Address.BROADCAST) || directedBroadcast().filter(destination::equals).isPresent()) {
            return Optional.of(address);
        }
        if (hostAddresses.contains(destination) || (loopback && (destination.value() >>> 24) == 127)) {
            return Optional.of(destination);
        }
        return Optional.empty();
    }

    /** The largest UDP payload a single frame on this link carries. */
    int maxPayload() {
        return mtu - FrameCodec.IPV4_HEADER - FrameCodec.UDP_HEADER;
    }

    @Override
    public String toString() {
        return name + " (" + address + "/" + prefixLength + ")";
    }
}
