package dev.dhcpcluster.core.config;

import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One IPv4 subnet the server hands out addresses in, as Kea's {@code subnet4} entries.
 *
 * @param network the network address (host bits zero)
 * @param prefixLength the prefix length, 8 to 30
 * @param pools the pools dynamic clients are given addresses from, inside the subnet
 * @param reservations fixed addresses for known clients, inside the subnet
 * @param options the subnet's own options; they rank above the global and class options and
 *     below the pool's and the reservation's ({@link ServerConfig#options()})
 * @param leaseTimes lease and timer durations for this subnet
 * @param relayAddresses relay addresses (giaddr) outside the subnet whose requests are served from
 *     it, as Kea's {@code "relay": {"ip-addresses": [...]}}; a giaddr inside the subnet selects it
 *     without being listed
 * @param interfaceName the interface whose directly attached clients this subnet serves, as Kea's
 *     subnet {@code interface}; when empty, the subnet serves the interface whose address lies in it
 * @param authoritative true if the server is the only authority for the subnet, as Kea's
 *     {@code authoritative}: a client in INIT-REBOOT that it has no record of is told no (NAK)
 *     rather than left to another server (silence)
 */
public record SubnetConfig(
        Ipv4Address network,
        int prefixLength,
        List<PoolConfig> pools,
        List<Reservation> reservations,
        DhcpOptions options,
        LeaseTimes leaseTimes,
        List<Ipv4Address> relayAddresses,
        Optional<String> interfaceName,
        boolean authoritative) {

    public SubnetConfig {
        relayAddresses = List.copyOf(relayAddresses);
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(leaseTimes, "leaseTimes");
        Objects.requireNonNull(interfaceName, "interfaceName");
        pools = List.copyOf(pools);
        reservations = List.copyOf(reservations);
        if (interfaceName.isPresent() && interfaceName.get().isBlank()) {
            throw new IllegalArgumentException("a subnet's interface name must not be blank");
        }
        if (prefixLength < 8 || prefixLength > 30) {
            throw new IllegalArgumentException("subnet prefix length must be 8 to 30, not " + prefixLength);
        }
        if ((network.value() & ~maskOf(prefixLength)) != 0) {
            throw new IllegalArgumentException(network + "/" + prefixLength + " has host bits set");
        }
        Ipv4Address broadcast = Ipv4Address.of(network.value() | ~maskOf(prefixLength));
        for (PoolConfig entry : pools) {
            AddressRange pool = entry.range();
            if (!containsRaw(network, prefixLength, pool.first()) || !containsRaw(network, prefixLength, pool.last())) {
                throw new IllegalArgumentException("pool " + pool + " is not inside " + network + "/" + prefixLength);
            }
        }
        for (Reservation reservation : reservations) {
            Ipv4Address address = reservation.address();
            if (!containsRaw(network, prefixLength, address) || address.equals(network) || address.equals(broadcast)) {
                throw new IllegalArgumentException("reserved address " + address + " is not a host address of "
                        + network + "/" + prefixLength);
            }
        }
    }

    /** The address ranges of the pools, in order. */
    public List<AddressRange> ranges() {
        return pools.stream().map(PoolConfig::range).toList();
    }

    /** The pool holding {@code address}, if any. */
    public Optional<PoolConfig> poolContaining(Ipv4Address address) {
        return pools.stream().filter(pool -> pool.range().contains(address)).findFirst();
    }

    /** The subnet mask as an int. */
    public int mask() {
        return maskOf(prefixLength);
    }

    /** The subnet mask as an address, for option 1. */
    public Ipv4Address maskAddress() {
        return Ipv4Address.of(mask());
    }

    /** The subnet's directed broadcast address. */
    public Ipv4Address broadcastAddress() {
        return Ipv4Address.of(network.value() | ~mask());
    }

    /** True if a request relayed through {@code giaddr} is to be served from this subnet. */
    public boolean servesRelay(Ipv4Address giaddr) {
        return contains(giaddr) || relayAddresses.contains(giaddr);
    }

    /** True if {@code address} is in this subnet (network and broadcast address included). */
    public boolean contains(Ipv4Address address) {
        return containsRaw(network, prefixLength, address);
    }

    @Override
    public String toString() {
        return network + "/" + prefixLength;
    }

    private static int maskOf(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    private static boolean containsRaw(Ipv4Address network, int prefixLength, Ipv4Address address) {
        return (address.value() & maskOf(prefixLength)) == network.value();
    }
}
