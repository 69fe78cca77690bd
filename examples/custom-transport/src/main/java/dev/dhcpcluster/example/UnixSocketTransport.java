package dev.dhcpcluster.example;

import dev.dhcpcluster.port.dhcp.ReceivingTransport;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Optional;

/**
 * DHCP messages over a local Unix socket, as a controller's packet-in channel hands them over: the
 * transport dials the controller when it starts, and each message either way is a 4-byte length,
 * then the message. Every reply goes back to the controller, whatever its delivery says: the
 * controller owns the network and sends it on. {@link ReceivingTransport} runs the receiving thread.
 */
final class UnixSocketTransport extends ReceivingTransport {

    private final Path controller;
    private SocketChannel channel;
    private DataInputStream in;

    UnixSocketTransport(Path controller) {
        this.controller = controller;
    }

    @Override
    protected void open() throws IOException {
        channel = SocketChannel.open(UnixDomainSocketAddress.of(controller));
        in = new DataInputStream(Channels.newInputStream(channel));
    }

    @Override
    protected Datagram receive() throws IOException {
        int length = in.readInt();
        if (length <= 0 || length > 65_535) {
            throw new IOException("the controller sent a message of " + length + " bytes");
        }
        // The controller stands for the relay: the message's giaddr says where the client is.
        return new Datagram(in.readNBytes(length), Ipv4Address.ZERO, 67, Ipv4Address.ZERO, Optional.empty());
    }

    @Override
    protected void release() throws IOException {
        channel.close();
    }

    @Override
    public synchronized void send(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
        try {
            channel.write(ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip());
        } catch (IOException gone) {
            // The controller is gone: the reply is lost, as a datagram would be.
        }
    }

    @Override
    public String describe() {
        return "unix-socket " + controller;
    }
}
