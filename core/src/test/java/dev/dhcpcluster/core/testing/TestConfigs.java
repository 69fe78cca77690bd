package dev.dhcpcluster.core.testing;

import dev.dhcpcluster.core.config.AddressRange;
import dev.dhcpcluster.core.config.ClassCondition;
import dev.dhcpcluster.core.config.ClientClass;
import dev.dhcpcluster.core.config.LeaseTimes;
import dev.dhcpcluster.core.config.PoolConfig;
import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.config.Reservation;
import dev.dhcpcluster.core.config.ReservationKey;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Configurations for tests, all inside 198.18.0.0/15. The default subnet is 198.18.0.0/24 with
 * router 198.18.0.1, the server at 198.18.0.2, DNS 198.18.0.3, domain {@code example.test}, a
 * pool of ten addresses 198.18.0.10 - 198.18.0.19 and one-hour leases.
 */
public final class TestConfigs {

    public static final Ipv4Address SERVER = Ipv4Address.parse("198.18.0.2");
    public static final Ipv4Address ROUTER = Ipv4Address.parse("198.18.0.1");
    public static final Ipv4Address DNS = Ipv4Address.parse("198.18.0.3");
    public static final String DOMAIN = "example.test";
    public static final Duration LEASE = Duration.ofHours(1);

    private TestConfigs() {
    }

    /** The default subnet, to be changed. */
    public static SubnetBuilder subnet() {
        return new SubnetBuilder("198.18.0.0", 24).pool("198.18.0.10", "198.18.0.19");
    }

    /** A server with these subnets and the default settings otherwise, identifying itself as {@link #SERVER}. */
    public static ServerBuilder server(SubnetConfig... subnets) {
        return new ServerBuilder(List.of(subnets));
    }

    /** Builds a {@link SubnetConfig}. */
    public static final class SubnetBuilder {
        private final Ipv4Address network;
        private final int prefix;
        private final List<PoolConfig> pools = new ArrayList<>();
        private final List<Reservation> reservations = new ArrayList<>();
        private final List<Ipv4Address> relays = new ArrayList<>();
        private DhcpOptions.Builder options = DhcpOptions.builder();
        private LeaseTimes times = LeaseTimes.of(LEASE);
        private Optional<String> interfaceName = Optional.empty();
        private boolean authoritative;

        SubnetBuilder(String network, int prefix) {
            this.network = Ipv4Address.parse(network);
            this.prefix = prefix;
            int base = this.network.value();
            options.address(OptionCode.ROUTERS, Ipv4Address.of(base + 1))
                    .address(OptionCode.DOMAIN_NAME_SERVERS, Ipv4Address.of(base + 3))
                    .string(OptionCode.DOMAIN_NAME, DOMAIN);
        }

        /** Another subnet with the same shape of defaults (router .1, DNS .3) and no pool yet. */
        public static SubnetBuilder of(String network, int prefix) {
            return new SubnetBuilder(network, prefix);
        }

        /** Replaces the pools with this one range. */
        public SubnetBuilder pool(String first, String last) {
            pools.clear();
            return addPool(first, last);
        }

        public SubnetBuilder addPool(String first, String last) {
            pools.add(PoolConfig.of(new AddressRange(Ipv4Address.parse(first), Ipv4Address.parse(last))));
            return this;
        }

        /** Adds a pool restricted to members of {@code clientClass}, without options of its own. */
        public SubnetBuilder addClassPool(String first, String last, String clientClass) {
            return addPool(first, last, Optional.of(clientClass), DhcpOptions.empty());
        }

        /** Adds a pool open to everyone with options of its own. */
        public SubnetBuilder addPool(String first, String last, DhcpOptions options) {
            return addPool(first, last, Optional.empty(), options);
        }

        /** Adds a pool, restricted to {@code clientClass} if present, with these options. */
        public SubnetBuilder addPool(String first, String last, Optional<String> clientClass, DhcpOptions options) {
            return addPool(new PoolConfig(new AddressRange(Ipv4Address.parse(first), Ipv4Address.parse(last)),
                    clientClass, options));
        }

        public SubnetBuilder addPool(PoolConfig pool) {
            pools.add(pool);
            return this;
        }

        /** Adds any reservation. */
        public SubnetBuilder reserve(Reservation reservation) {
            reservations.add(reservation);
            return this;
        }

        /** Reserves {@code address} for the client behind this circuit-id (option 82 sub-option 1). */
        public SubnetBuilder reserveForCircuitId(byte[] circuitId, String address) {
            return reserve(new Reservation(new ReservationKey.ByCircuitId(Octets.of(circuitId)),
                    Ipv4Address.parse(address), Optional.empty(), DhcpOptions.empty()));
        }

        /** Reserves {@code address} for the client behind this remote-id (option 82 sub-option 2). */
        public SubnetBuilder reserveForRemoteId(byte[] remoteId, String address) {
            return reserve(new Reservation(new ReservationKey.ByRemoteId(Octets.of(remoteId)),
                    Ipv4Address.parse(address), Optional.empty(), DhcpOptions.empty()));
        }

        /** Reserves {@code address} for a hardware address, with options for that client. */
        public SubnetBuilder reserveForHardwareWithOptions(String mac, String address, DhcpOptions options) {
            return reserve(new Reservation(new ReservationKey.ByHardwareAddress(HardwareAddress.parseEthernet(mac)),
                    Ipv4Address.parse(address), Optional.empty(), options));
        }

        /** The interface whose directly attached clients this subnet serves. */
        public SubnetBuilder interfaceName(String name) {
            interfaceName = Optional.of(name);
            return this;
        }

        /** Makes the server authoritative for this subnet. */
        public SubnetBuilder authoritative() {
            authoritative = true;
            return this;
        }

        public SubnetBuilder reserveForHardware(String mac, String address, String hostname) {
            reservations.add(Reservation.forHardwareAddress(HardwareAddress.parseEthernet(mac),
                    Ipv4Address.parse(address), Optional.ofNullable(hostname)));
            return this;
        }

        public SubnetBuilder reserveForClientId(byte[] clientId, String address) {
            reservations.add(Reservation.forClientId(ClientKey.ofClientId(clientId), Ipv4Address.parse(address),
                    Optional.empty()));
            return this;
        }

        public SubnetBuilder relay(String giaddr) {
            relays.add(Ipv4Address.parse(giaddr));
            return this;
        }

        public SubnetBuilder option(int code, byte[] value) {
            options.put(code, value);
            return this;
        }

        public SubnetBuilder withoutOption(int code) {
            options.remove(code);
            return this;
        }

        public SubnetBuilder leaseTimes(LeaseTimes value) {
            times = value;
            return this;
        }

        public SubnetConfig build() {
            return new SubnetConfig(network, prefix, pools, reservations, options.build(), times, relays,
                    interfaceName, authoritative);
        }
    }

    /** Builds a {@link ServerConfig}. */
    public static final class ServerBuilder {
        private final List<SubnetConfig> subnets;
        private Optional<Ipv4Address> serverId = Optional.of(SERVER);
        private Duration offerHold = ServerConfig.DEFAULT_OFFER_HOLD;
        private Duration declineProbation = ServerConfig.DEFAULT_DECLINE_PROBATION;
        private int maxHops = ServerConfig.DEFAULT_MAX_HOPS;
        private int relayPort = ServerConfig.DEFAULT_RELAY_PORT;
        private final DhcpOptions.Builder globalOptions = DhcpOptions.builder();
        private final List<ClientClass> clientClasses = new ArrayList<>();

        ServerBuilder(List<SubnetConfig> subnets) {
            this.subnets = subnets;
        }

        public ServerBuilder serverIdentifier(Optional<Ipv4Address> value) {
            serverId = value;
            return this;
        }

        public ServerBuilder offerHold(Duration value) {
            offerHold = value;
            return this;
        }

        public ServerBuilder declineProbation(Duration value) {
            declineProbation = value;
            return this;
        }

        public ServerBuilder maxHops(int value) {
            maxHops = value;
            return this;
        }

        /** Sets a global option, given to every client unless a more specific level sets it. */
        public ServerBuilder globalOption(int code, byte[] value) {
            globalOptions.put(code, value);
            return this;
        }

        /** Adds a client class; classes rank among themselves in the order they are added. */
        public ServerBuilder clientClass(ClientClass clientClass) {
            clientClasses.add(clientClass);
            return this;
        }

        /** Adds a client class with these options and conditions. */
        public ServerBuilder clientClass(String name, DhcpOptions options, ClassCondition... conditions) {
            return clientClass(new ClientClass(name, List.of(conditions), options));
        }

        public ServerBuilder relayPort(int value) {
            relayPort = value;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(new NodeId(1), subnets, globalOptions.build(), clientClasses, serverId, offerHold,
                    declineProbation, maxHops, ServerConfig.DEFAULT_CLIENT_PORT, relayPort);
        }
    }
}
