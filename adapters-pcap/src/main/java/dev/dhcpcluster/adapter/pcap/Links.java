package dev.dhcpcluster.adapter.pcap;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/** Looks up the host's network interfaces through the JDK. */
final class Links {

    private Links() {
    }

    /**
     * The interface named {@code name}, with its Ethernet address and first IPv4 address.
     *
     * @throws IOException naming the interface if it does not exist, is down, or has no IPv4
     *     address or no Ethernet address
     */
    static Link resolve(String name) throws IOException {
        NetworkInterface networkInterface = NetworkInterface.getByName(name);
        if (networkInterface == null) {
            throw new IOException("no network interface named \"" + name + "\"");
        }
        if (!networkInterface.isUp()) {
            throw new IOException("network interface \"" + name + "\" is down");
        }
        InterfaceAddress first = networkInterface.getInterfaceAddresses().stream()
                .filter(candidate -> candidate.getAddress() instanceof Inet4Address)
                .findFirst()
                .orElseThrow(() -> new IOException("network interface \"" + name + "\" has no IPv4 address"));
        boolean loopback = networkInterface.isLoopback();
        byte[] mac = networkInterface.getHardwareAddress();
        if (mac == null && loopback) {
            mac = new byte[6]; // loopback frames carry all-zero Ethernet addresses
        }
        if (mac == null || mac.length != 6) {
            throw new IOException("network interface \"" + name + "\" has no Ethernet address");
        }
        return new Link(name, mac, Ipv4Address.fromBytes(first.getAddress().getAddress()),
                first.getNetworkPrefixLength(), networkInterface.getMTU(), loopback);
    }

    /** Every IPv4 address of every interface of the host, at the time of the call. */
    static Set<Ipv4Address> hostAddresses() throws IOException {
        Set<Ipv4Address> addresses = new HashSet<>();
        for (NetworkInterface networkInterface : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InterfaceAddress interfaceAddress : networkInterface.getInterfaceAddresses()) {
                if (interfaceAddress.getAddress() instanceof Inet4Address) {
                    addresses.add(Ipv4Address.fromBytes(interfaceAddress.getAddress().getAddress()));
                }
            }
        }
        return Set.copyOf(addresses);
    }
}
