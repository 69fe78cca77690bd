package dev.dhcpcluster.bootstrap.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.e2e.Poll;
import dev.dhcpcluster.bootstrap.metrics.PrometheusText.Exposition;
import dev.dhcpcluster.bootstrap.metrics.PrometheusText.Family;
import dev.dhcpcluster.bootstrap.runtime.NodeComponent;
import dev.dhcpcluster.bootstrap.runtime.NodeRuntime;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.testkit.client.ClientSession;
import dev.dhcpcluster.testkit.client.Reaction;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real node on loopback gets known DHCP traffic from a relay address, and its metrics, scraped
 * in the Prometheus text format and read by a strict parser of that format, count exactly that
 * traffic. The scrape is what Prometheus does: {@code GET /metrics} on the node's admin endpoint,
 * over HTTP, checked for its status and content type before it is parsed.
 */
class NodeMetricsScrapeTest {

    private static final Ipv4Address RELAY = Ipv4Address.parse("127.0.0.2");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(10);
    private static final String FIRST_POOL = "198.18.0.10-198.18.0.19";
    private static final String SECOND_POOL = "198.18.0.100-198.18.0.149";
    private static final String SUBNET = "198.18.0.0/24";
    private static final Path METRICS_DOC = Path.of("..", "docs", "metrics.md");

    @TempDir
    Path data;

    private DatagramSocket relay;
    private NodeComponent component;
    private NodeRuntime node;
    private InetSocketAddress server;
    private int xid = 0x4d455452;
    /** Where the metrics are read: the node's {@code /metrics} over HTTP. */
    private Supplier<String> scrape;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startNode() throws Exception {
        relay = new DatagramSocket(new InetSocketAddress(RELAY.toString(), 0));
        relay.setSoTimeout(5000);
        component = NodeComponent.of(config(relay.getLocalPort(), data));
        node = component.runtime();
        node.start(START_TIMEOUT);
        server = new InetSocketAddress("127.0.0.1", node.node().boundPort().getAsInt());
        URI metrics = URI.create("http://127.0.0.1:" + component.admin().port() + "/metrics");
        scrape = () -> get(metrics);
    }

    /** One scrape of {@code /metrics}, as Prometheus makes it. */
    private String get(URI metrics) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(metrics).timeout(START_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertEquals(200, response.statusCode(), response.body());
            String type = response.headers().firstValue("Content-Type").orElse("");
            assertTrue(type.startsWith("text/plain; version=0.0.4"), "content type " + type);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scraping " + metrics, e);
        }
    }

    @AfterEach
    void stopNode() {
        if (node != null) {
            node.stop(START_TIMEOUT);
        }
        if (relay != null) {
            relay.close();
        }
    }

    @Test
    @DisplayName("the scrape counts the DHCP traffic sent: messages by type, drops by reason, lease events, pool usage")
    void theScrapeCountsTheTrafficSent() throws Exception {
        List<ClientSession> clients = new ArrayList<>();
        List<Ipv4Address> addresses = new ArrayList<>();
        Ipv4Address serverIdentifier = null;
        for (int i = 0; i < 5; i++) {
            ClientSession client = new ClientSession(i, mac(i), RELAY, 0, Optional.empty());
            clients.add(client);
            DhcpMessage offer = exchange(client.discover(++xid));
            assertEquals(Optional.of(DhcpMessageType.OFFER), offer.messageType());
            serverIdentifier = offer.options().address(OptionCode.SERVER_IDENTIFIER).orElseThrow();
            if (i < 4) {
                DhcpMessage request = assertInstanceOf(Reaction.Send.class, client.onReply(offer)).message();
                Reaction bound = client.onReply(exchange(request));
                addresses.add(assertInstanceOf(Reaction.Bound.class, bound).address());
            }
        }
        send(clients.get(0).release(++xid));
        send(decline(1, addresses.get(1), serverIdentifier));
        send(new byte[10]);
        send(badCookie());
        send(optionPastTheEnd());

        Exposition metrics = settled(now -> now.value("dhcpcluster_dhcp_packets_received_total", "type", "release")
                == 1 && now.value("dhcpcluster_dhcp_packets_received_total", "type", "decline") == 1
                && now.value("dhcpcluster_dhcp_packets_dropped_total", "reason", "malformed") == 3
                && now.value("dhcpcluster_lease_store_commit_batch_size_sum") == 6
                // The two commit histograms are collected one after the other, in no fixed order.
                && now.value("dhcpcluster_lease_store_commit_batch_size_count")
                        == now.value("dhcpcluster_lease_store_commit_duration_seconds_count"));

        assertEquals(5, received(metrics, DhcpMessageType.DISCOVER));
        assertEquals(4, received(metrics, DhcpMessageType.REQUEST));
        assertEquals(0, received(metrics, DhcpMessageType.INFORM));
        assertEquals(5, sent(metrics, DhcpMessageType.OFFER));
        assertEquals(4, sent(metrics, DhcpMessageType.ACK));
        assertEquals(0, sent(metrics, DhcpMessageType.NAK));
        // Each counter lists the types that can happen: a client's types in, a server's out.
        assertEquals(Set.of("discover", "request", "decline", "release", "inform"),
                typeLabels(metrics, "dhcpcluster_dhcp_packets_received_total"));
        assertEquals(Set.of("offer", "ack", "nak"), typeLabels(metrics, "dhcpcluster_dhcp_packets_sent_total"));
        for (DropReason reason : DropReason.values()) {
            assertEquals(reason == DropReason.MALFORMED ? 3 : 0, metrics.value("dhcpcluster_dhcp_packets_dropped_total",
                    "reason", EventMetrics.label(reason)), reason.name());
        }
        assertEquals(4, metrics.value("dhcpcluster_leases_bound_total"));
        assertEquals(1, metrics.value("dhcpcluster_leases_released_total"));
        assertEquals(1, metrics.value("dhcpcluster_leases_declined_total"));
        assertEquals(0, metrics.value("dhcpcluster_pool_exhaustion_reports_total"));

        // Clients 2 and 3 hold their addresses, 4 has an offer, 1 declined; 0 gave its address back.
        assertPool(metrics, "dhcpcluster_pool", FIRST_POOL, 10, 6, 1, 2, 1);
        assertPool(metrics, "dhcpcluster_pool", SECOND_POOL, 50, 50, 0, 0, 0);
        assertPool(metrics, "dhcpcluster_subnet", null, 60, 56, 1, 2, 1);

        // Four bindings, a release and a decline: six changes made durable, in one commit or more.
        double commits = metrics.value("dhcpcluster_lease_store_commit_batch_size_count");
        assertTrue(commits >= 1 && commits <= 6, "commits: " + commits);
        assertEquals(6, metrics.value("dhcpcluster_lease_store_commit_batch_size_sum"));
        assertEquals(commits, metrics.value("dhcpcluster_lease_store_commit_duration_seconds_count"));
        assertTrue(metrics.value("dhcpcluster_lease_store_commit_duration_seconds_sum") > 0);
        assertEquals(commits, metrics.value("dhcpcluster_lease_store_commit_batch_size_bucket", "le", "+Inf"));
        assertEquals(0, metrics.value("dhcpcluster_lease_store_commit_failures_total"));
        assertEquals(0, metrics.value("dhcpcluster_lease_store_pending_changes"));

        assertTrue(metrics.value("dhcpcluster_event_loop_tasks_completed_total") >= 16, "every datagram ran on the loop");
        assertTrue(metrics.value("dhcpcluster_event_loop_queued_tasks") >= 0);
        assertTrue(metrics.value("dhcpcluster_event_loop_scheduled_timers") >= 1, "the held offer's timer is set");
        assertEquals(0, metrics.value("dhcpcluster_pool_usage_scrape_failures_total"));
        assertEquals(1, metrics.value("dhcpcluster_build_info", "version", BuildInfo.version()));
        assertTrue(metrics.family("jvm_memory_used_bytes").samples().size() > 0, "JVM metrics are there");
        assertTrue(metrics.value("process_cpu_seconds_total") > 0);
    }

    @Test
    @DisplayName("metric names follow the Prometheus conventions, and docs/metrics.md lists exactly the node's own")
    void metricNamesFollowTheConventions() throws Exception {
        // The parser refuses a name declared twice; the registry refuses to register one twice.
        Exposition metrics = PrometheusText.parse(scrape.get());

        Set<String> own = new TreeSet<>();
        for (Family family : metrics.families().values()) {
            String name = family.name();
            assertTrue(name.startsWith("dhcpcluster_") || name.startsWith("jvm_") || name.startsWith("process_"), name);
            assertFalse(family.type().equals("untyped"), name + " has no TYPE");
            assertEquals(family.type().equals("counter"), name.endsWith("_total"),
                    name + " is a " + family.type() + ": counters, and only counters, end in _total");
            if (name.startsWith("dhcpcluster_")) {
                own.add(name);
                assertTrue(name.matches("[a-z][a-z0-9_]*"), name + " is snake_case");
                assertFalse(name.matches(".*_(milliseconds|millis|ms|micros|nanoseconds|minutes|hours|kilobytes|"
                        + "megabytes|percent)(_.*|$)"), name + " is in base units");
                for (PrometheusText.Sample sample : family.samples()) {
                    for (String label : sample.labels().keySet()) {
                        assertTrue(label.matches("[a-z][a-z0-9_]*"), name + " label " + label + " is snake_case");
                    }
                }
            }
        }
        assertEquals(documented(), own, "docs/metrics.md lists every metric of the node, and no other");
    }

    @Test
    @DisplayName("each node has its own registry, apart from the client library's default one")
    void eachNodeHasItsOwnRegistry() throws Exception {
        NodeComponent other = NodeComponent.of(config(relay.getLocalPort(), data.resolve("other")));

        assertNotSame(component.metrics(), other.metrics());
        assertNotSame(PrometheusRegistry.defaultRegistry, component.metrics());
        assertTrue(component.metrics() == component.metrics(), "one registry per node");
        exchange(new ClientSession(1, mac(1), RELAY, 0, Optional.empty()).discover(++xid));
        Exposition otherMetrics = PrometheusText.parse(textFormat(other.metrics()));
        assertEquals(0, received(otherMetrics, DhcpMessageType.DISCOVER));
        assertFalse(otherMetrics.families().containsKey("dhcpcluster_pool_addresses"),
                "a node that is not running shows no pool usage");
        assertEquals(1, received(PrometheusText.parse(scrape.get()), DhcpMessageType.DISCOVER));
    }

    private void assertPool(Exposition metrics, String prefix, String pool, int size, int free, int offered, int bound,
            int declined) {
        String[] labels = pool == null ? new String[] {"subnet", SUBNET} : new String[] {"subnet", SUBNET, "pool", pool};
        String which = prefix + Arrays.toString(labels);
        assertEquals(size, metrics.value(prefix + "_addresses", labels), which + " size");
        assertEquals(free, metrics.value(prefix + "_free_addresses", labels), which + " free");
        assertEquals(offered, metrics.value(prefix + "_offered_addresses", labels), which + " offered");
        assertEquals(bound, metrics.value(prefix + "_bound_addresses", labels), which + " bound");
        assertEquals(declined, metrics.value(prefix + "_declined_addresses", labels), which + " declined");
    }

    private static double received(Exposition metrics, DhcpMessageType type) {
        return metrics.value("dhcpcluster_dhcp_packets_received_total", "type", EventMetrics.label(type));
    }

    private static Set<String> typeLabels(Exposition metrics, String name) {
        return metrics.family(name).samples().stream().map(sample -> sample.labels().get("type"))
                .collect(Collectors.toSet());
    }

    private static double sent(Exposition metrics, DhcpMessageType type) {
        return metrics.value("dhcpcluster_dhcp_packets_sent_total", "type", EventMetrics.label(type));
    }

    /** A condition on a scrape. */
    private interface Condition {
        boolean holds(Exposition scrape);
    }

    /**
     * Scrapes until {@code done} holds: a RELEASE, a DECLINE and a malformed datagram get no
     * answer, and the store reports its commit after it, so only the counts say they were handled.
     */
    private Exposition settled(Condition done) {
        return Poll.until(SETTLE_TIMEOUT, "the node to count the traffic", () -> {
            Exposition metrics = parse(scrape.get());
            return done.holds(metrics) ? Optional.of(metrics) : Optional.empty();
        }, scrape::get);
    }

    private static Exposition parse(String text) {
        try {
            return PrometheusText.parse(text);
        } catch (PrometheusText.MalformedException e) {
            throw new AssertionError("/metrics is not the Prometheus text format: " + e.getMessage(), e);
        }
    }

    private DhcpMessage exchange(DhcpMessage request) throws IOException {
        send(request);
        byte[] buffer = new byte[DhcpCodec.MAX_DATAGRAM_LENGTH];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        relay.receive(packet);
        try {
            return DhcpCodec.decode(Arrays.copyOf(buffer, packet.getLength()));
        } catch (Exception e) {
            throw new AssertionError("the node's reply does not decode", e);
        }
    }

    private void send(DhcpMessage message) throws IOException {
        send(DhcpCodec.encode(message, DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH));
    }

    private void send(byte[] datagram) throws IOException {
        relay.send(new DatagramPacket(datagram, datagram.length, server));
    }

    private DhcpMessage decline(int client, Ipv4Address address, Ipv4Address serverIdentifier) {
        DhcpOptions options = DhcpOptions.builder().messageType(DhcpMessageType.DECLINE)
                .address(OptionCode.REQUESTED_ADDRESS, address)
                .address(OptionCode.SERVER_IDENTIFIER, serverIdentifier)
                .build();
        return DhcpMessage.builder().op(DhcpMessage.BOOTREQUEST).xid(++xid).hops(1).giaddr(RELAY)
                .hardwareAddress(mac(client)).options(options).build();
    }

    /** A full-length BOOTREQUEST whose magic cookie is wrong. */
    private byte[] badCookie() {
        byte[] datagram = discoverBytes();
        datagram[DhcpCodec.HEADER_LENGTH] = 0x12;
        return datagram;
    }

    /** A DISCOVER whose first option claims more bytes than the datagram has. */
    private byte[] optionPastTheEnd() {
        byte[] whole = discoverBytes();
        byte[] datagram = Arrays.copyOf(whole, DhcpCodec.OPTIONS_OFFSET + 2);
        datagram[DhcpCodec.OPTIONS_OFFSET] = (byte) OptionCode.HOST_NAME;
        datagram[DhcpCodec.OPTIONS_OFFSET + 1] = (byte) 200;
        return datagram;
    }

    private byte[] discoverBytes() {
        return DhcpCodec.encode(new ClientSession(9, mac(9), RELAY, 0, Optional.empty()).discover(++xid),
                DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
    }

    private static HardwareAddress mac(int n) {
        return HardwareAddress.ethernet(new byte[] {2, 0, 0, 0x4d, 0, (byte) n});
    }

    /** The node's registry in the text format, as {@code /metrics} serves it. */
    static String textFormat(PrometheusRegistry registry) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The metric names docs/metrics.md lists for every node: the first column of its tables, in
     * backquotes, outside its cluster section (whose metrics only a node with a cluster shows).
     */
    private static Set<String> documented() throws IOException {
        return documented(false);
    }

    /**
     * The metric names docs/metrics.md lists: in its {@value #CLUSTER_SECTION} section if
     * {@code cluster}, else in every other section but the relay's ({@value #RELAY_SECTION}: a relay
     * is a process of its own, not part of a node).
     */
    static Set<String> documented(boolean cluster) throws IOException {
        Set<String> names = new TreeSet<>();
        String text = Files.readString(METRICS_DOC);
        assertTrue(text.contains("\n" + CLUSTER_SECTION + "\n"), "docs/metrics.md has a section " + CLUSTER_SECTION);
        for (String section : text.split("\n(?=## )")) {
            boolean isCluster = section.startsWith(CLUSTER_SECTION + "\n");
            if (section.startsWith(RELAY_SECTION + "\n") || isCluster != cluster) {
                continue;
            }
            Matcher row = Pattern.compile("(?m)^\\| `(dhcpcluster_[a-z0-9_]+)`").matcher(section);
            while (row.find()) {
                names.add(row.group(1));
            }
        }
        return names;
    }

    /** The heading of the relay's metrics in docs/metrics.md. */
    static final String RELAY_SECTION = "## Relay";

    /** The heading of the cluster's metrics in docs/metrics.md. */
    static final String CLUSTER_SECTION = "## Cluster";

    private static NodeConfig config(int relayPort, Path dataDirectory) throws Exception {
        String json = """
                {
                  "node": { "id": 1, "data-directory": "%s" },
                  "transport": { "type": "udp", "listen-address": "127.0.0.1", "listen-port": 0, "relay-port": %d },
                  "lease-store": { "type": "sqlite" },
                  "admin": { "listen": "127.0.0.1:0" },
                  "Dhcp4": {
                    "offer-lifetime": 60,
                    "valid-lifetime": 3600,
                    "subnet4": [
                      {
                        "id": 1,
                        "subnet": "198.18.0.0/24",
                        "pools": [ { "pool": "198.18.0.10 - 198.18.0.19" }, { "pool": "198.18.0.100 - 198.18.0.149" } ],
                        "option-data": [ { "name": "routers", "data": "198.18.0.1" } ],
                        "relay": { "ip-addresses": [ "127.0.0.2" ] }
                      }
                    ]
                  }
                }
                """.formatted(dataDirectory.toString().replace("\\", "\\\\"), relayPort);
        return new ConfigLoader().parse(json, "metrics-test");
    }
}
