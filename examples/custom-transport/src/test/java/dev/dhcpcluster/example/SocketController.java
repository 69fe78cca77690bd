package dev.dhcpcluster.example;

import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.testkit.contract.DhcpTransportContract;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The controller at the other end of the Unix socket: it listens, takes the transport's
 * connection, sends requests as framed messages and collects the framed replies.
 */
final class SocketController implements DhcpTransportContract.Wire {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

    private final Path path;
    private final ServerSocketChannel server;
    private final CompletableFuture<SocketChannel> connection = new CompletableFuture<>();
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();

    /** A controller listening at {@code path}, until closed. */
    SocketController(Path path) throws IOException {
        this.path = path;
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path));
        Thread acceptor = new Thread(this::acceptAndRead, "socket-controller");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Path path() {
        return path;
    }

    /** Sends {@code payload} to the transport; one sent after the transport hung up is lost. */
    @Override
    public void inject(byte[] payload) throws Exception {
        SocketChannel channel = connection.get(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        ByteBuffer frame = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
        synchronized (this) {
            try {
                while (frame.hasRemaining()) {
                    channel.write(frame);
                }
            } catch (IOException hungUp) {
                // Lost, as a datagram to a closed transport is.
            }
        }
    }

    @Override
    public Delivery replyDelivery() {
        // What the server would say for a relayed request; the transport sends every reply to its controller.
        return new Delivery.Unicast(Ipv4Address.parse("198.18.0.1"), 67);
    }

    @Override
    public Optional<byte[]> nextSent(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(received.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    private void acceptAndRead() {
        try (SocketChannel channel = server.accept();
                DataInputStream in = new DataInputStream(Channels.newInputStream(channel))) {
            connection.complete(channel);
            while (true) {
                byte[] payload = new byte[in.readInt()];
                in.readFully(payload);
                received.add(payload);
            }
        } catch (IOException closed) {
            connection.completeExceptionally(closed);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (connection.isDone() && !connection.isCompletedExceptionally()) {
            connection.join().close();
        }
        Files.deleteIfExists(path);
    }
}
