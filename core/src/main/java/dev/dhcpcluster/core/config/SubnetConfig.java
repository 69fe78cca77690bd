package dev.dhcpcluster.core.config;

import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.time.Duration;
import java.util.ArrayList;
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

    /**
     * A builder that starts from the values a node file gives a subnet that sets nothing but its
     * prefix: no pools, reservations, options or relay addresses, the {@link LeaseTimes#DEFAULT_VALID
     * default lease time} with T1 at half and T2 at seven eighths of it, any interface, not
     * authoritative. The network must be set.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder for the subnet {@code network/prefixLength}, as {@code builder().network(network, prefixLength)}. */
    public static Builder builder(Ipv4Address network, int prefixLength) {
        return new Builder().network(network, prefixLength);
    }

    /** A builder that starts from this subnet, to build a changed copy. */
    public Builder toBuilder() {
        return new Builder().network(network, prefixLength).pools(pools).reservations(reservations).options(options)
                .leaseTimes(leaseTimes).relayAddresses(relayAddresses).interfaceName(interfaceName)
                .authoritative(authoritative);
    }

    /**
     * Builds a {@link SubnetConfig} step by step. Each setter replaces its value (the ones named
     * in the singular add one) and returns this builder; {@link #build()} checks the whole as the
     * record's constructor does (pools and reservations inside the subnet...) and may be called
     * again after more changes. Not thread-safe.
     */
    public static final class Builder {
        private Ipv4Address network;
        private int prefixLength;
        private final List<PoolConfig> pools = new ArrayList<>();
        private final List<Reservation> reservations = new ArrayList<>();
        private DhcpOptions options = DhcpOptions.empty();
        private LeaseTimes leaseTimes = LeaseTimes.of(LeaseTimes.DEFAULT_VALID);
        private final List<Ipv4Address> relayAddresses = new ArrayList<>();
        private Optional<String> interfaceName = Optional.empty();
        private boolean authoritative;

        private Builder() {
        }

        /** The network address (host bits zero) and prefix length, 8 to 30 (required). */
        public Builder network(Ipv4Address network, int prefixLength) {
            this.network = Objects.requireNonNull(network, "network");
            this.prefixLength = prefixLength;
            return this;
        }

        /** Adds an open pool without options of its own, {@code first} to {@code last} inclusive. */
        public Builder pool(Ipv4Address first, Ipv4Address last) {
            return pool(PoolConfig.of(new AddressRange(first, last)));
        }

        /** Adds a pool after those already added. */
        public Builder pool(PoolConfig pool) {
            pools.add(Objects.requireNonNull(pool, "pool"));
            return this;
        }

        /** Replaces the pools. */
        public Builder pools(List<PoolConfig> pools) {
            List<PoolConfig> copy = List.copyOf(pools);
            this.pools.clear();
            this.pools.addAll(copy);
            return this;
        }

        /** Adds a reservation. */
        public Builder reservation(Reservation reservation) {
            reservations.add(Objects.requireNonNull(reservation, "reservation"));
            return this;
        }

        /** Replaces the reservations. */
        public Builder reservations(List<Reservation> reservations) {
            List<Reservation> copy = List.copyOf(reservations);
            this.reservations.clear();
            this.reservations.addAll(copy);
            return this;
        }

        /** The subnet's own options (none by default). */
        public Builder options(DhcpOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** The lease and timer durations. */
        public Builder leaseTimes(LeaseTimes leaseTimes) {
            this.leaseTimes = Objects.requireNonNull(leaseTimes, "leaseTimes");
            return this;
        }

        /**
         * A lease time of {@code valid}, none shorter or longer granted, T1 at half and T2 at
         * seven eighths of it: what a subnet that sets only its {@code valid-lifetime} gets.
         */
        public Builder leaseTime(Duration valid) {
            return leaseTimes(LeaseTimes.of(valid));
        }

        /** Adds a relay address (giaddr) outside the subnet whose requests this subnet serves. */
        public Builder relayAddress(Ipv4Address relayAddress) {
            relayAddresses.add(Objects.requireNonNull(relayAddress, "relayAddress"));
            return this;
        }

        /** Replaces the relay addresses. */
        public Builder relayAddresses(List<Ipv4Address> relayAddresses) {
            List<Ipv4Address> copy = List.copyOf(relayAddresses);
            this.relayAddresses.clear();
            this.relayAddresses.addAll(copy);
            return this;
        }

        /** The interface whose directly attached clients this subnet serves. */
        public Builder interfaceName(String interfaceName) {
            return interfaceName(Optional.of(interfaceName));
        }

        /** The interface whose clients this subnet serves; empty (the default) for the one whose address lies in it. */
        public Builder interfaceName(Optional<String> interfaceName) {
            this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
            return this;
        }

        /** Whether the server is the only authority for the subnet (false by default). */
        public Builder authoritative(boolean authoritative) {
            this.authoritative = authoritative;
            return this;
        }

        /**
         * The subnet.
         *
         * @throws IllegalStateException if no network was set
         * @throws IllegalArgumentException if the values do not make a valid subnet (host bits
         *     set, a pool or reservation outside it, a blank interface name...)
         */
        public SubnetConfig build() {
            if (network == null) {
                throw new IllegalStateException("a subnet needs its network: call network(...) first");
            }
            return new SubnetConfig(network, prefixLength, pools, reservations, options, leaseTimes, relayAddresses,
                    interfaceName, authoritative);
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
