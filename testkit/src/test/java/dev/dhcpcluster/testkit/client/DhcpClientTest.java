package dev.dhcpcluster.testkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.config.Ipv4Prefix;
import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.testkit.ThreadScheduler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The client over real UDP on loopback, against a scripted responder that answers relays at giaddr. */
class DhcpClientTest {

    private static final Ipv4Address RELAY = Ipv4Address.parse("127.0.0.2");

    private final FakeServer script = new FakeServer();
    private DatagramChannel server;
    private Thread responder;
    private volatile int relayPort;
    private final ThreadScheduler loop = new ThreadScheduler("test-client");

    @BeforeEach
    void startResponder() throws IOException {
        server = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress("127.0.0.1", 0));
        responder = new Thread(this::respond, "test-responder");
        responder.start();
    }

    @AfterEach
    void stopResponder() throws Exception {
        server.close();
        responder.join();
        loop.close();
    }

    @Test
    void leasesOverUdpAnsweredAtTheRelayAddress() throws Exception {
        try (DhcpClient client = DhcpClient.open(new InetSocketAddress(RELAY.toString(), 0), loop, loop)) {
            relayPort = client.localPort();
            LoadSettings settings = new LoadSettings(40, 8, Duration.ofSeconds(1), 3, true, true,
                    Optional.of(Ipv4Prefix.parse("198.18.0.0/16")), 1, RELAY);

            ClientReport report = client.run(serverAddress(), settings, settings.longestRun());

            assertTrue(report.success(), String.join("\n", report.lines()));
            assertEquals(40, report.uniqueAddresses());
            assertEquals(40, report.renewed());
            assertEquals(40, report.released());
            assertEquals(0, client.malformedReplies());
        }
    }

    @Test
    void aDuplicateFromTheServerFailsTheRun() throws Exception {
        script.sameForEveryone = Optional.of(Ipv4Address.parse("198.18.1.1"));
        try (DhcpClient client = DhcpClient.open(new InetSocketAddress(RELAY.toString(), 0), loop, loop)) {
            relayPort = client.localPort();
            LoadSettings settings = new LoadSettings(2, 1, Duration.ofSeconds(1), 3, false, false, Optional.empty(), 1,
                    RELAY);

            ClientReport report = client.run(serverAddress(), settings, settings.longestRun());

            assertFalse(report.success());
            assertEquals(1, report.duplicates().size());
        }
    }

    @Test
    @DisplayName("with several servers, every relayed message goes to each of them, as a relay with several helper "
            + "addresses forwards it, and the observer sees every reply")
    void relayedMessagesGoToEveryServer() throws Exception {
        try (DhcpClient client = DhcpClient.open(new InetSocketAddress(RELAY.toString(), 0), loop, loop);
                DatagramChannel silent = DatagramChannel.open(StandardProtocolFamily.INET)
                        .bind(new InetSocketAddress("127.0.0.1", 0))) {
            relayPort = client.localPort();
            List<DhcpMessage> observed = new CopyOnWriteArrayList<>();
            client.observe(observed::add);
            LoadSettings settings = new LoadSettings(5, 5, Duration.ofSeconds(1), 3, false, false, Optional.empty(), 1,
                    RELAY);

            ClientReport report = client.run(List.of(serverAddress(), (InetSocketAddress) silent.getLocalAddress()),
                    settings, settings.longestRun(), ack -> { });

            assertTrue(report.success(), String.join("\n", report.lines()));
            silent.configureBlocking(false);
            List<DhcpMessageType> heard = new ArrayList<>();
            ByteBuffer buffer = ByteBuffer.allocate(DhcpCodec.MAX_DATAGRAM_LENGTH);
            while (silent.receive(buffer.clear()) != null) {
                heard.add(DhcpCodec.decode(Arrays.copyOf(buffer.array(), buffer.position())).messageType().orElseThrow());
            }
            // At least: a retransmission, on a busy machine, goes to both as well.
            assertTrue(heard.stream().filter(type -> type == DhcpMessageType.DISCOVER).count() >= 5, heard.toString());
            assertTrue(heard.stream().filter(type -> type == DhcpMessageType.REQUEST).count() >= 5, heard.toString());
            assertTrue(observed.size() >= 10, "5 offers and 5 acks at least: " + observed.size());
        }
    }

    private InetSocketAddress serverAddress() throws IOException {
        return (InetSocketAddress) server.getLocalAddress();
    }

    private void respond() {
        ByteBuffer buffer = ByteBuffer.allocate(DhcpCodec.MAX_DATAGRAM_LENGTH);
        while (server.isOpen()) {
            try {
                buffer.clear();
                server.receive(buffer);
                buffer.flip();
                DhcpMessage request = DhcpCodec.decode(Arrays.copyOf(buffer.array(), buffer.limit()));
                for (DhcpMessage reply : script.answer(request)) {
                    byte[] bytes = DhcpCodec.encode(reply, DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
                    server.send(ByteBuffer.wrap(bytes), new InetSocketAddress(request.giaddr().toString(), relayPort));
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (Exception e) {
                throw new AssertionError("responder failed", e);
            }
        }
    }
}
