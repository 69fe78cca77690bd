package dev.dhcpcluster.bootstrap.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.bootstrap.cli.DhcpclusterCommand;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.bootstrap.runtime.NodeComponent;
import dev.dhcpcluster.bootstrap.runtime.NodeRuntime;
import dev.dhcpcluster.bootstrap.runtime.ReloadOutcome;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.core.dhcp.OptionCode;
import dev.dhcpcluster.core.relay.RelaySettings;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real relay and a real node on loopback: a client on {@code 127.0.0.3} sends its requests as a
 * client on the relay's link would (giaddr zero, hops zero) to the relay on {@code 127.0.0.2},
 * which forwards them to the node on {@code 127.0.0.1} and returns the node's replies. The client's
 * link is its socket ({@link LoopbackClientLink}).
 */
class RelayLoopbackTest {

    private static final Ipv4Address RELAY = Ipv4Address.parse("127.0.0.2");
    private static final Ipv4Address CLIENT = Ipv4Address.parse("127.0.0.3");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final int ANSWER_MILLIS = 3000;

    @TempDir
    Path dir;

    private DatagramSocket client;
    private NodeRuntime node;
    private RelayRuntime relay;
    private RelayAdmin admin;
    private int relayPort;
    private Path relayFile;
    private int xid = 0x7000;

    @BeforeEach
    void start() throws Exception {
        client = new DatagramSocket(new InetSocketAddress(CLIENT.toString(), 0));
        client.setSoTimeout(ANSWER_MILLIS);
        relayPort = freePort(RELAY);
        Path nodeFile = dir.resolve("node.json");
        Files.writeString(nodeFile, """
                {"node": {"id": 1, "data-directory": "%s"},
                 "transport": {"type": "udp", "listen-address": "127.0.0.1", "listen-port": 0, "relay-port": %d},
                 "lease-store": {"type": "memory"},
                 "admin": {"enabled": false},
                 "Dhcp4": {"subnet4": [{"subnet": "198.18.0.0/16", "pools": [{"pool": "198.18.1.1 - 198.18.1.50"}],
                                        "relay": {"ip-addresses": ["127.0.0.2"]}}]}}
                """.formatted(dir.resolve("data"), relayPort));
        node = NodeComponent.of(new ConfigLoader().load(nodeFile)).runtime();
        node.start(TIMEOUT);
    }

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (node != null) {
            node.stop(TIMEOUT);
        }
        if (client != null) {
            client.close();
        }
    }

    private int nodePort() {
        return node.node().boundPort().getAsInt();
    }

    /** The relay's file, forwarding to {@code servers} (a JSON array's content). */
    private void writeRelayFile(String servers, String more) throws IOException {
        relayFile = dir.resolve("relay.json");
        Files.writeString(relayFile, """
                // the relay on loopback: the client's link is 127.0.0.2
                {"relay": {
                  "transport": {"type": "udp", "listen-address": "127.0.0.2", "listen-port": %d,
                                "server-port": %d, "client-port": %d},
                  "interfaces": [{"name": "lo", "address": "127.0.0.2"}],
                  "servers": [%s]%s,
                  "admin": {"listen": "127.0.0.1:0"}}}
                """.formatted(relayPort, nodePort(), client.getLocalPort(), servers, more));
    }

    private void startRelay() throws Exception {
        RelayConfigReader reader = new RelayConfigReader();
        relay = new RelayRuntime(reader.load(relayFile), Optional.of(() -> reader.load(relayFile)),
                config -> new LoopbackClientLink(RelayTransports.udp(config), CLIENT), System::nanoTime);
        relay.start();
        admin = RelayAdmin.start(relay, relay.config().admin().orElseThrow());
    }

    @Test
    @DisplayName("a DISCOVER and a REQUEST go through the relay and the OFFER and ACK come back; garbage and a "
            + "spoofed reply are dropped and counted, and the next client still gets its lease")
    void relaysAndDropsWhatItMust() throws Exception {
        writeRelayFile("{\"address\": \"127.0.0.1\"}", "");
        startRelay();

        DhcpMessage ack = lease(mac(1));
        assertTrue(ack.yiaddr().toString().startsWith("198.18.1."), ack.toString());

        // Garbage, then a BOOTREPLY from the client's address, which is no server of the relay's.
        send(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        send(DhcpCodec.encode(DhcpMessage.builder().op(DhcpMessage.BOOTREPLY).xid(0x666).giaddr(RELAY)
                .yiaddr(Ipv4Address.parse("198.18.9.9")).hardwareAddress(mac(9))
                .options(DhcpOptions.builder().messageType(DhcpMessageType.ACK).build()).build(),
                DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH));
        assertTrue(receive(0x666).isEmpty(), "the spoofed ACK reached the client");

        DhcpMessage second = lease(mac(2));
        assertFalse(second.yiaddr().equals(ack.yiaddr()), "two clients, two addresses");

        String metrics = get("/metrics");
        assertEquals(1.0, sample(metrics, "dhcpcluster_relay_dropped_total{reason=\"malformed\"}"), metrics);
        assertEquals(1.0, sample(metrics, "dhcpcluster_relay_dropped_total{reason=\"spoofed-reply\"}"), metrics);
        assertEquals(4.0, sample(metrics, "dhcpcluster_relay_forwarded_total"), metrics);
        assertEquals(4.0, sample(metrics, "dhcpcluster_relay_returned_total"), metrics);
        assertEquals(4.0, sample(metrics, "dhcpcluster_relay_sent_total{server=\"127.0.0.1\"}"), metrics);
        assertEquals(4.0, sample(metrics, "dhcpcluster_relay_agent_information_total{outcome=\"added\"}"), metrics);
        String status = get("/status");
        assertTrue(status.contains("\"role\" : \"relay\""), status);
        assertTrue(status.contains("\"spoofed-reply\" : 1"), status);
        assertEquals("ok\n", get("/healthz"));

        // The operator's command reads the relay's status as it reads a node's.
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, DhcpclusterCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("status", "--admin", "127.0.0.1:" + admin.port()), err.toString());
        List<String> table = out.toString().lines().toList();
        assertTrue(table.contains("interface  lo 127.0.0.2"), out.toString());
        assertTrue(table.contains("server     127.0.0.1       sent 4"), out.toString());
        assertTrue(table.contains("traffic    forwarded 4, returned 4; dropped 1 malformed, 1 spoofed-reply"),
                out.toString());
    }

    @Test
    @DisplayName("a reload that changes the servers applies without a restart; a refused one keeps the old settings")
    void reloadsServers() throws Exception {
        // Nothing listens on 127.0.0.4: the client goes unanswered.
        writeRelayFile("{\"address\": \"127.0.0.4\"}", "");
        startRelay();
        send(discover(mac(1)));
        assertTrue(receive(xid).isEmpty(), "an answer came from a server that does not exist");
        assertEquals(1, relay.counters().sent(Ipv4Address.parse("127.0.0.4")));

        writeRelayFile("{\"address\": \"127.0.0.1\"}", ", \"max-message-length\": 1000");
        ReloadOutcome applied = relay.reload();
        assertTrue(applied.applied(), applied.lines().toString());
        assertEquals(List.of("relay.max-message-length"), applied.restartNeeded());
        assertEquals(RelaySettings.DEFAULT_MAX_MESSAGE_LENGTH, relay.config().settings().maxMessageLength(),
                "a field that needs a restart keeps its value");
        lease(mac(2));

        writeRelayFile("{\"address\": \"not-an-address\"}, {\"address\": \"127.0.0.1\", \"node\": 0}", "");
        ReloadOutcome refused = relay.reload();
        assertFalse(refused.applied());
        assertEquals(List.of(
                "relay.servers[0].address: \"not-an-address\" is not an IPv4 address (dotted quad, like 198.18.0.1)",
                "relay.servers[1].node: 0 is not a node id (1 or more, as in the node's node.id)"), refused.errors());
        lease(mac(3));

        String metrics = get("/metrics");
        assertEquals(1.0, sample(metrics, "dhcpcluster_relay_config_reloads_total{outcome=\"applied\"}"), metrics);
        assertEquals(1.0, sample(metrics, "dhcpcluster_relay_config_reloads_total{outcome=\"refused\"}"), metrics);
    }

    /** DISCOVER, OFFER, REQUEST, ACK through the relay; the ACK. */
    private DhcpMessage lease(HardwareAddress mac) throws Exception {
        send(discover(mac));
        DhcpMessage offer = receive(xid).orElseThrow(() -> new AssertionError("no OFFER for " + mac));
        assertEquals(Optional.of(DhcpMessageType.OFFER), offer.messageType());
        assertFalse(offer.options().contains(OptionCode.RELAY_AGENT_INFORMATION), "the relay removes its option 82");
        Ipv4Address server = offer.options().address(OptionCode.SERVER_IDENTIFIER).orElseThrow();
        send(DhcpCodec.encode(request(mac, DhcpOptions.builder().messageType(DhcpMessageType.REQUEST)
                .address(OptionCode.REQUESTED_ADDRESS, offer.yiaddr())
                .address(OptionCode.SERVER_IDENTIFIER, server).build()), DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH));
        DhcpMessage ack = receive(xid).orElseThrow(() -> new AssertionError("no ACK for " + mac));
        assertEquals(Optional.of(DhcpMessageType.ACK), ack.messageType());
        assertEquals(offer.yiaddr(), ack.yiaddr());
        return ack;
    }

    private byte[] discover(HardwareAddress mac) {
        xid++;
        return DhcpCodec.encode(request(mac, DhcpOptions.builder().messageType(DhcpMessageType.DISCOVER).build()),
                DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
    }

    /** A request as a client on the relay's link sends it: giaddr zero, hops zero. */
    private DhcpMessage request(HardwareAddress mac, DhcpOptions options) {
        return DhcpMessage.builder().op(DhcpMessage.BOOTREQUEST).xid(xid).hardwareAddress(mac).options(options).build();
    }

    private static HardwareAddress mac(int last) {
        return HardwareAddress.ethernet(new byte[] {2, 0, 0, 0, 0, (byte) last});
    }

    private void send(byte[] payload) throws IOException {
        client.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(RELAY.toString(), relayPort)));
    }

    /** The next message of transaction {@code id} the client receives, or empty after the timeout. */
    private Optional<DhcpMessage> receive(int id) throws Exception {
        byte[] buffer = new byte[DhcpCodec.MAX_DATAGRAM_LENGTH];
        long deadline = System.nanoTime() + ANSWER_MILLIS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                client.receive(packet);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            }
            DhcpMessage message = DhcpCodec.decode(Arrays.copyOf(packet.getData(), packet.getLength()));
            if (message.xid() == id) {
                return Optional.of(message);
            }
        }
        return Optional.empty();
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(admin.url() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    /** The value of the sample written exactly {@code series} in the exposition. */
    private static double sample(String exposition, String series) {
        return exposition.lines().filter(line -> line.startsWith(series + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1).strip()))
                .findFirst().orElseThrow(() -> new AssertionError("no sample " + series));
    }

    private static int freePort(Ipv4Address address) throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(address.toString(), 0))) {
            return probe.getLocalPort();
        }
    }
}
