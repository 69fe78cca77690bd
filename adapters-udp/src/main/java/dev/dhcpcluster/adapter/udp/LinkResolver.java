package dev.dhcpcluster.adapter.udp;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.List;
import java.util.Optional;

/** Looks up the IPv4 addresses of the host's network interfaces through the JDK. */
final class LinkResolver {

    private LinkResolver() {
    }

    /**
     * The address the transport uses on the interface named {@code name}: {@code bindAddress}
     * itself if the interface carries it, else (for a wildcard bind) the interface's first IPv4
     * address.
     *
     * @throws IOException naming the interface if it does not exist or lacks such an address
     */
    static LinkAddress ofInterface(String name, Ipv4Address bindAddress) throws IOException {
        NetworkInterface networkInterface = NetworkInterface.getByName(name);
        if (networkInterface == null) {
            throw new IOException("no network interface named \"" + name + "\"");
        }
        List<LinkAddress> addresses = ipv4Addresses(networkInterface);
        return LinkAddress.choose(addresses, bindAddress).orElseThrow(() -> new IOException(bindAddress.isZero()
                ? "network interface \"" + name + "\" has no IPv4 address"
                : "network interface \"" + name + "\" does not carry " + bindAddress + " (it has " + addresses + ")"));
    }

    /** The interface that carries {@code address}, with that address's prefix; empty if none does. */
    static Optional<Link> ofAddress(Ipv4Address address) throws IOException {
        NetworkInterface networkInterface = NetworkInterface.getByInetAddress(InetAddress.getByAddress(address.toBytes()));
        if (networkInterface == null) {
            return Optional.empty();
        }
        return LinkAddress.choose(ipv4Addresses(networkInterface), address)
                .map(linkAddress -> new Link(networkInterface.getName(), linkAddress));
    }

    /** An interface's name and the address in use on it. */
    record Link(String interfaceName, LinkAddress address) {
    }

    private static List<LinkAddress> ipv4Addresses(NetworkInterface networkInterface) {
        return networkInterface.getInterfaceAddresses().stream()
                .filter(candidate -> candidate.getAddress() instanceof Inet4Address)
                .map(LinkResolver::toLinkAddress)
                .toList();
    }

    private static LinkAddress toLinkAddress(InterfaceAddress interfaceAddress) {
        return new LinkAddress(Ipv4Address.fromBytes(interfaceAddress.getAddress().getAddress()),
                interfaceAddress.getNetworkPrefixLength());
    }
}
