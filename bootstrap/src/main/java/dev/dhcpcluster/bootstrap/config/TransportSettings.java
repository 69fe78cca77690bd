package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.port.model.Ipv4Address;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code "transport"} section, resolved: which transport, and where it listens. The ports
 * replies go to are part of {@link dev.dhcpcluster.core.config.ServerConfig}, because the server
 * policy chooses them.
 *
 * @param type the transport's name, one of {@link AdapterNames#TRANSPORTS}
 * @param listenAddress the address the transport binds ({@code 0.0.0.0}: every address)
 * @param listenPort the UDP port it listens on; 0 picks a free port (for tests and the demo)
 * @param interfaceName the interface to serve, if restricted to one
 * @param interfaceNames the interfaces a transport serving several links serves (the {@code pcap}
 *     transport); empty for the others
 */
public record TransportSettings(String type, Ipv4Address listenAddress, int listenPort, Optional<String> interfaceName,
        List<String> interfaceNames) {

    public TransportSettings {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(interfaceName, "interfaceName");
        interfaceNames = List.copyOf(interfaceNames);
        if (listenPort < 0 || listenPort > 65535) {
            throw new IllegalArgumentException("listen port must be 0-65535, not " + listenPort);
        }
    }

    /** Settings for a transport that serves at most one interface. */
    public TransportSettings(String type, Ipv4Address listenAddress, int listenPort, Optional<String> interfaceName) {
        this(type, listenAddress, listenPort, interfaceName, List.of());
    }
}
