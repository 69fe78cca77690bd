package dev.dhcpcluster.bootstrap.e2e;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The JSON config file of a relay under test ({@code dhcpcluster relay --config FILE}), built from
 * what an end-to-end test varies: the client-facing interfaces, the servers, and for a
 * cluster-aware relay the {@code cluster} section. The UDP transport serves the one interface; the
 * admin endpoint listens on the loopback of the relay's namespace ({@link RelayProcess#ADMIN_LISTEN}).
 * The same values make the {@code relay} section of a node that runs the relay in its own process
 * ({@link #toNodeSection()}, {@link NodeConfigFile#withRelay}). Immutable; each {@code with...}
 * returns a changed copy.
 */
public final class RelayConfigFile {

    /**
     * One client-facing interface: its name, its address (empty: the interface's first IPv4
     * address), and whether option 82 arriving on it is trusted.
     */
    public record Interface(String name, Optional<String> address, boolean trusted) {

        /** Validates the address, if given, against the lab's block. */
        public Interface {
            Objects.requireNonNull(name, "name");
            address.ifPresent(LabAddresses::requireAddress);
        }
    }

    /** One server: its DHCP address and, for a cluster-aware relay, its node id and peer address. */
    public record Server(String address, OptionalInt node, Optional<String> peer) {

        /** Validates the addresses against the lab's block. */
        public Server {
            LabAddresses.requireAddress(address);
            peer.ifPresent(p -> LabAddresses.requireAddress(p.substring(0, p.indexOf(':'))));
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final List<Interface> interfaces;
    private final List<Server> servers;
    private final String remoteId;
    private final int maxHops;
    /** The cluster's name, or null for a plain relay. */
    private final String clusterName;
    private final Path secretFile;

    private RelayConfigFile(String name, List<Interface> interfaces, List<Server> servers, String remoteId, int maxHops,
            String clusterName, Path secretFile) {
        this.name = name;
        this.interfaces = List.copyOf(interfaces);
        this.servers = List.copyOf(servers);
        this.remoteId = remoteId;
        this.maxHops = maxHops;
        this.clusterName = clusterName;
        this.secretFile = secretFile;
    }

    /**
     * A plain relay, named {@code edge-1}, serving the untrusted interface {@code interfaceName} at
     * {@code interfaceAddress}, forwarding to {@code serverAddresses}, with remote-id
     * {@code edge-1} and at most 4 hops.
     */
    public static RelayConfigFile plain(String interfaceName, String interfaceAddress, List<String> serverAddresses) {
        List<Server> servers = new ArrayList<>();
        for (String address : serverAddresses) {
            servers.add(new Server(address, OptionalInt.empty(), Optional.empty()));
        }
        return new RelayConfigFile("edge-1", List.of(new Interface(interfaceName, Optional.of(interfaceAddress), false)),
                servers, "edge-1", 4, null, null);
    }

    /**
     * The plain relay of {@link #plain} for the three nodes of a {@link LabCluster}, each server
     * naming its node and peer address, so that {@link #asClusterAware} needs nothing more.
     */
    public static RelayConfigFile forLabCluster(String interfaceName, String interfaceAddress) {
        List<Server> servers = new ArrayList<>();
        for (int id : LabCluster.all()) {
            servers.add(new Server(LabCluster.address(id), OptionalInt.of(id), Optional.of(LabCluster.peerAddress(id))));
        }
        return new RelayConfigFile("edge-1", List.of(new Interface(interfaceName, Optional.of(interfaceAddress), false)),
                servers, "edge-1", 4, null, null);
    }

    /**
     * The relay section for a node of a {@link LabCluster} that runs it in its own process: the
     * relay of {@link #plain} for the three nodes, each server naming its node only (the node's
     * {@code cluster} section gives the peer addresses and the cluster the relay observes).
     */
    public static RelayConfigFile forNodeOfLabCluster(String interfaceName, String interfaceAddress) {
        List<Server> servers = new ArrayList<>();
        for (int id : LabCluster.all()) {
            servers.add(new Server(LabCluster.address(id), OptionalInt.of(id), Optional.empty()));
        }
        return new RelayConfigFile("edge-1", List.of(new Interface(interfaceName, Optional.of(interfaceAddress), false)),
                servers, "edge-1", 4, null, null);
    }

    /** Returns a copy that drops requests that have passed more than {@code hops} relays. */
    public RelayConfigFile withMaxHops(int hops) {
        return new RelayConfigFile(name, interfaces, servers, remoteId, hops, clusterName, secretFile);
    }

    /** The most relays a request may have passed. */
    public int maxHops() {
        return maxHops;
    }

    /** Returns a copy that observes the cluster {@code clusterName}, with the secret in {@code secretFile}. */
    public RelayConfigFile asClusterAware(String clusterName, Path secretFile) {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(secretFile, "secretFile");
        if (servers.stream().anyMatch(server -> server.node().isEmpty() || server.peer().isEmpty())) {
            throw new IllegalStateException("a cluster-aware relay names the node and peer address of every server");
        }
        return new RelayConfigFile(name, interfaces, servers, remoteId, maxHops, clusterName, secretFile);
    }

    /** Returns the config file text. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode relay = section();
        relay.putObject("transport").put("type", "udp");
        relay.putObject("admin").put("listen", RelayProcess.ADMIN_LISTEN);
        root.set("relay", relay);
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a relay config", e);
        }
    }

    /**
     * The {@code relay} section of a node file: no {@code transport} (the node's) and no
     * {@code admin} (the node's endpoint shows the relay); {@code cluster} only if this relay
     * observes one of its own, else the node's.
     */
    public ObjectNode toNodeSection() {
        return section();
    }

    /** What a relay file's and a node file's relay sections share. */
    private ObjectNode section() {
        ObjectNode relay = JSON.createObjectNode();
        relay.put("name", name);
        ArrayNode interfaceArray = relay.putArray("interfaces");
        for (Interface served : interfaces) {
            ObjectNode node = interfaceArray.addObject().put("name", served.name());
            served.address().ifPresent(address -> node.put("address", address));
            node.put("trusted", served.trusted());
        }
        relay.put("remote-id", remoteId);
        relay.put("max-hops", maxHops);
        ArrayNode serverArray = relay.putArray("servers");
        for (Server server : servers) {
            ObjectNode node = serverArray.addObject().put("address", server.address());
            server.node().ifPresent(id -> node.put("node", id));
            server.peer().ifPresent(peer -> node.put("peer", peer));
        }
        if (clusterName != null) {
            relay.putObject("cluster").put("name", clusterName).put("secret-file", secretFile.toString());
        }
        return relay;
    }
}
