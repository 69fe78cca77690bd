package dev.dhcpcluster.bootstrap.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.adapter.tcppeer.TcpPeerTransport;
import dev.dhcpcluster.bootstrap.e2e.Poll;
import dev.dhcpcluster.bootstrap.runtime.ReloadOutcome;
import dev.dhcpcluster.bootstrap.secret.ClusterSecret;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerRefusal;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import dev.dhcpcluster.port.telemetry.PeerEvents;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay's observer against real node transports on loopback: over TLS when the cluster's peers
 * use it, and following a reload to the nodes the file names now. The keystore is made for the
 * test by the JDK's keytool.
 */
class RelayObserverTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PASSWORD = "test-only";

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    /** What a node's transport reported refusing. */
    private static final class Refusals implements PeerEvents {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void peerRefused(PeerRefusal reason, String remote, String detail) {
            seen.add(reason + ": " + detail);
        }
    }

    private static final PeerHandler IGNORE = new PeerHandler() {
        @Override
        public void received(PeerMessage message) {
        }

        @Override
        public void connected(NodeId peer) {
        }

        @Override
        public void disconnected(NodeId peer) {
        }
    };

    /** A node's transport on a free loopback port, with no peer of its own. */
    private TcpPeerTransport node(int id, Optional<SSLContext> tls, PeerEvents events) throws Exception {
        TcpPeerTransport.Settings settings = TcpPeerTransport.Settings.of(new NodeId(id), "lab",
                new InetSocketAddress("127.0.0.1", 0), Map.of(), ClusterSecret.read(dir.resolve("cluster.key")));
        if (tls.isPresent()) {
            settings = settings.withTls(tls.get());
        }
        TcpPeerTransport transport = new TcpPeerTransport(settings, events);
        open.add(transport);
        transport.start(IGNORE);
        return transport;
    }

    private static String server(int id, TcpPeerTransport node) {
        return "{\"address\": \"198.18.0.%d\", \"node\": %d, \"peer\": \"127.0.0.1:%d\"}".formatted(id, id,
                node.localAddress().getPort());
    }

    private Path relayFile(String servers, String tls) throws Exception {
        Path file = dir.resolve("relay.json");
        Files.writeString(file, """
                {"relay": {"transport": {"type": "udp"}, "interfaces": [{"name": "eth1", "address": "198.18.64.1"}],
                           "servers": [%s],
                           "cluster": {"name": "lab", "secret-file": "cluster.key"%s}}}
                """.formatted(servers, tls));
        return file;
    }

    private static final String TLS = """
            , "tls": {"keystore": "keys/cluster.p12", "keystore-password-file": "keys/password",
                      "truststore": "keys/cluster.p12", "truststore-password-file": "keys/password"}""";

    @Test
    @DisplayName("a relay with relay.cluster.tls observes a node whose peers use TLS and hears its views; "
            + "a relay without it is refused by that node; a missing store is named by its field")
    void observesOverTls() throws Exception {
        ClusterSecret.generate(dir.resolve("cluster.key"), false);
        Path keys = Files.createDirectory(dir.resolve("keys"));
        Path store = keystore(keys.resolve("cluster.p12"));
        Path password = keys.resolve("password");
        Files.writeString(password, PASSWORD + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        SSLContext nodeTls = TcpPeerTransport.tlsContext("cluster.tls", store, password, store, password);
        Refusals refusals = new Refusals();
        TcpPeerTransport node = node(1, Optional.of(nodeTls), refusals);
        RelayConfigReader reader = new RelayConfigReader(name -> Optional.empty());

        RelayConfig withTls = reader.load(relayFile(server(1, node), TLS));
        assertEquals(store, withTls.cluster().orElseThrow().tls().orElseThrow().keystore());
        ClusterSource source = ClusterSource.of(withTls, "edge-1");
        open.add(source);
        Poll.until(WAIT, "the node accepts the relay as an observer", () -> Optional.of(node.observerCount())
                .filter(count -> count == 1), () -> "observers " + node.observerCount() + ", refusals " + refusals.seen);
        TreeMap<Integer, NodeId> buckets = new TreeMap<>();
        buckets.put(0, new NodeId(1));
        PeerMessage.ObserverView view = new PeerMessage.ObserverView(new NodeId(1), 1, Optional.of(new NodeId(1)), 1, 1,
                buckets, Set.of(new NodeId(1)), Duration.ofMillis(200), Duration.ofSeconds(5));
        Poll.until(WAIT, "the relay hears the node's view over TLS", () -> {
            node.sendToObservers(view);
            return Optional.of(source.get()).filter(picture -> picture.live().equals(Set.of(new NodeId(1))));
        }, () -> "picture live " + source.get().live());
        assertEquals(Optional.of(new NodeId(1)), source.get().ownerOf(0));
        assertTrue(refusals.seen.isEmpty(), refusals.seen.toString());

        ClusterSource plain = ClusterSource.of(reader.load(relayFile(server(1, node), "")), "edge-2");
        open.add(plain);
        Poll.until(WAIT, "the node refuses a relay dialing in plain TCP", () -> Optional.of(refusals.seen)
                .filter(seen -> !seen.isEmpty()), () -> "refusals " + refusals.seen);
        assertEquals(1, node.observerCount(), "only the TLS observer: " + refusals.seen);
        assertTrue(plain.get().live().isEmpty());

        Files.delete(store);
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ClusterSource.of(reader.load(relayFile(server(1, node), TLS)), "edge-3"));
        assertTrue(missing.getMessage().startsWith("relay.cluster.tls.keystore: " + store + ": does not exist"),
                missing.getMessage());
    }

    @Test
    @DisplayName("a reload that adds a node makes the relay observe it, through a new observer that still "
            + "observes the first node, and the old observer's connection closes")
    void reloadObservesTheNewNodes() throws Exception {
        ClusterSecret.generate(dir.resolve("cluster.key"), false);
        TcpPeerTransport one = node(1, Optional.empty(), ClusterEvents.NONE);
        TcpPeerTransport two = node(2, Optional.empty(), ClusterEvents.NONE);
        RelayConfigReader reader = new RelayConfigReader(name -> Optional.empty());
        Path file = relayFile(server(1, one), "");
        RelayConfig first = reader.load(file);
        RelayRuntime relay = new RelayRuntime(first, Optional.of(() -> reader.load(file)),
                config -> new RecordingTransport(), System::nanoTime, ClusterSource.of(first, "edge-1"),
                ClusterSource::of);
        open.add(relay);
        Poll.until(WAIT, "node 1 observed", () -> Optional.of(one.observerCount()).filter(count -> count == 1),
                () -> "observers of node 1: " + one.observerCount());
        assertEquals(0, two.observerCount());

        relayFile(server(1, one) + ", " + server(2, two), "");
        ReloadOutcome outcome = relay.reload();
        assertTrue(outcome.applied() && outcome.restartNeeded().isEmpty(), outcome.toString());
        Poll.until(WAIT, "node 2 observed", () -> Optional.of(two.observerCount()).filter(count -> count == 1),
                () -> "observers of node 2: " + two.observerCount());
        Poll.until(WAIT, "node 1 observed by the new observer alone", () -> Optional.of(one.observerCount())
                .filter(count -> count == 1), () -> "observers of node 1: " + one.observerCount());
        assertEquals(Set.of(new NodeId(1), new NodeId(2)), relay.config().watched().orElseThrow().peers().keySet()
                .stream().collect(Collectors.toSet()));
    }

    /** A PKCS#12 keystore with one new self-signed key pair, made by keytool. */
    private static Path keystore(Path file) throws Exception {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "cluster", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=cluster", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true)
                .start();
        String output;
        try (InputStream out = process.getInputStream()) {
            output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !Files.exists(file)) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        return file;
    }
}
