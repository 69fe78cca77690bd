package dev.dhcpcluster.core.config;

import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the DHCP server policy needs to know, already validated and resolved (inherited
 * values filled in) by whoever read the configuration file.
 *
 * @param node this node's id, written into every lease it changes
 * @param subnets the subnets served, not overlapping
 * @param options the global options, given to every client unless a more specific level
 *     (class, subnet, pool, reservation) sets the same option
 * @param clientClasses the client classes, in the order their options rank among themselves
 *     (the first class a client is in wins an option two of its classes set)
 * @param serverIdentifier the address sent in option 54; when empty, the address of the
 *     interface the request arrived on ({@link dev.dhcpcluster.port.model.Datagram#localAddress()})
 * @param offerHold how long an offered address is kept for the client before it may go to another
 * @param declineProbation how long a declined address stays out of use
 * @param maxHops relayed requests with more hops than this are dropped
 * @param clientPort the UDP port replies to clients go to (68 in production)
 * @param relayPort the UDP port replies to relays go to (67 in production)
 */
public record ServerConfig(
        NodeId node,
        List<SubnetConfig> subnets,
        DhcpOptions options,
        List<ClientClass> clientClasses,
        Optional<Ipv4Address> serverIdentifier,
        Duration offerHold,
        Duration declineProbation,
        int maxHops,
        int clientPort,
        int relayPort) {

    /** RFC 2131 §4.1 port numbers and common defaults. */
    public static final int DEFAULT_CLIENT_PORT = 68;
    public static final int DEFAULT_RELAY_PORT = 67;
    public static final Duration DEFAULT_OFFER_HOLD = Duration.ofSeconds(60);
    public static final Duration DEFAULT_DECLINE_PROBATION = Duration.ofHours(24);
    public static final int DEFAULT_MAX_HOPS = 16;

    public ServerConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(serverIdentifier, "serverIdentifier");
        Objects.requireNonNull(offerHold, "offerHold");
        Objects.requireNonNull(declineProbation, "declineProbation");
        subnets = List.copyOf(subnets);
        Objects.requireNonNull(options, "options");
        clientClasses = List.copyOf(clientClasses);
        Set<String> classNames = new HashSet<>();
        for (ClientClass clientClass : clientClasses) {
            if (!classNames.add(clientClass.name())) {
                throw new IllegalArgumentException("client class " + clientClass.name() + " is defined twice");
            }
        }
        for (SubnetConfig subnet : subnets) {
            for (PoolConfig pool : subnet.pools()) {
                if (pool.clientClass().isPresent() && !classNames.contains(pool.clientClass().get())) {
                    throw new IllegalArgumentException("pool " + pool + " of subnet " + subnet
                            + " is restricted to client class " + pool.clientClass().get() + ", which is not defined");
                }
            }
        }
        if (offerHold.isNegative() || offerHold.isZero()) {
            throw new IllegalArgumentException("the offer hold must be positive");
        }
        if (declineProbation.isNegative()) {
            throw new IllegalArgumentException("the decline probation must not be negative");
        }
        if (maxHops < 0 || maxHops > 255) {
            throw new IllegalArgumentException("max hops must be 0-255, not " + maxHops);
        }
        checkPort("client port", clientPort);
        checkPort("relay port", relayPort);
        for (int i = 0; i < subnets.size(); i++) {
            for (int j = i + 1; j < subnets.size(); j++) {
                SubnetConfig a = subnets.get(i);
                SubnetConfig b = subnets.get(j);
                if (a.contains(b.network()) || b.contains(a.network())) {
                    throw new IllegalArgumentException("subnets " + a + " and " + b + " overlap");
                }
            }
        }
    }

    /**
     * A builder that starts from the values a node file gives when it sets nothing but its
     * subnets: no global options, no client classes, the server identifier taken from the
     * interface, and the {@code DEFAULT_*} constants of this class. The node must be set.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this configuration, to build a changed copy. */
    public Builder toBuilder() {
        return new Builder().node(node).subnets(subnets).options(options).clientClasses(clientClasses)
                .serverIdentifier(serverIdentifier).offerHold(offerHold).declineProbation(declineProbation)
                .maxHops(maxHops).clientPort(clientPort).relayPort(relayPort);
    }

    /**
     * Builds a {@link ServerConfig} step by step. Each setter replaces its value and returns this
     * builder; {@link #build()} checks the whole as the record's constructor does and may be
     * called again after more changes (each result is immutable and independent of the builder).
     * Not thread-safe.
     */
    public static final class Builder {
        private NodeId node;
        private final List<SubnetConfig> subnets = new ArrayList<>();
        private DhcpOptions options = DhcpOptions.empty();
        private final List<ClientClass> clientClasses = new ArrayList<>();
        private Optional<Ipv4Address> serverIdentifier = Optional.empty();
        private Duration offerHold = DEFAULT_OFFER_HOLD;
        private Duration declineProbation = DEFAULT_DECLINE_PROBATION;
        private int maxHops = DEFAULT_MAX_HOPS;
        private int clientPort = DEFAULT_CLIENT_PORT;
        private int relayPort = DEFAULT_RELAY_PORT;

        private Builder() {
        }

        /** This node's id (required). */
        public Builder node(NodeId node) {
            this.node = Objects.requireNonNull(node, "node");
            return this;
        }

        /** Adds a subnet after those already added. */
        public Builder subnet(SubnetConfig subnet) {
            subnets.add(Objects.requireNonNull(subnet, "subnet"));
            return this;
        }

        /** Replaces the subnets. */
        public Builder subnets(List<SubnetConfig> subnets) {
            List<SubnetConfig> copy = List.copyOf(subnets);
            this.subnets.clear();
            this.subnets.addAll(copy);
            return this;
        }

        /** The global options (none by default). */
        public Builder options(DhcpOptions options) {
            this.options = Objects.requireNonNull(options, "options");
            return this;
        }

        /** Adds a client class after those already added (its options rank below theirs). */
        public Builder clientClass(ClientClass clientClass) {
            clientClasses.add(Objects.requireNonNull(clientClass, "clientClass"));
            return this;
        }

        /** Replaces the client classes. */
        public Builder clientClasses(List<ClientClass> clientClasses) {
            List<ClientClass> copy = List.copyOf(clientClasses);
            this.clientClasses.clear();
            this.clientClasses.addAll(copy);
            return this;
        }

        /** The address sent in option 54, instead of the address of the interface a request came in on. */
        public Builder serverIdentifier(Ipv4Address serverIdentifier) {
            return serverIdentifier(Optional.of(serverIdentifier));
        }

        /** The address sent in option 54; empty (the default) for the interface's address. */
        public Builder serverIdentifier(Optional<Ipv4Address> serverIdentifier) {
            this.serverIdentifier = Objects.requireNonNull(serverIdentifier, "serverIdentifier");
            return this;
        }

        /** How long an offered address is held ({@link #DEFAULT_OFFER_HOLD} by default). */
        public Builder offerHold(Duration offerHold) {
            this.offerHold = Objects.requireNonNull(offerHold, "offerHold");
            return this;
        }

        /** How long a declined address stays out of use ({@link #DEFAULT_DECLINE_PROBATION} by default). */
        public Builder declineProbation(Duration declineProbation) {
            this.declineProbation = Objects.requireNonNull(declineProbation, "declineProbation");
            return this;
        }

        /** Relayed requests with more hops are dropped ({@link #DEFAULT_MAX_HOPS} by default). */
        public Builder maxHops(int maxHops) {
            this.maxHops = maxHops;
            return this;
        }

        /** The UDP port replies to clients go to ({@link #DEFAULT_CLIENT_PORT} by default). */
        public Builder clientPort(int clientPort) {
            this.clientPort = clientPort;
            return this;
        }

        /** The UDP port replies to relays go to ({@link #DEFAULT_RELAY_PORT} by default). */
        public Builder relayPort(int relayPort) {
            this.relayPort = relayPort;
            return this;
        }

        /**
         * The configuration.
         *
         * @throws IllegalStateException if no node was set
         * @throws IllegalArgumentException if the values do not make a valid configuration
         *     (overlapping subnets, a pool's client class not defined, a port out of range...)
         */
        public ServerConfig build() {
            if (node == null) {
                throw new IllegalStateException("a server configuration needs its node: call node(...) first");
            }
            return new ServerConfig(node, subnets, options, clientClasses, serverIdentifier, offerHold,
                    declineProbation, maxHops, clientPort, relayPort);
        }
    }

    private static void checkPort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 1-65535, not " + port);
        }
    }
}
