package dev.dhcpcluster.bootstrap.relay;

import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.relay.RelayOverrides;
import dev.dhcpcluster.core.relay.RelayServer;
import dev.dhcpcluster.core.relay.RelaySettings;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A relay's config file, checked: what {@link RelayConfigReader} makes of the {@code relay}
 * section. Described field by field in {@code docs/configuration.md}.
 *
 * @param name the observer name the relay gives the cluster's nodes, if the file names one
 * @param transport how the relay meets its clients
 * @param settings the forwarding rules' settings: interfaces, remote-id, hops, servers, ports
 * @param servers the servers as the file lists them, in order, with their cluster identities
 * @param overrides clients pinned to one server
 * @param rateLimit the per-client limit, if any
 * @param cluster the cluster the servers form, if the relay watches it
 * @param admin where the admin HTTP endpoint listens, if anywhere
 */
public record RelayConfig(
        Optional<String> name,
        Transport transport,
        RelaySettings settings,
        List<Server> servers,
        Overrides overrides,
        Optional<RateLimit> rateLimit,
        Optional<Cluster> cluster,
        Optional<Listen> admin) {

    public RelayConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(settings, "settings");
        servers = List.copyOf(servers);
        Objects.requireNonNull(overrides, "overrides");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(admin, "admin");
    }

    /** The transport of one socket on one interface. */
    public static final String UDP = "udp";
    /** The transport of raw frames on several interfaces. */
    public static final String PCAP = "pcap";

    /**
     * {@code relay.transport}.
     *
     * @param type {@value RelayConfig#UDP} or {@value RelayConfig#PCAP}
     * @param listenAddress the address the socket binds: {@code 0.0.0.0} (the interface's
     *     broadcasts and unicasts) by default, or a unicast address (loopback tests); with pcap the
     *     socket that sends to the servers and hears their replies
     * @param listenPort where the relay hears clients and the servers' replies, by default 67
     */
    public record Transport(String type, Ipv4Address listenAddress, int listenPort) {
        public Transport {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(listenAddress, "listenAddress");
        }
    }

    /**
     * One server of {@code relay.servers}.
     *
     * @param address its DHCP address: requests go to its server port, its replies are accepted
     * @param node the cluster node it is, in a cluster
     * @param peer the node's peer address ({@code host:port}), which the relay dials as an observer
     */
    public record Server(Ipv4Address address, Optional<NodeId> node, Optional<String> peer) {
        public Server {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(peer, "peer");
        }
    }

    /**
     * {@code relay.overrides}: clients pinned to one server (by its address).
     *
     * @param byMac by the client's hardware address (chaddr)
     * @param byCircuitId by the circuit-id of the option 82 the request carries
     */
    public record Overrides(Map<HardwareAddress, Ipv4Address> byMac, Map<Octets, Ipv4Address> byCircuitId) {
        public Overrides {
            byMac = Map.copyOf(byMac);
            byCircuitId = Map.copyOf(byCircuitId);
        }

        /** No override. */
        public static Overrides none() {
            return new Overrides(Map.of(), Map.of());
        }
    }

    /**
     * {@code relay.rate-limit}: a token bucket per client hardware address.
     *
     * @param requestsPerSecond the rate the bucket refills at
     * @param burst the bucket's size
     * @param maxClients how many clients' buckets the relay keeps at most
     */
    public record RateLimit(double requestsPerSecond, int burst, int maxClients) {
    }

    /**
     * {@code relay.cluster}.
     *
     * @param name the cluster's name, as in its nodes' files
     * @param secretFile the cluster secret, absolute
     * @param tls the TLS stores of the observer's connections, if the nodes' peers use TLS
     */
    public record Cluster(String name, Path secretFile, Optional<Tls> tls) {
        public Cluster {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(secretFile, "secretFile");
            Objects.requireNonNull(tls, "tls");
        }

        /** A cluster whose peers talk plain TCP. */
        public Cluster(String name, Path secretFile) {
            this(name, secretFile, Optional.empty());
        }
    }

    /**
     * {@code relay.cluster.tls}: the node's four {@code cluster.tls} fields, each file absolute.
     *
     * @param keystore the relay's key and certificate, PKCS#12, which the nodes' truststores trust
     * @param keystorePasswordFile the file whose first line is the keystore's password
     * @param truststore the certificates the relay trusts (the nodes'), PKCS#12
     * @param truststorePasswordFile the file whose first line is the truststore's password
     */
    public record Tls(Path keystore, Path keystorePasswordFile, Path truststore, Path truststorePasswordFile) {
        public Tls {
            Objects.requireNonNull(keystore, "keystore");
            Objects.requireNonNull(keystorePasswordFile, "keystorePasswordFile");
            Objects.requireNonNull(truststore, "truststore");
            Objects.requireNonNull(truststorePasswordFile, "truststorePasswordFile");
        }
    }

    /**
     * What the relay's observer watches: the cluster and every node with its peer address. Two
     * configs with equal values watch alike, so a reload between them keeps the observer's
     * connections.
     *
     * @param cluster the cluster's name, secret file and TLS stores
     * @param peers each node's peer address ({@code host:port}), as the file writes it
     */
    public record Watched(Cluster cluster, Map<NodeId, String> peers) {
        public Watched {
            Objects.requireNonNull(cluster, "cluster");
            // In the file's order, so that the observer dials, and logs, the nodes as the file lists them.
            peers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(peers));
        }
    }

    /** What the relay's observer watches; empty for a relay without {@code relay.cluster}. */
    public Optional<Watched> watched() {
        return cluster.map(watched -> {
            Map<NodeId, String> peers = new LinkedHashMap<>();
            // The reader requires node and peer of every server with a cluster.
            servers.forEach(server -> peers.put(server.node().orElseThrow(), server.peer().orElseThrow()));
            return new Watched(watched, peers);
        });
    }

    /** An address and TCP port to listen on; port 0 picks a free one. */
    public record Listen(Ipv4Address address, int port) {
        public Listen {
            Objects.requireNonNull(address, "address");
        }

        @java.lang.Override
        public String toString() {
            return address + ":" + port;
        }
    }

    /** The servers as core's routing knows them, in the file's order. */
    public List<RelayServer> relayServers() {
        return servers.stream().map(server -> new RelayServer(server.address(), server.node())).toList();
    }

    /** The overrides as core's routing knows them: each pin to one of {@link #relayServers()}. */
    public RelayOverrides relayOverrides() {
        Map<Ipv4Address, RelayServer> byAddress = new LinkedHashMap<>();
        relayServers().forEach(server -> byAddress.put(server.address(), server));
        Map<HardwareAddress, RelayServer> byMac = new LinkedHashMap<>();
        overrides.byMac().forEach((mac, address) -> byMac.put(mac, byAddress.get(address)));
        Map<Octets, RelayServer> byCircuitId = new LinkedHashMap<>();
        overrides.byCircuitId().forEach((circuit, address) -> byCircuitId.put(circuit, byAddress.get(address)));
        return new RelayOverrides(byMac, byCircuitId);
    }

    /** The server at {@code address}, if it is one of the file's. */
    public Optional<Server> server(Ipv4Address address) {
        return servers.stream().filter(server -> server.address().equals(address)).findFirst();
    }

    /**
     * The fields that differ from {@code other} and apply only at a restart (everything but
     * {@code servers}, {@code overrides}, {@code rate-limit}, {@code remote-id}, {@code max-hops}
     * and {@code cluster}),
     * by JSON path; empty if {@code other} can replace this config live.
     */
    public List<String> restartNeededFor(RelayConfig other) {
        List<String> fields = new ArrayList<>();
        if (!name.equals(other.name)) {
            fields.add("relay.name");
        }
        if (!transport.equals(other.transport) || settings.serverPort() != other.settings.serverPort()
                || settings.clientPort() != other.settings.clientPort()) {
            fields.add("relay.transport");
        }
        if (!settings.interfaces().equals(other.settings.interfaces())) {
            fields.add("relay.interfaces");
        }
        if (settings.maxMessageLength() != other.settings.maxMessageLength()) {
            fields.add("relay.max-message-length");
        }
        if (!admin.equals(other.admin)) {
            fields.add("relay.admin");
        }
        return fields;
    }
}
