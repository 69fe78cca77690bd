package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.adapter.tcppeer.TcpPeerTransport;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.e2e.Poll;
import dev.dhcpcluster.bootstrap.secret.ClusterSecret;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes on loopback and an observer played by the test: what each node tells an
 * observer about itself and the cluster.
 */
class ObserverViewTest {

    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Set<NodeId> ALL = Set.of(new NodeId(1), new NodeId(2), new NodeId(3));

    @TempDir
    Path data;
    private final Map<Integer, NodeComponent> nodes = new LinkedHashMap<>();
    private final Map<NodeId, PeerMessage.ObserverView> latest = new ConcurrentHashMap<>();
    private TcpPeerTransport observer;

    @AfterEach
    void stop() {
        if (observer != null) {
            observer.close();
        }
        nodes.values().forEach(node -> node.runtime().stop(START));
    }

    @Test
    @DisplayName("every node tells its observer the same leader and assignment, all 256 buckets held by live "
            + "members, the three members it hears and its timers")
    void nodesTellTheirObservers() throws Exception {
        Path secret = data.resolve("cluster.key");
        ClusterSecret.generate(secret, false);
        Map<Integer, Integer> ports = new TreeMap<>();
        for (int id = 1; id <= 3; id++) {
            ports.put(id, freePort());
        }
        for (int id = 1; id <= 3; id++) {
            NodeComponent node = NodeComponent.of(new ConfigLoader().parse(config(id, ports, secret), "node-" + id));
            nodes.put(id, node);
            node.runtime().start(START);
        }
        Map<NodeId, InetSocketAddress> addresses = new TreeMap<>();
        ports.forEach((id, port) -> addresses.put(new NodeId(id), new InetSocketAddress("127.0.0.1", port)));
        observer = TcpPeerTransport.observer(TcpPeerTransport.ObserverSettings.of("edge-1", "lab", addresses,
                ClusterSecret.read(secret)), ClusterEvents.NONE);
        observer.start(new PeerHandler() {
            @Override
            public void received(PeerMessage message) {
                latest.put(message.from(), (PeerMessage.ObserverView) message);
            }

            @Override
            public void connected(NodeId peer) {
            }

            @Override
            public void disconnected(NodeId peer) {
            }
        });

        Poll.until(SETTLE, "three nodes agreeing on a full assignment", () -> Optional.of(latest)
                .filter(views -> views.size() == 3 && agree(views)), latest::toString);

        PeerMessage.ObserverView any = latest.get(new NodeId(1));
        assertEquals(Optional.of(new NodeId(3)), any.leader(), "the highest id leads");
        assertTrue(any.epoch() >= 1);
        assertEquals(Duration.ofMillis(200), any.heartbeatInterval());
        assertEquals(Duration.ofMillis(1000), any.failureTimeout());
        assertTrue(new HashSet<>(any.buckets().values()).size() > 1, "the buckets are shared out: " + any.buckets());
    }

    /** Every view names the same leader and assignment, all 256 buckets held by the three live members. */
    private static boolean agree(Map<NodeId, PeerMessage.ObserverView> views) {
        List<PeerMessage.ObserverView> all = new ArrayList<>(views.values());
        PeerMessage.ObserverView first = all.get(0);
        return all.stream().allMatch(view -> view.leader().equals(first.leader()) && view.epoch() == first.epoch()
                && view.assignmentEpoch() == first.assignmentEpoch() && view.sequence() == first.sequence()
                && view.buckets().equals(first.buckets()) && view.live().equals(ALL))
                && first.buckets().size() == 256 && ALL.containsAll(first.buckets().values());
    }

    private String config(int id, Map<Integer, Integer> ports, Path secret) {
        List<String> peers = new ArrayList<>();
        ports.forEach((peer, port) -> {
            if (peer != id) {
                peers.add("{ \"id\": %d, \"address\": \"127.0.0.1:%d\" }".formatted(peer, port));
            }
        });
        return """
                {
                  "node": { "id": %d, "data-directory": "%s" },
                  "transport": { "type": "udp", "listen-address": "127.0.0.1", "listen-port": 0 },
                  "admin": { "listen": "127.0.0.1:0" },
                  "cluster": { "name": "lab", "listen": "127.0.0.1:%d", "secret-file": "%s",
                               "peers": [ %s ] },
                  "Dhcp4": { "subnet4": [ { "id": 1, "subnet": "198.18.0.0/16",
                                            "pools": [ { "pool": "198.18.1.0 - 198.18.4.255" } ] } ] }
                }
                """.formatted(id, data.resolve("node" + id), ports.get(id), secret, String.join(", ", peers));
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }
}
