package dev.dhcpcluster.bootstrap.relay;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dhcpcluster.bootstrap.config.ClusterSettings;
import dev.dhcpcluster.bootstrap.config.CompanionSection;
import dev.dhcpcluster.bootstrap.config.ConfigError;
import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.core.relay.RelaySettings;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the {@code relay} section of a node file: the relay that runs in one process with the
 * node ({@code docs/configuration.md}, "The relay section of a node file"). The section has the
 * fields of a relay file's, read by the same {@link RelayConfigReader}, with the differences the
 * node makes:
 * <ul>
 *   <li>the node's transport must be pcap, and the relay shares it: {@code relay.transport} and
 *       {@code relay.admin} are refused, the relay's server port is the node's
 *       {@code transport.listen-port} and its client port the node's {@code transport.client-port};</li>
 *   <li>a relay interface must not be one of the node's {@code transport.interfaces};</li>
 *   <li>without {@code relay.cluster} the relay watches the node's own cluster, if it has one;</li>
 *   <li>a server that names its {@code node} may leave out {@code peer} when the node's cluster
 *       knows that id: this node's {@code cluster.listen} ({@code 0.0.0.0} read as
 *       {@code 127.0.0.1}), or a peer's {@code cluster.peers[].address}.</li>
 * </ul>
 * Relative paths are taken relative to the node's data directory, as in the node's
 * {@code cluster} section. Every problem names its JSON path in the node file.
 */
public final class NodeRelayReader implements CompanionSection {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The node file with its {@code relay} section; the node's loader reads the rest. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record NodeFileRelay(@JsonProperty("relay") JsonNode relay) {
    }

    private final Function<String, Optional<Ipv4Address>> interfaceAddresses;

    /** A reader that looks interfaces without an {@code address} up on this host. */
    public NodeRelayReader() {
        this(RelayConfigReader::firstIpv4Address);
    }

    /** A reader that finds an interface's first IPv4 address with {@code interfaceAddresses}. */
    NodeRelayReader(Function<String, Optional<Ipv4Address>> interfaceAddresses) {
        this.interfaceAddresses = Objects.requireNonNull(interfaceAddresses, "interfaceAddresses");
    }

    @Override
    public List<ConfigError> check(String json, Optional<NodeConfig> node) {
        List<ConfigError> problems = new ArrayList<>();
        resolve(json, node, "the node file", problems);
        return problems;
    }

    /**
     * The relay of the node file {@code json}, whose node's config is {@code node}.
     *
     * @param source where the text came from, for messages
     * @return empty if the file has no {@code relay} section
     * @throws ConfigException with every problem of the section, each naming its JSON path
     */
    public Optional<RelayConfig> read(String json, NodeConfig node, String source) throws ConfigException {
        List<ConfigError> problems = new ArrayList<>();
        Optional<RelayConfig> relay = resolve(json, Optional.of(node), source, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(source, problems);
        }
        return relay;
    }

    /**
     * Reads the relay section of the node file at {@code file}, whose node's config is {@code node}.
     *
     * @return empty if the file has no {@code relay} section
     * @throws ConfigException if the file cannot be read, or with every problem of the section
     */
    public Optional<RelayConfig> load(Path file, NodeConfig node) throws ConfigException {
        return read(ConfigLoader.text(file), node, file.toString());
    }

    private Optional<RelayConfig> resolve(String json, Optional<NodeConfig> node, String source,
            List<ConfigError> problems) {
        NodeFileRelay file;
        try {
            file = ConfigLoader.readStrictly(json, NodeFileRelay.class, source);
        } catch (ConfigException e) {
            // The node's loader reports what is wrong with the file as a whole.
            problems.addAll(e.errors());
            return Optional.empty();
        }
        if (file.relay() == null) {
            return Optional.empty();
        }
        if (!file.relay().isObject()) {
            problems.add(new ConfigError("relay", "is not an object; {\"interfaces\": [...], \"servers\": [...]}"));
            return Optional.empty();
        }
        ObjectNode relay = ((ObjectNode) file.relay()).deepCopy();
        if (relay.has("transport")) {
            problems.add(new ConfigError("relay.transport",
                    "a relay in one process with a node shares the node's transport; remove it"));
            relay.remove("transport");
        }
        if (relay.has("admin")) {
            problems.add(new ConfigError("relay.admin", "a relay in one process with a node has no admin endpoint "
                    + "of its own: the node's admin endpoint shows the relay; remove it"));
            relay.remove("admin");
        }
        ObjectNode transport = relay.putObject("transport").put("type", RelayConfig.PCAP);
        Path directory = node.map(NodeConfig::dataDirectory).orElse(Path.of("").toAbsolutePath());
        node.ifPresent(config -> fromNode(config, relay, transport, problems));
        ObjectNode whole = JSON.createObjectNode();
        whole.set("relay", relay);
        String text;
        try {
            text = JSON.writeValueAsString(whole);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree that cannot be written: " + e.getMessage(), e);
        }
        try {
            RelayConfig config = new RelayConfigReader(interfaceAddresses).parse(text, source, directory);
            return problems.isEmpty() ? Optional.of(config) : Optional.empty();
        } catch (ConfigException e) {
            e.errors().stream().filter(error -> !problems.contains(error)).forEach(problems::add);
            return Optional.empty();
        }
    }

    /** What the relay takes from its node: the transport's ports, the cluster, the servers' peers. */
    private static void fromNode(NodeConfig node, ObjectNode relay, ObjectNode transport, List<ConfigError> problems) {
        Map<String, Object> settings = node.transport().settings();
        int port = settings.get("listen-port") instanceof Number number ? number.intValue()
                : RelaySettings.DEFAULT_SERVER_PORT;
        if (!node.transport().type().equals(RelayConfig.PCAP)) {
            problems.add(new ConfigError("relay", "a relay in one process with a node needs the node's transport to "
                    + "be pcap (transport.type is \"" + node.transport().type() + "\"): the two share the node's "
                    + "port " + port + ", which only one socket can bind, and only a capture tells the client LAN's "
                    + "broadcasts from those of the node's own link"));
        }
        Object listenAddress = settings.get("listen-address");
        if (listenAddress instanceof String address) {
            transport.put("listen-address", address);
        }
        if (port == 0) {
            problems.add(new ConfigError("relay", "a relay in one process with a node needs the node's "
                    + "transport.listen-port to be a port, not 0: the relay forwards to it"));
        } else {
            transport.put("listen-port", port).put("server-port", port);
        }
        transport.put("client-port", node.server().clientPort());
        List<?> nodeInterfaces = settings.get("interfaces") instanceof List<?> list ? list : List.of();
        JsonNode interfaces = relay.path("interfaces");
        for (int i = 0; i < interfaces.size(); i++) {
            JsonNode name = interfaces.get(i).path("name");
            int taken = name.isTextual() ? nodeInterfaces.indexOf(name.asText()) : -1;
            if (taken >= 0) {
                problems.add(new ConfigError("relay.interfaces[" + i + "].name", "\"" + name.asText()
                        + "\" is the node's own, transport.interfaces[" + taken + "]; a relay interface is a client "
                        + "LAN that the node does not serve itself"));
            }
        }
        if (node.cluster().isEmpty()) {
            return;
        }
        ClusterSettings cluster = node.cluster().get();
        if (!relay.has("cluster")) {
            ObjectNode watched = relay.putObject("cluster").put("name", cluster.name())
                    .put("secret-file", cluster.secretFile().toString());
            if (cluster.transportSettings().get("tls") instanceof Map<?, ?> tls) {
                ObjectNode stores = watched.putObject("tls");
                for (String field : List.of("keystore", "keystore-password-file", "truststore",
                        "truststore-password-file")) {
                    if (tls.get(field) instanceof String path) {
                        stores.put(field, node.dataDirectory().resolve(path).normalize().toString());
                    }
                }
            }
        }
        JsonNode servers = relay.path("servers");
        for (JsonNode server : servers) {
            if (server instanceof ObjectNode entry && !entry.has("peer") && entry.path("node").isInt()
                    && entry.path("node").asInt() >= 1) {
                peerOf(node, cluster, new NodeId(entry.path("node").asInt()))
                        .ifPresent(peer -> entry.put("peer", peer));
            }
        }
    }

    /**
     * The peer address of node {@code id} as the node's cluster section has it: this node's
     * {@code cluster.listen} (a wildcard host read as loopback), or a peer's address.
     */
    private static Optional<String> peerOf(NodeConfig node, ClusterSettings cluster, NodeId id) {
        if (id.equals(node.node())) {
            if (!(cluster.transportSettings().get("listen") instanceof String listen)) {
                return Optional.empty();
            }
            int colon = listen.lastIndexOf(':');
            if (colon > 0 && listen.substring(0, colon).equals("0.0.0.0")) {
                return Optional.of("127.0.0.1" + listen.substring(colon));
            }
            return Optional.of(listen);
        }
        return Optional.ofNullable(cluster.peerAddresses().get(id));
    }
}
