package dev.dhcpcluster.bootstrap.runtime;

import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.secret.ClusterSecret;
import dev.dhcpcluster.port.model.NodeId;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Three real nodes of cluster {@code lab} in this process, on loopback: each with a UDP transport
 * on a port the system chose, an admin endpoint, a peer port and a pool in 198.18.0.0/16, sharing
 * one secret. For tests of what watches a cluster (observers, relays).
 */
public final class ThreeLoopbackNodes implements AutoCloseable {

    /** The cluster's name. */
    public static final String CLUSTER = "lab";
    private static final Duration START = Duration.ofSeconds(30);

    private final Path secret;
    private final Map<NodeId, InetSocketAddress> peers;
    private final Map<Integer, NodeComponent> nodes = new LinkedHashMap<>();

    private ThreeLoopbackNodes(Path secret, Map<NodeId, InetSocketAddress> peers) {
        this.secret = secret;
        this.peers = peers;
    }

    /** Makes a secret in {@code data}, then starts nodes 1, 2 and 3, their data directories under it. */
    public static ThreeLoopbackNodes start(Path data) throws Exception {
        Path secret = data.resolve("cluster.key");
        ClusterSecret.generate(secret, false);
        Map<Integer, Integer> ports = new TreeMap<>();
        for (int id = 1; id <= 3; id++) {
            ports.put(id, freePort());
        }
        Map<NodeId, InetSocketAddress> peers = new TreeMap<>();
        ports.forEach((id, port) -> peers.put(new NodeId(id), new InetSocketAddress("127.0.0.1", port)));
        ThreeLoopbackNodes cluster = new ThreeLoopbackNodes(secret, Map.copyOf(peers));
        try {
            for (int id = 1; id <= 3; id++) {
                NodeComponent node = NodeComponent.of(new ConfigLoader().parse(config(id, ports, secret, data),
                        "node-" + id));
                cluster.nodes.put(id, node);
                node.runtime().start(START);
            }
        } catch (Exception | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** Each node's peer address. */
    public Map<NodeId, InetSocketAddress> peers() {
        return peers;
    }

    /** The cluster's secret, read from its file. */
    public byte[] secret() throws Exception {
        return ClusterSecret.read(secret);
    }

    /** Node {@code id}, if it has not been stopped. */
    public NodeComponent node(int id) {
        NodeComponent node = nodes.get(id);
        if (node == null) {
            throw new IllegalStateException("node " + id + " is stopped");
        }
        return node;
    }

    /** Stops node {@code id}. */
    public void stop(int id) {
        NodeComponent node = nodes.remove(id);
        if (node != null) {
            node.runtime().stop(START);
        }
    }

    /** Stops every node still running. */
    @Override
    public void close() {
        nodes.values().forEach(node -> node.runtime().stop(START));
        nodes.clear();
    }

    private static String config(int id, Map<Integer, Integer> ports, Path secret, Path data) {
        List<String> others = new ArrayList<>();
        ports.forEach((peer, port) -> {
            if (peer != id) {
                others.add("{ \"id\": %d, \"address\": \"127.0.0.1:%d\" }".formatted(peer, port));
            }
        });
        return """
                {
                  "node": { "id": %d, "data-directory": "%s" },
                  "transport": { "type": "udp", "listen-address": "127.0.0.1", "listen-port": 0 },
                  "admin": { "listen": "127.0.0.1:0" },
                  "cluster": { "name": "%s", "listen": "127.0.0.1:%d", "secret-file": "%s",
                               "peers": [ %s ] },
                  "Dhcp4": { "subnet4": [ { "id": 1, "subnet": "198.18.0.0/16",
                                            "pools": [ { "pool": "198.18.1.0 - 198.18.4.255" } ] } ] }
                }
                """.formatted(id, data.resolve("node" + id), CLUSTER, ports.get(id), secret, String.join(", ", others));
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
