package dev.dhcpcluster.adapter.udp;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One IPv4 address of a network interface with the prefix length of its subnet, as
 * {@code ip addr} shows it ({@code 198.18.0.1/16}).
 */
record LinkAddress(Ipv4Address address, int prefixLength) {

    LinkAddress {
        Objects.requireNonNull(address, "address");
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("an IPv4 prefix length is 0-32, not " + prefixLength);
        }
    }

    /**
     * The subnet's directed broadcast address: the address with every host bit set
     * ({@code 198.18.255.255} for {@code 198.18.0.1/16}). Empty for a /31 (RFC 3021) or /32
     * link, which has no broadcast address of its own.
     */
    Optional<Ipv4Address> directedBroadcast() {
        if (prefixLength >= 31) {
            return Optional.empty();
        }
        int hostBits = prefixLength == 0 ? -1 : (1 << (32 - prefixLength)) - 1;
        return Optional.of(Ipv4Address.of(address.value() | hostBits));
    }

    /**
     * Which of an interface's addresses a transport uses: the one it is bound to if the
     * interface has it, else (for a wildcard bind) the interface's first IPv4 address.
     *
     * @param candidates the interface's IPv4 addresses, in the order the system lists them
     */
    static Optional<LinkAddress> choose(List<LinkAddress> candidates, Ipv4Address bindAddress) {
        if (!bindAddress.isZero()) {
            return candidates.stream().filter(candidate -> candidate.address().equals(bindAddress)).findFirst();
        }
        return candidates.stream().findFirst();
    }

    @Override
    public String toString() {
        return address + "/" + prefixLength;
    }
}
