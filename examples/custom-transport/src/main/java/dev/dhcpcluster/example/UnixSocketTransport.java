package dev.dhcpcluster.example;

import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Optional;

/**
 * DHCP messages over a local Unix socket, as a controller's packet-in channel hands them over: the
 * transport dials the controller when it starts, and each message either way is a 4-byte length,
 * then the message. Replies all go back to the controller, whatever their delivery says: it owns the
 * network, and sends them on.
 */
final class UnixSocketTransport implements DhcpTransport {

    private final Path controller;
    private SocketChannel channel;
    private Thread receiver;

    UnixSocketTransport(Path controller) {
        this.controller = controller;
    }

    @Override
    public synchronized void start(DhcpHandler handler) throws IOException {
        if (channel != null) {
            throw new IllegalStateException("started twice");
        }
        channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(controller));
        SocketChannel connected = channel;
        receiver = new Thread(() -> receive(connected, handler), "unix-socket-transport");
        receiver.start();
    }

    private static void receive(SocketChannel from, DhcpHandler handler) {
        try (DataInputStream in = new DataInputStream(Channels.newInputStream(from))) {
            for (int length = in.readInt(); length > 0 && length <= 65_535; length = in.readInt()) {
                byte[] payload = new byte[length];
                in.readFully(payload);
                try {
                    handler.handle(new Datagram(payload, Ipv4Address.ZERO, 68, Ipv4Address.ZERO, Optional.empty()));
                } catch (RuntimeException bug) {
                    // The handler's failure is its own to report; receiving goes on.
                }
            }
        } catch (IOException closedOrGone) {
            // The controller hung up or sent a bad length, or the transport is closing.
        }
    }

    @Override
    public synchronized void send(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
        ByteBuffer frame = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
        try {
            while (channel != null && frame.hasRemaining()) {
                channel.write(frame);
            }
        } catch (IOException gone) {
            // The controller is gone: the reply is lost, as a datagram would be.
        }
    }

    @Override
    public String describe() {
        return "unix-socket " + controller;
    }

    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close();
                receiver.join();
            }
        } catch (IOException | InterruptedException stopping) {
            // Closing anyway: nothing is left to release.
        }
    }
}
