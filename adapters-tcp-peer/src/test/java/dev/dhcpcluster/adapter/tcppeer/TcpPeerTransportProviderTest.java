package dev.dhcpcluster.adapter.tcppeer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AbstractPeerTransportTest.RecordingPeerHandler;
import dev.dhcpcluster.port.peer.PeerTransport;
import dev.dhcpcluster.port.plugin.AdapterSettings;
import dev.dhcpcluster.port.plugin.NodeContext;
import dev.dhcpcluster.port.plugin.PeerMembership;
import dev.dhcpcluster.port.plugin.PeerTransportFactory;
import dev.dhcpcluster.port.plugin.PeerTransportProvider;
import dev.dhcpcluster.port.plugin.SettingsProblem;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import dev.dhcpcluster.port.time.Cancellable;
import dev.dhcpcluster.port.time.Scheduler;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The TCP transport as a node finds and configures it: through its provider and the cluster section's fields. */
class TcpPeerTransportProviderTest {

    private static final Path DATA = Path.of("/var/lib/dhcpcluster");
    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /** The transport's threads call nothing on the node's scheduler; a task given to it runs at once. */
    private static final Scheduler INLINE = new Scheduler() {
        @Override
        public void execute(Runnable task) {
            task.run();
        }

        @Override
        public Cancellable schedule(Duration delay, Runnable task) {
            throw new UnsupportedOperationException("the TCP transport keeps its own timers");
        }
    };

    private final TcpPeerTransportProvider provider = new TcpPeerTransportProvider();

    private static AdapterSettings settings(Map<String, ?> values) {
        return AdapterSettings.of("cluster", values, DATA);
    }

    private static List<String> problems(Map<String, ?> values) {
        AdapterSettings settings = settings(values);
        new TcpPeerTransportProvider().configure(settings);
        return settings.problems().stream().map(SettingsProblem::toString).toList();
    }

    private static NodeContext context(NodeId node) {
        return new NodeContext(node, DATA, () -> 0L, INLINE, ClusterEvents.NONE);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    @DisplayName("ServiceLoader finds the TCP transport under the type \"tcp\"")
    void registered() {
        List<String> types = ServiceLoader.load(PeerTransportProvider.class).stream()
                .map(ServiceLoader.Provider::get).map(PeerTransportProvider::type).toList();

        assertEquals(List.of("tcp"), types);
    }

    @Test
    @DisplayName("two transports the provider creates from the membership alone find and authenticate each other")
    void createdTransportsConnect() throws Exception {
        String one = "127.0.0.1:" + freePort();
        String two = "127.0.0.1:" + freePort();
        PeerTransportFactory first = provider.configure(settings(Map.of("listen", one)));
        PeerTransportFactory second = provider.configure(settings(Map.of("listen", two, "max-frame-bytes", 4096)));
        try (PeerTransport a = first.create(context(ONE), new PeerMembership("lab", ONE, Map.of(TWO, two), SECRET,
                Duration.ofMillis(50)));
                PeerTransport b = second.create(context(TWO), new PeerMembership("lab", TWO, Map.of(ONE, one), SECRET,
                        Duration.ofMillis(50)))) {
            a.start(new RecordingPeerHandler());
            b.start(new RecordingPeerHandler());

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!(a.connected().equals(Set.of(TWO)) && b.connected().equals(Set.of(ONE)))
                    && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(Set.of(TWO), a.connected());
            assertEquals(Set.of(ONE), b.connected());
            assertEquals(one, a.listenAddress().orElseThrow());
            assertEquals(TcpPeerTransportProvider.DEFAULT_MAX_FRAME_BYTES, a.maxMessageBytes());
            assertEquals(4096, b.maxMessageBytes());
        }
    }

    @Test
    @DisplayName("listen is required, and the limits are checked with the field's path")
    void problemsNamed() {
        assertEquals(List.of("cluster.listen: missing; the address:port this node listens on for its peers, like "
                + "\"198.18.0.1:6767\""), problems(Map.of()));
        assertEquals(List.of("cluster.listen: \"198.18.0.1:x\" has a port that is not a number"),
                problems(Map.of("listen", "198.18.0.1:x")));
        assertEquals(List.of("cluster.max-frame-bytes: 100 is not 1024 to 67108864 bytes"),
                problems(Map.of("listen", "198.18.0.1:6767", "max-frame-bytes", 100)));
        assertEquals(List.of("cluster.handshake-timeout-ms: must be an integer"),
                problems(Map.of("listen", "198.18.0.1:6767", "handshake-timeout-ms", "5")));
        assertEquals(List.of("cluster.tls.truststore-password-file: missing; the file holding the truststore's password"),
                problems(Map.of("listen", "198.18.0.1:6767", "tls", Map.of("keystore", "a.p12",
                        "keystore-password-file", "a.pass", "truststore", "t.p12"))));
    }

    @Test
    @DisplayName("a peer's address is address:port, spelled one way, and never this node's own listen address")
    void peerAddresses() {
        PeerTransportFactory factory = provider.configure(settings(Map.of("listen", "198.18.0.1:6767")));

        assertEquals("198.18.0.2:6767", factory.peerAddress("198.18.0.2:6767"));
        assertEquals("\"198.18.0.1:6767\" is this node's own cluster.listen",
                assertThrows(IllegalArgumentException.class, () -> factory.peerAddress("198.18.0.1:6767")).getMessage());
        assertEquals("\"198.18.0.2:0\" has port 0, not a TCP port (1-65535)",
                assertThrows(IllegalArgumentException.class, () -> factory.peerAddress("198.18.0.2:0")).getMessage());
        assertEquals("\"node2\" is not an IPv4 address (dotted quad, like 198.18.0.1)",
                assertThrows(IllegalArgumentException.class, () -> factory.peerAddress("node2:6767")).getMessage());
    }

    @Test
    @DisplayName("TLS files resolve in the data directory; the host check and the start name the field of a missing one")
    void tlsFilesChecked() {
        Map<String, Object> tls = new LinkedHashMap<>();
        tls.put("keystore", "node1.p12");
        tls.put("keystore-password-file", "node1.pass");
        tls.put("truststore", "/etc/dhcpcluster-absent/trust.p12");
        tls.put("truststore-password-file", "trust.pass");
        AdapterSettings settings = settings(Map.of("listen", "127.0.0.1:0", "tls", tls));
        PeerTransportFactory factory = provider.configure(settings);
        assertEquals(List.of(), settings.problems());

        assertEquals(List.of(new SettingsProblem("cluster.tls.keystore-password-file",
                DATA.resolve("node1.pass") + ": does not exist")), factory.checkHost());
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> factory.create(context(ONE),
                new PeerMembership("lab", ONE, Map.of(TWO, "127.0.0.1:6767"), SECRET, Duration.ofMillis(50))));
        assertEquals("cluster.tls.keystore-password-file: " + DATA.resolve("node1.pass") + ": does not exist",
                refused.getMessage());
    }
}
