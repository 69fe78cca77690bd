package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.adapter.tcppeer.TcpPeerTransport;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.e2e.Poll;
import dev.dhcpcluster.bootstrap.secret.ClusterSecret;
import dev.dhcpcluster.core.lease.LeaseQuery;
import dev.dhcpcluster.port.model.ClientKey;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.LeaseState;
import dev.dhcpcluster.port.model.LeaseVersion;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node (node 1 of a cluster of two) and a peer played by the test with the cluster's
 * secret, over TCP on loopback: what the node does with the leases a peer sends it.
 */
class ClusterPeerInputTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);

    @TempDir
    Path data;
    private NodeComponent node;
    private TcpPeerTransport peer;
    private final List<String> heard = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        if (peer != null) {
            peer.close();
        }
        if (node != null) {
            node.runtime().stop(TIMEOUT);
        }
    }

    private void start() throws Exception {
        Path secret = data.resolve("cluster.key");
        ClusterSecret.generate(secret, false);
        int nodePort = freePort();
        int peerPort = freePort();
        node = NodeComponent.of(new ConfigLoader().parse("""
                {
                  "node": { "id": 1, "data-directory": "%s" },
                  "transport": { "type": "udp", "listen-address": "127.0.0.1", "listen-port": 0 },
                  "admin": { "listen": "127.0.0.1:0" },
                  "cluster": { "name": "lab", "listen": "127.0.0.1:%d", "secret-file": "%s",
                               "peers": [ { "id": 2, "address": "127.0.0.1:%d" } ] },
                  "Dhcp4": { "subnet4": [ { "id": 1, "subnet": "198.18.0.0/16",
                                            "pools": [ { "pool": "198.18.1.0 - 198.18.4.255" } ] } ] }
                }
                """.formatted(data.resolve("node1"), nodePort, secret, peerPort), "node-1"));
        node.runtime().start(TIMEOUT);
        peer = new TcpPeerTransport(TcpPeerTransport.Settings.of(TWO, "lab",
                new InetSocketAddress("127.0.0.1", peerPort), Map.of(ONE, new InetSocketAddress("127.0.0.1", nodePort)),
                ClusterSecret.read(secret)), ClusterEvents.NONE);
        peer.start(new PeerHandler() {
            @Override
            public void received(PeerMessage message) {
                heard.add(message.getClass().getSimpleName());
            }

            @Override
            public void connected(NodeId other) {
                heard.add("connected");
            }

            @Override
            public void disconnected(NodeId other) {
                heard.add("disconnected");
            }
        });
        Poll.until(TIMEOUT, "the peer connects to node 1", () -> heard.contains("connected") ? Optional.of(true)
                : Optional.empty(), heard::toString);
    }

    private static Lease lease(String address, long counter) {
        HardwareAddress mac = HardwareAddress.parseEthernet("02:00:00:00:00:42");
        return new Lease(Ipv4Address.parse(address), ClientKey.ofHardware(mac), mac, Optional.empty(),
                LeaseState.BOUND, Instant.now().plus(Duration.ofHours(1)), new LeaseVersion(0, counter, TWO));
    }

    private List<Lease> leases() throws Exception {
        return node.runtime().node().leases(LeaseQuery.all(100)).leases();
    }

    @Test
    @DisplayName("a peer's lease outside every served subnet, or of a version from a future epoch, closes its connection and changes nothing; a good one is taken")
    void invalidLeasesDisconnectThePeer() throws Exception {
        start();

        peer.send(ONE, new PeerMessage.LeaseCommit(TWO, 0, lease("192.0.2.7", 1)));

        Poll.until(TIMEOUT, "node 1 closes the connection", () -> heard.contains("disconnected") ? Optional.of(true)
                : Optional.empty(), heard::toString);
        assertEquals(List.of(), leases(), "nothing was taken");
        assertEquals(1, invalidMessageRefusals());

        Poll.until(TIMEOUT, "the peer connects again", () -> heard.stream().filter("connected"::equals).count() == 2
                ? Optional.of(true) : Optional.empty(), heard::toString);
        Lease future = new Lease(Ipv4Address.parse("198.18.1.7"), lease("198.18.1.7", 1).clientKey(),
                lease("198.18.1.7", 1).hardwareAddress(), Optional.empty(), LeaseState.BOUND,
                Instant.now().plus(Duration.ofHours(1)), new LeaseVersion(1_000_000, 1, TWO));
        peer.send(ONE, new PeerMessage.LeaseCommit(TWO, 1_000_000, future));
        Poll.until(TIMEOUT, "node 1 closes the connection again", () -> heard.stream().filter("disconnected"::equals)
                .count() == 2 ? Optional.of(true) : Optional.empty(), heard::toString);
        assertEquals(List.of(), leases(), "nothing was taken");
        assertEquals(2, invalidMessageRefusals());

        Poll.until(TIMEOUT, "the peer connects a third time", () -> heard.stream().filter("connected"::equals)
                .count() == 3 ? Optional.of(true) : Optional.empty(), heard::toString);
        Lease good = lease("198.18.1.7", 1);
        peer.send(ONE, new PeerMessage.LeaseCommit(TWO, 0, good));
        Poll.until(TIMEOUT, "node 1 takes the good lease and acknowledges it", () -> heard.contains("LeaseAck")
                ? Optional.of(true) : Optional.empty(), heard::toString);
        assertEquals(List.of(good), leases());
        assertTrue(heard.stream().filter("disconnected"::equals).count() == 2, "no further disconnection");
    }

    /** {@code dhcpcluster_peer_refusals_total{reason="invalid_message"}}, read from /metrics. */
    private double invalidMessageRefusals() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.admin().port() + "/metrics")).timeout(TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher sample = Pattern.compile("(?m)^dhcpcluster_peer_refusals_total\\{reason=\"invalid_message\"\\} (\\S+)$")
                .matcher(response.body());
        assertTrue(sample.find(), response.body());
        return Double.parseDouble(sample.group(1));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }
}
