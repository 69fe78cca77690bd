package dev.dhcpcluster.bootstrap.relay;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.e2e.Poll;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dhcpcluster.adapter.tcppeer.TcpPeerTransport;
import dev.dhcpcluster.bootstrap.runtime.ReloadOutcome;
import dev.dhcpcluster.bootstrap.secret.SecretException;
import dev.dhcpcluster.core.relay.ClusterPicture;
import dev.dhcpcluster.core.relay.ClusterWatch;
import dev.dhcpcluster.core.relay.NodeReport;
import dev.dhcpcluster.core.relay.RelayDropReason;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay's runtime on a recording transport and a virtual clock. */
class RelayRuntimeTest {

    private static final Ipv4Address GIADDR = Ipv4Address.parse("198.18.64.1");
    private static final Ipv4Address FIRST = Ipv4Address.parse("198.18.0.1");
    private static final Ipv4Address SECOND = Ipv4Address.parse("198.18.0.2");

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final AtomicReference<String> file = new AtomicReference<>();
    private final RecordingTransport transport = new RecordingTransport();
    private final RelayConfigReader reader = new RelayConfigReader(name -> Optional.empty());

    private static String relayFile(String servers) {
        return """
                {"relay": {"transport": {"type": "udp"}, "interfaces": [{"name": "eth1", "address": "198.18.64.1"}],
                           "servers": [%s]}}
                """.formatted(servers);
    }

    private RelayRuntime relay(String servers) throws Exception {
        file.set(relayFile(servers));
        RelayRuntime relay = new RelayRuntime(reader.parse(file.get(), "relay.json", Path.of("/etc")),
                Optional.of(() -> reader.parse(file.get(), "relay.json", Path.of("/etc"))), config -> transport, clock::get);
        relay.start();
        return relay;
    }

    private static Datagram reply(Ipv4Address from) {
        byte[] payload = DhcpCodec.encode(DhcpMessage.builder().op(DhcpMessage.BOOTREPLY).xid(7).giaddr(GIADDR)
                .yiaddr(Ipv4Address.parse("198.18.64.10")).flags(0x8000)
                .hardwareAddress(HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, 0, 1}))
                .options(DhcpOptions.builder().messageType(DhcpMessageType.OFFER).build()).build(),
                DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
        return new Datagram(payload, from, 67, GIADDR, Optional.of("eth1"));
    }

    private static Datagram discover() {
        byte[] payload = DhcpCodec.encode(DhcpMessage.builder().op(DhcpMessage.BOOTREQUEST).xid(7)
                .hardwareAddress(HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, 0, 1}))
                .options(DhcpOptions.builder().messageType(DhcpMessageType.DISCOVER).build()).build(),
                DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
        return new Datagram(payload, Ipv4Address.ZERO, 68, GIADDR, Optional.of("eth1"));
    }

    @Test
    @DisplayName("replies from a server a reload removed are accepted for 60 s after the reload, then dropped as spoofed")
    void removedServerGrace() throws Exception {
        try (RelayRuntime relay = relay("{\"address\": \"198.18.0.1\"}")) {
            file.set(relayFile("{\"address\": \"198.18.0.2\"}"));
            assertTrue(relay.reload().applied());

            relay.handle(discover());
            assertEquals(List.of(new Delivery.Unicast(SECOND, 67)), transport.sent.stream().map(RecordingTransport.Sent::delivery).toList(),
                    "requests go to the new server only");

            clock.addAndGet(Duration.ofSeconds(59).toNanos());
            relay.handle(reply(FIRST));
            relay.handle(reply(SECOND));
            assertEquals(2, relay.counters().returned(), "both servers' replies are returned within the grace");
            assertEquals(new Delivery.Broadcast(68), transport.sent.get(1).delivery());

            clock.addAndGet(Duration.ofSeconds(2).toNanos());
            relay.handle(reply(FIRST));
            relay.handle(reply(SECOND));
            assertEquals(3, relay.counters().returned());
            assertEquals(1, relay.counters().dropped(RelayDropReason.SPOOFED_REPLY), "after 60 s the old server is a stranger");
        }
    }

    @Test
    @DisplayName("a refused reload leaves the servers, the counters say so, and what needs a restart keeps its value")
    void refusedReload() throws Exception {
        try (RelayRuntime relay = relay("{\"address\": \"198.18.0.1\", \"node\": 1}")) {
            file.set(relayFile("{\"address\": \"198.18.0.1\", \"node\": -1}"));
            assertEquals(List.of("relay.servers[0].node: -1 is not a node id (1 or more, as in the node's node.id)"),
                    relay.reload().errors());
            assertEquals(Optional.of(new NodeId(1)), relay.config().servers().get(0).node());
            relay.handle(discover());
            assertEquals(List.of(new Delivery.Unicast(FIRST, 67)), transport.sent.stream().map(RecordingTransport.Sent::delivery).toList());
            assertEquals(1, relay.counters().reloads(false));
            assertEquals(0, relay.counters().reloads(true));
        }
    }

    @Test
    @DisplayName("a change of the file reloads the relay without a signal")
    void fileChangeReloads(@TempDir Path dir) throws Exception {
        Path path = dir.resolve("relay.json");
        Files.writeString(path, relayFile("{\"address\": \"198.18.0.1\"}"));
        RelayRuntime relay = new RelayRuntime(reader.load(path), Optional.of(() -> reader.load(path)), config -> transport,
                clock::get);
        relay.start();
        try (relay; RelayFileWatch watch = RelayFileWatch.start(path, relay, Duration.ofMillis(20))) {
            Files.writeString(path, relayFile("{\"address\": \"198.18.0.1\"}, {\"address\": \"198.18.0.2\"}"));
            Poll.until(Duration.ofSeconds(20), "the file watch to reload the changed file",
                    () -> relay.counters().reloads(true) > 0 ? Optional.of(true) : Optional.empty(),
                    () -> relay.config().settings().servers().toString());
            assertEquals(List.of(FIRST, SECOND), relay.config().settings().servers());
            assertEquals(1, relay.counters().reloads(true));
        }
    }

    private static Datagram discoverFrom(int last, int id) {
        byte[] payload = DhcpCodec.encode(DhcpMessage.builder().op(DhcpMessage.BOOTREQUEST).xid(id)
                .hardwareAddress(HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, 0, (byte) last}))
                .options(DhcpOptions.builder().messageType(DhcpMessageType.DISCOVER).build()).build(),
                DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
        return new Datagram(payload, Ipv4Address.ZERO, 68, GIADDR, Optional.of("eth1"));
    }

    private List<Ipv4Address> sentTo() {
        List<Ipv4Address> to = transport.sent.stream().map(sent -> ((Delivery.Unicast) sent.delivery()).address()).toList();
        transport.sent.clear();
        return to;
    }

    @Test
    @DisplayName("a client beyond its rate is throttled and counted as rate-limited; the others are not, and it gets "
            + "its rate back as time passes")
    void rateLimit() throws Exception {
        file.set("""
                {"relay": {"transport": {"type": "udp"}, "interfaces": [{"name": "eth1", "address": "198.18.64.1"}],
                           "servers": [{"address": "198.18.0.1"}],
                           "rate-limit": {"requests-per-second": 1, "burst": 2}}}
                """);
        try (RelayRuntime relay = new RelayRuntime(reader.parse(file.get(), "relay.json", Path.of("/etc")), Optional.empty(),
                config -> transport, clock::get)) {
            relay.start();
            for (int i = 0; i < 5; i++) {
                relay.handle(discoverFrom(1, 100 + i));
            }
            relay.handle(discoverFrom(2, 200));
            assertEquals(3, relay.counters().dropped(RelayDropReason.RATE_LIMITED));
            assertEquals(3, relay.counters().forwarded(), "two of the flooding client's, one of the other's");
            clock.addAndGet(Duration.ofSeconds(1).toNanos());
            relay.handle(discoverFrom(1, 300));
            assertEquals(4, relay.counters().forwarded(), "a second later the flooding client may send one more");
        }
    }

    @Test
    @DisplayName("with a cluster picture, a request goes to the node that owns its client's bucket; an override wins; "
            + "when the owner's connection drops, to every live node")
    void routesByThePicture() throws Exception {
        file.set("""
                {"relay": {"transport": {"type": "udp"}, "interfaces": [{"name": "eth1", "address": "198.18.64.1"}],
                           "servers": [{"address": "198.18.0.1", "node": 1, "peer": "198.18.0.1:6767"},
                                       {"address": "198.18.0.2", "node": 2, "peer": "198.18.0.2:6767"},
                                       {"address": "198.18.0.3", "node": 3, "peer": "198.18.0.3:6767"}],
                           "cluster": {"name": "lab", "secret-file": "cluster.key"},
                           "overrides": [{"mac": "02:00:00:00:00:09", "node": 3}]}}
                """);
        NodeId one = new NodeId(1);
        NodeId two = new NodeId(2);
        NodeId three = new NodeId(3);
        ClusterWatch watch = new ClusterWatch(Set.of(one, two, three));
        SortedMap<Integer, NodeId> buckets = new TreeMap<>();
        for (int bucket = 0; bucket < 256; bucket++) {
            buckets.put(bucket, two);
        }
        for (NodeId node : List.of(one, two, three)) {
            watch.reported(new NodeReport(node, 1, 1, buckets, Set.of(one, two, three), Duration.ofMillis(200),
                    Duration.ofSeconds(1)), clock.get());
        }
        try (RelayRuntime relay = new RelayRuntime(reader.parse(file.get(), "relay.json", Path.of("/etc")), Optional.empty(),
                config -> transport, clock::get, () -> watch.picture(clock.get()))) {
            relay.start();
            relay.handle(discoverFrom(1, 1));
            assertEquals(List.of(SECOND), sentTo(), "the owner alone");
            relay.handle(discoverFrom(9, 2));
            assertEquals(List.of(Ipv4Address.parse("198.18.0.3")), sentTo(), "the override");
            watch.disconnected(two, clock.get());
            relay.handle(discoverFrom(1, 3));
            assertEquals(List.of(FIRST, Ipv4Address.parse("198.18.0.3")), sentTo(), "the owner is dead: every live node");
            assertEquals(3, relay.counters().forwarded());
            ObjectNode status = RelayAdmin.status(relay);
            assertEquals("1.1", status.path("cluster").path("assignment").asText());
            assertEquals(false, status.path("servers").get(1).path("up").asBoolean());
            assertEquals(true, status.path("servers").get(0).path("up").asBoolean());
        }
    }

    /** A source whose picture is what its watch says now; it remembers being closed. */
    private final class FakeSource implements ClusterSource {
        final RelayConfig config;
        final ClusterWatch watch;
        boolean closed;

        FakeSource(RelayConfig config) {
            this.config = config;
            this.watch = new ClusterWatch(config.watched().orElseThrow().peers().keySet());
        }

        /** Every node reports {@code owner} holding every bucket. */
        void allOwnedBy(NodeId owner) {
            SortedMap<Integer, NodeId> buckets = new TreeMap<>();
            for (int bucket = 0; bucket < 256; bucket++) {
                buckets.put(bucket, owner);
            }
            Set<NodeId> nodes = config.watched().orElseThrow().peers().keySet();
            nodes.forEach(node -> watch.reported(new NodeReport(node, 1, 1, buckets, nodes, Duration.ofMillis(200),
                    Duration.ofSeconds(1)), clock.get()));
        }

        @Override
        public ClusterPicture get() {
            return watch.picture(clock.get());
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static String clusterFile(String secondPeer, String overrides) {
        return """
                {"relay": {"transport": {"type": "udp"}, "interfaces": [{"name": "eth1", "address": "198.18.64.1"}],
                           "servers": [{"address": "198.18.0.1", "node": 1, "peer": "198.18.0.1:6767"},
                                       {"address": "198.18.0.2", "node": 2, "peer": "%s"}],
                           "cluster": {"name": "lab", "secret-file": "cluster.key"},
                           "overrides": [%s]}}
                """.formatted(secondPeer, overrides);
    }

    @Test
    @DisplayName("a reload that moves a node's peer opens a new observer for the new set, routes by it at once "
            + "(every server until it hears the cluster) and closes the old one; a reload that leaves the nodes "
            + "alone keeps the observer; a new observer that cannot start refuses the reload")
    void reloadFollowsTheObservedNodes() throws Exception {
        NodeId one = new NodeId(1);
        NodeId two = new NodeId(2);
        file.set(clusterFile("198.18.0.2:6767", ""));
        RelayConfig first = reader.parse(file.get(), "relay.json", Path.of("/etc"));
        FakeSource initial = new FakeSource(first);
        initial.allOwnedBy(one);
        List<FakeSource> opened = new ArrayList<>();
        AtomicReference<SecretException> failure = new AtomicReference<>();
        ClusterSource.Factory sources = (config, name) -> {
            if (failure.get() != null) {
                throw failure.get();
            }
            FakeSource source = new FakeSource(config);
            opened.add(source);
            return source;
        };
        try (RelayRuntime relay = new RelayRuntime(first, Optional.of(() -> reader.parse(file.get(), "relay.json",
                Path.of("/etc"))), config -> transport, clock::get, initial, sources)) {
            relay.start();
            relay.handle(discoverFrom(1, 1));
            assertEquals(List.of(FIRST), sentTo(), "the owner alone");

            file.set(clusterFile("198.18.0.2:6767", "{\"mac\": \"02:00:00:00:00:09\", \"node\": 2}"));
            assertTrue(relay.reload().applied());
            assertEquals(List.of(), opened, "the same nodes: no new observer");
            assertFalse(initial.closed);
            relay.handle(discoverFrom(1, 2));
            assertEquals(List.of(FIRST), sentTo(), "still routed by the observer it had");

            file.set(clusterFile("198.18.0.2:6768", ""));
            ReloadOutcome moved = relay.reload();
            assertTrue(moved.applied(), moved.toString());
            assertTrue(moved.restartNeeded().isEmpty(), moved.toString());
            assertEquals(1, opened.size());
            assertEquals("198.18.0.2:6768", opened.get(0).config.watched().orElseThrow().peers().get(two));
            assertTrue(initial.closed, "the old observer is closed");
            assertTrue(moved.changes().stream().anyMatch(line -> line.startsWith("cluster: observes lab nodes")),
                    moved.changes().toString());
            relay.handle(discoverFrom(1, 3));
            assertEquals(List.of(FIRST, SECOND), sentTo(), "the new observer has heard nothing: every server");
            opened.get(0).allOwnedBy(two);
            relay.handle(discoverFrom(1, 4));
            assertEquals(List.of(SECOND), sentTo(), "routed by what the new observer hears");
            assertFalse(relay.picture().live().isEmpty());

            failure.set(new SecretException("cluster.key: does not exist", null));
            file.set(clusterFile("198.18.0.2:6769", ""));
            ReloadOutcome refused = relay.reload();
            assertFalse(refused.applied());
            assertEquals(List.of("relay.cluster.secret-file: cluster.key: does not exist"), refused.errors());
            assertFalse(opened.get(0).closed, "the observer in force stays");
            assertEquals("198.18.0.2:6768", relay.config().servers().get(1).peer().orElseThrow());
        }
        assertTrue(opened.get(0).closed, "closing the relay closes its observer");
    }

    @Test
    @DisplayName("the default observer name is relay-HOST-PID within 64 printable ASCII characters and the "
            + "handshake's 128 bytes: a long host name is cut, characters a host name cannot have are left out")
    void defaultNameFitsTheRules() {
        long pid = 4_194_304L;
        assertEquals("relay-edge-1.example.org-4194304", RelayRuntime.defaultName("edge-1.example.org", pid));
        String long_ = RelayRuntime.defaultName("h".repeat(300), Long.MAX_VALUE);
        assertEquals(64, long_.length());
        assertTrue(long_.startsWith("relay-hhh") && long_.endsWith("-" + Long.MAX_VALUE), long_);
        assertEquals("relay-rseau.lan-7", RelayRuntime.defaultName("r\u00e9seau .lan\u0000\u200b", 7));
        assertEquals("relay-localhost-7", RelayRuntime.defaultName("\u00e9\u00e9", 7));
        for (String host : List.of("x".repeat(1000), "\u00e9".repeat(100) + "a b", "", "host name\n")) {
            String name = RelayRuntime.defaultName(host, 123_456);
            assertTrue(name.length() <= RelayConfigReader.MAX_NAME_LENGTH, name);
            assertTrue(name.chars().allMatch(c -> c >= 0x21 && c <= 0x7e), name);
            // The transport's own rule accepts it, and so does the relay file's.
            TcpPeerTransport.ObserverSettings.of(name, "lab", java.util.Map.of(new NodeId(1),
                    new java.net.InetSocketAddress("127.0.0.1", 6767)), new byte[32]);
            RelayConfig named = assertDoesNotThrow(() -> reader.parse(relayFile("{\"address\": \"198.18.0.1\"}")
                    .replace("{\"relay\": {", "{\"relay\": {\"name\": \"" + name + "\", "), "relay.json",
                    Path.of("/etc")));
            assertEquals(Optional.of(name), named.name());
        }
    }
}
