package dev.dhcpcluster.port.dhcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a {@link DhcpTransport} that listens on a UDP port must do beyond the generic transport
 * contract (the testkit's {@code DhcpTransportContract}, which assumes no socket and which every
 * transport also runs): report the sender's address and port, report the port it listens on, answer
 * from that port, survive a reply too large to send, and release the port on close. The UDP and the
 * pcap transports (whose routed socket listens on a port) run it.
 *
 * <p>Everything happens on loopback: the transport listens on {@link #SERVER} and a plain JDK
 * socket on {@link #CLIENT} plays the client (or relay). The port is a free one the test learns
 * from the kernel just before, so parallel builds do not collide.
 */
public abstract class AbstractUdpDhcpTransportTest {

    /** The loopback address the transport under test listens on. */
    protected static final Ipv4Address SERVER = Ipv4Address.parse("127.0.0.11");

    /** The loopback address the test's client socket uses. */
    protected static final Ipv4Address CLIENT = Ipv4Address.parse("127.0.0.12");

    private static final long TIMEOUT_MILLIS = 5_000;

    private final List<DhcpTransport> transports = new ArrayList<>();
    private DatagramSocket client;
    private int serverPort;

    /**
     * A transport, not yet started, that will listen on {@code bindAddress} at UDP {@code port}
     * and report {@code bindAddress} as the {@link Datagram#localAddress()} of what it receives.
     * The test closes it.
     */
    protected abstract DhcpTransport newTransport(Ipv4Address bindAddress, int port) throws Exception;

    @BeforeEach
    void openClientAndChoosePort() throws IOException {
        client = new DatagramSocket(new InetSocketAddress(inet(CLIENT), 0));
        client.setSoTimeout((int) TIMEOUT_MILLIS);
        serverPort = freePort(SERVER);
    }

    @AfterEach
    void closeEverything() {
        transports.forEach(DhcpTransport::close);
        client.close();
    }

    /** The port the transport under test listens on. */
    protected final int serverPort() {
        return serverPort;
    }

    /** Builds and starts a transport on {@link #SERVER} at {@link #serverPort()}. */
    protected final DhcpTransport started(DhcpHandler handler) throws Exception {
        DhcpTransport transport = create();
        transport.start(handler);
        return transport;
    }

    @Test
    void receivedDatagramReachesTheHandlerWithItsOrigin() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        started(handler);

        sendToServer(bytes("DISCOVER-1"));

        Datagram datagram = handler.next();
        assertArrayEquals(bytes("DISCOVER-1"), datagram.payload());
        assertEquals(CLIENT, datagram.source());
        assertEquals(client.getLocalPort(), datagram.sourcePort());
        assertEquals(SERVER, datagram.localAddress());
    }

    @Test
    void localPortIsThePortItReceivesOnOnceStarted() throws Exception {
        DhcpTransport transport = create();
        assertThrows(IllegalStateException.class, transport::localPort);

        transport.start(new RecordingHandler());

        assertEquals(java.util.OptionalInt.of(serverPort), transport.localPort());
    }

    @Test
    void unicastReplyReachesTheAddressAndPortFromTheServerPort() throws Exception {
        DhcpTransport transport = started(new RecordingHandler());

        transport.send(bytes("OFFER-1"), new Delivery.Unicast(CLIENT, client.getLocalPort()), Optional.empty());

        DatagramPacket received = receiveAtClient();
        assertArrayEquals(bytes("OFFER-1"), payloadOf(received));
        assertEquals(inet(SERVER), received.getAddress());
        assertEquals(serverPort, received.getPort(), "replies leave from the server's port");
    }

    @Test
    void failedSendIsNotThrownAndTheTransportGoesOn() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        DhcpTransport transport = started(handler);
        Delivery toClient = new Delivery.Unicast(CLIENT, client.getLocalPort());

        // Larger than any UDP payload can be: no transport can send it.
        assertDoesNotThrow(() -> transport.send(new byte[70_000], toClient, Optional.empty()));

        transport.send(bytes("ACK-1"), toClient, Optional.empty());
        assertArrayEquals(bytes("ACK-1"), payloadOf(receiveAtClient()));
        sendToServer(bytes("REQUEST-1"));
        assertArrayEquals(bytes("REQUEST-1"), handler.next().payload());
    }

    @Test
    void closeReleasesThePortAndStopsDelivery() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        DhcpTransport transport = started(handler);
        sendToServer(bytes("before"));
        handler.next();

        transport.close();
        int deliveredBeforeClose = handler.calls.get();

        // Binding the same address and port without address reuse succeeds only if the
        // transport's socket is gone; what is sent there now reaches the probe, not the handler.
        try (DatagramSocket probe = new DatagramSocket(null)) {
            probe.setReuseAddress(false);
            probe.bind(new InetSocketAddress(inet(SERVER), serverPort));
            probe.setSoTimeout((int) TIMEOUT_MILLIS);
            sendToServer(bytes("after-close"));
            DatagramPacket packet = new DatagramPacket(new byte[100], 100);
            probe.receive(packet);
            assertArrayEquals(bytes("after-close"), payloadOf(packet));
        }
        assertEquals(deliveredBeforeClose, handler.calls.get(), "no call reaches the handler after close()");
    }

    private DhcpTransport create() throws Exception {
        DhcpTransport transport = newTransport(SERVER, serverPort);
        transports.add(transport);
        return transport;
    }

    private void sendToServer(byte[] payload) throws IOException {
        client.send(new DatagramPacket(payload, payload.length, inet(SERVER), serverPort));
    }

    private DatagramPacket receiveAtClient() throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        try {
            client.receive(packet);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("nothing reached the client within " + TIMEOUT_MILLIS + " ms", e);
        }
        return packet;
    }

    private static byte[] payloadOf(DatagramPacket packet) {
        byte[] payload = new byte[packet.getLength()];
        System.arraycopy(packet.getData(), packet.getOffset(), payload, 0, packet.getLength());
        return payload;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The JDK form of an address, for the test's own sockets. */
    protected static InetAddress inet(Ipv4Address address) {
        try {
            return InetAddress.getByAddress(address.toBytes());
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A UDP port that is free on {@code address} at the time of the call. */
    protected static int freePort(Ipv4Address address) throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(inet(address), 0))) {
            return probe.getLocalPort();
        }
    }

    /** Collects what the transport delivers, and lets the test wait for it. */
    protected static final class RecordingHandler implements DhcpHandler {
        final BlockingQueue<Datagram> received = new LinkedBlockingQueue<>();
        final AtomicInteger calls = new AtomicInteger();

        /** A handler that has received nothing yet. */
        public RecordingHandler() {
        }

        @Override
        public void handle(Datagram datagram) {
            calls.incrementAndGet();
            received.add(datagram);
        }

        /** The next datagram delivered, waiting for it if need be. */
        public Datagram next() throws InterruptedException {
            Datagram datagram = received.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            assertNotNull(datagram, "nothing reached the handler within " + TIMEOUT_MILLIS + " ms");
            return datagram;
        }
    }
}
