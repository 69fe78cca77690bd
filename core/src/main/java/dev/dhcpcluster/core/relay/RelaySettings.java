package dev.dhcpcluster.core.relay;

import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What a relay agent is configured with, checked as a whole when it is built.
 *
 * @param interfaces the client-facing interfaces, at least one; names and addresses unique
 * @param remoteId the remote-id sub-option (2) the relay adds to option 82 after the circuit-id,
 *     if any; the option as a whole must fit in 255 octets with every interface's circuit-id
 * @param maxHops requests whose {@code hops} field exceeds this are dropped (RFC 1542 §4.1.1);
 *     0 to 16, by default {@value #DEFAULT_MAX_HOPS}
 * @param servers the servers requests are forwarded to, and the only sources whose replies are
 *     accepted; at least one, unique, none zero
 * @param serverPort the UDP port requests are forwarded to, by default {@value #DEFAULT_SERVER_PORT}
 * @param clientPort the UDP port replies are delivered to on a client link, by default
 *     {@value #DEFAULT_CLIENT_PORT}
 * @param maxMessageLength the longest DHCP message the relay makes by adding option 82; a
 *     request that would grow past it is forwarded without the option (RFC 3046 §2.1). From
 *     {@value #MIN_MESSAGE_LENGTH} to {@link DhcpCodec#MAX_DATAGRAM_LENGTH}, by default
 *     {@value #DEFAULT_MAX_MESSAGE_LENGTH}
 */
public record RelaySettings(
        List<RelayInterface> interfaces,
        Optional<Octets> remoteId,
        int maxHops,
        List<Ipv4Address> servers,
        int serverPort,
        int clientPort,
        int maxMessageLength) {

    /**
     * The default hop limit. RFC 1542 §4.1.1 says a relay MUST drop a request whose hops exceed
     * 16, SHOULD let the operator lower that, and SHOULD default to 4: few networks put more than
     * a handful of relays in a row, and a low limit stops a relay loop early.
     */
    public static final int DEFAULT_MAX_HOPS = 4;
    /** The largest hop limit RFC 1542 §4.1.1 allows. */
    public static final int MAX_HOPS_LIMIT = 16;
    /** The BOOTP server port. */
    public static final int DEFAULT_SERVER_PORT = 67;
    /** The BOOTP client port. */
    public static final int DEFAULT_CLIENT_PORT = 68;
    /**
     * The default limit on a forwarded message: the UDP payload of one unfragmented Ethernet
     * frame (1500 - 28), so that adding option 82 never makes the relay fragment a request.
     */
    public static final int DEFAULT_MAX_MESSAGE_LENGTH = DhcpCodec.ETHERNET_MTU - DhcpCodec.IP_UDP_OVERHEAD;
    /** The smallest limit: the 576-octet datagram every IPv4 host accepts, less IP and UDP headers. */
    public static final int MIN_MESSAGE_LENGTH = DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH - DhcpCodec.IP_UDP_OVERHEAD;
    /** The most octets one option, and so one sub-option, holds. */
    static final int MAX_SUB_OPTION_LENGTH = 255;

    public RelaySettings {
        interfaces = List.copyOf(interfaces);
        servers = List.copyOf(servers);
        Objects.requireNonNull(remoteId, "remoteId");
        if (interfaces.isEmpty()) {
            throw new IllegalArgumentException("a relay needs at least one client-facing interface");
        }
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("a relay needs at least one server to forward to");
        }
        Set<String> names = new HashSet<>();
        Set<Ipv4Address> addresses = new HashSet<>();
        for (RelayInterface face : interfaces) {
            if (!names.add(face.name())) {
                throw new IllegalArgumentException("interface " + face.name() + " is listed twice");
            }
            if (!addresses.add(face.address())) {
                throw new IllegalArgumentException("address " + face.address() + " belongs to two interfaces");
            }
            int optionLength = agentOptionValueLength(face, remoteId);
            if (optionLength > MAX_SUB_OPTION_LENGTH) {
                throw new IllegalArgumentException("option 82 for interface " + face.name() + " would hold "
                        + optionLength + " octets, more than the " + MAX_SUB_OPTION_LENGTH
                        + " one option holds: shorten the interface name or the remote-id");
            }
        }
        Set<Ipv4Address> seen = new HashSet<>();
        for (Ipv4Address server : servers) {
            if (server.isZero() || server.equals(Ipv4Address.BROADCAST)) {
                throw new IllegalArgumentException("a server is a unicast address, not " + server);
            }
            if (!seen.add(server)) {
                throw new IllegalArgumentException("server " + server + " is listed twice");
            }
        }
        if (maxHops < 0 || maxHops > MAX_HOPS_LIMIT) {
            throw new IllegalArgumentException("max-hops is 0 to " + MAX_HOPS_LIMIT + " (RFC 1542 §4.1.1), not " + maxHops);
        }
        checkPort("server port", serverPort);
        checkPort("client port", clientPort);
        if (maxMessageLength < MIN_MESSAGE_LENGTH || maxMessageLength > DhcpCodec.MAX_DATAGRAM_LENGTH) {
            throw new IllegalArgumentException("the maximum message length is " + MIN_MESSAGE_LENGTH + " to "
                    + DhcpCodec.MAX_DATAGRAM_LENGTH + " octets, not " + maxMessageLength);
        }
    }

    /** Settings with every default: no remote-id, 4 hops, ports 67 and 68, 1472-octet messages. */
    public static RelaySettings of(List<RelayInterface> interfaces, List<Ipv4Address> servers) {
        return new RelaySettings(interfaces, Optional.empty(), DEFAULT_MAX_HOPS, servers, DEFAULT_SERVER_PORT,
                DEFAULT_CLIENT_PORT, DEFAULT_MAX_MESSAGE_LENGTH);
    }

    /** These settings with another remote-id. */
    public RelaySettings withRemoteId(Optional<Octets> value) {
        return new RelaySettings(interfaces, value, maxHops, servers, serverPort, clientPort, maxMessageLength);
    }

    /** These settings with another hop limit. */
    public RelaySettings withMaxHops(int value) {
        return new RelaySettings(interfaces, remoteId, value, servers, serverPort, clientPort, maxMessageLength);
    }

    /** These settings with other server and client ports. */
    public RelaySettings withPorts(int server, int client) {
        return new RelaySettings(interfaces, remoteId, maxHops, servers, server, client, maxMessageLength);
    }

    /** These settings with another limit on a forwarded message. */
    public RelaySettings withMaxMessageLength(int value) {
        return new RelaySettings(interfaces, remoteId, maxHops, servers, serverPort, clientPort, value);
    }

    /** The interface called {@code name}, if it is one of the relay's. */
    public Optional<RelayInterface> interfaceNamed(String name) {
        for (RelayInterface face : interfaces) {
            if (face.name().equals(name)) {
                return Optional.of(face);
            }
        }
        return Optional.empty();
    }

    /** The interface whose address is {@code address}, if it is one of the relay's. */
    public Optional<RelayInterface> interfaceAt(Ipv4Address address) {
        for (RelayInterface face : interfaces) {
            if (face.address().equals(address)) {
                return Optional.of(face);
            }
        }
        return Optional.empty();
    }

    /** True if {@code address} is one of the configured servers. */
    public boolean isServer(Ipv4Address address) {
        return servers.contains(address);
    }

    /** The octets of the option 82 value the relay adds for {@code face}: circuit-id, then remote-id. */
    private static int agentOptionValueLength(RelayInterface face, Optional<Octets> remoteId) {
        return 2 + face.circuitId().length + remoteId.map(id -> 2 + id.length()).orElse(0);
    }

    private static void checkPort(String what, int port) {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("the " + what + " is 1-65535, not " + port);
        }
    }
}
