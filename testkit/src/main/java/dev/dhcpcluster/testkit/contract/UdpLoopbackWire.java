package dev.dhcpcluster.testkit.contract;

import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link DhcpTransportContract.Wire} over real UDP on loopback, for a transport that listens on
 * a UDP port: a plain JDK socket on a client address plays the client (or relay), sends to the
 * transport's address and port, and receives the unicast replies. The port is a free one that the
 * wire learns from the kernel when it is made, so parallel builds do not collide.
 */
public final class UdpLoopbackWire implements DhcpTransportContract.Wire {

    private final Ipv4Address server;
    private final int serverPort;
    private final Ipv4Address client;
    private final DatagramSocket socket;

    /**
     * A wire between a transport that will listen on {@code server} and a client socket on {@code
     * client}, both loopback addresses (127.0.0.0/8).
     *
     * @throws IOException if the client socket cannot be bound
     */
    public UdpLoopbackWire(Ipv4Address server, Ipv4Address client) throws IOException {
        this.server = Objects.requireNonNull(server, "server");
        this.client = Objects.requireNonNull(client, "client");
        this.serverPort = freePort(server);
        this.socket = new DatagramSocket(new InetSocketAddress(inet(client), 0));
    }

    /** The address the transport must listen on. */
    public Ipv4Address serverAddress() {
        return server;
    }

    /** The port the transport must listen on: free on {@link #serverAddress()} when the wire was made. */
    public int serverPort() {
        return serverPort;
    }

    /** The client socket's address, the source of what the wire injects. */
    public Ipv4Address clientAddress() {
        return client;
    }

    /** The client socket's port, the source port of what the wire injects. */
    public int clientPort() {
        return socket.getLocalPort();
    }

    @Override
    public void inject(byte[] payload) throws IOException {
        socket.send(new DatagramPacket(payload, payload.length, inet(server), serverPort));
    }

    @Override
    public Delivery replyDelivery() {
        return new Delivery.Unicast(client, socket.getLocalPort());
    }

    @Override
    public Optional<byte[]> nextSent(Duration timeout) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            socket.receive(packet);
        } catch (SocketTimeoutException e) {
            return Optional.empty();
        }
        return Optional.of(Arrays.copyOfRange(packet.getData(), packet.getOffset(),
                packet.getOffset() + packet.getLength()));
    }

    @Override
    public void close() {
        socket.close();
    }

    private static InetAddress inet(Ipv4Address address) {
        try {
            return InetAddress.getByAddress(address.toBytes());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static int freePort(Ipv4Address address) throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(inet(address), 0))) {
            return probe.getLocalPort();
        }
    }
}
