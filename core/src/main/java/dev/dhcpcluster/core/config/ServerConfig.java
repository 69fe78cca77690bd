package dev.dhcpcluster.core.config;

import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
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

    private static void checkPort(String name, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 1-65535, not " + port);
        }
    }
}
