package dev.dhcpcluster.adapter.udp;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a UDP transport says it is and where it sends broadcasts: the decision, taken once at
 * start, from what was configured and what the interface turned out to be.
 *
 * @param localAddress the server's address on the link, reported with every received datagram
 * @param broadcastTarget where a broadcast reply is sent first
 * @param broadcastFallback where broadcasts go instead if {@code broadcastTarget} is unreachable
 */
record Addressing(Ipv4Address localAddress, Ipv4Address broadcastTarget, Optional<Ipv4Address> broadcastFallback) {

    Addressing {
        Objects.requireNonNull(localAddress, "localAddress");
        Objects.requireNonNull(broadcastTarget, "broadcastTarget");
        Objects.requireNonNull(broadcastFallback, "broadcastFallback");
    }

    /**
     * Decides.
     *
     * <ul>
     *   <li>A configured interface is the link the transport serves: broadcasts go to its directed
     *       broadcast, which the kernel routes out of that interface whatever the default route
     *       (the limited broadcast would leave by the route table, or not at all).
     *   <li>Without one, broadcasts go to {@code 255.255.255.255}, falling back to the directed
     *       broadcast of the bound address's subnet when the host has no route for it.
     *   <li>The local address is the bound address, or for a wildcard bind the interface's address.
     * </ul>
     *
     * @param bindAddress the address the socket is bound to, {@code 0.0.0.0} for the wildcard
     * @param interfaceConfigured whether the operator named the interface to serve
     * @param link the interface address in use: of the named interface, or the one carrying
     *     {@code bindAddress}; empty if unknown
     * @throws IllegalArgumentException for a wildcard bind without a known link, which would
     *     leave the transport without a server identifier
     */
    static Addressing decide(Ipv4Address bindAddress, boolean interfaceConfigured, Optional<LinkAddress> link) {
        Ipv4Address local = bindAddress.isZero()
                ? link.map(LinkAddress::address).orElseThrow(() -> new IllegalArgumentException(
                        "a transport bound to 0.0.0.0 needs an interface with an IPv4 address"))
                : bindAddress;
        Optional<Ipv4Address> directed = link.flatMap(LinkAddress::directedBroadcast);
        if (interfaceConfigured && directed.isPresent()) {
            return new Addressing(local, directed.get(), Optional.empty());
        }
        return new Addressing(local, Ipv4Address.BROADCAST, directed);
    }
}
