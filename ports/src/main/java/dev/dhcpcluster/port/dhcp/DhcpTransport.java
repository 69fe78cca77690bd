package dev.dhcpcluster.port.dhcp;

import dev.dhcpcluster.port.model.Delivery;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Outbound port: moves DHCP messages between the network and the server.
 *
 * <h2>Life cycle</h2>
 * {@link #start} binds the transport's sockets (or opens its capture) and begins passing every
 * received datagram to the handler, on a thread the transport owns. {@link #close} stops
 * receiving, releases the sockets and returns once the receive thread has ended; after it no
 * further call reaches the handler. A transport is started at most once.
 *
 * <h2>Threads</h2>
 * {@link #send} may be called from any thread, concurrently with receiving, and must not block
 * for longer than a socket write takes.
 *
 * <h2>Errors</h2>
 * A failure to bind is thrown from {@link #start}. A failure to send one reply is not thrown: the
 * transport logs and counts it, because the client will retransmit and nothing in the server can
 * do better.
 */
public interface DhcpTransport extends AutoCloseable {

    /**
     * Binds and starts receiving; returns once the transport is ready to receive.
     *
     * @throws IOException if the address, port or interface cannot be bound
     * @throws IllegalStateException if called twice
     */
    void start(DhcpHandler handler) throws IOException;

    /**
     * Sends one encoded reply as {@code delivery} asks. A transport that cannot honour
     * {@link Delivery.UnicastToHardware} sends a broadcast to the same port instead, as
     * RFC 2131 §4.1 allows.
     *
     * @param payload the encoded message; the transport may keep it until sent and the caller
     *     must not change it afterwards
     * @param delivery where the reply goes
     * @param interfaceName the interface the request arrived on, as its {@link
     *     dev.dhcpcluster.port.model.Datagram#interfaceName()} said: a broadcast, or a frame to a
     *     hardware address, leaves by that interface, since that is the client's link. A
     *     transport that serves a single interface has no choice to make and may ignore it.
     */
    void send(byte[] payload, Delivery delivery, Optional<String> interfaceName);

    /**
     * The UDP port the transport receives on, as bound (the one the system chose if it was asked
     * for port 0), for a transport that listens on one; empty for a transport without sockets (a
     * queue, a controller's channel), which is what the default says.
     *
     * @throws IllegalStateException before {@link #start}, from a transport that has a port
     */
    default OptionalInt localPort() {
        return OptionalInt.empty();
    }

    /**
     * Where the transport listens, in a few words for the node's log line and status, for example
     * {@code udp 0.0.0.0:67 on eth1}. The default names the class; called after {@link #start}.
     */
    default String describe() {
        // An anonymous class has no simple name.
        return getClass().getSimpleName().isEmpty() ? getClass().getName() : getClass().getSimpleName();
    }

    /** Stops receiving and releases the sockets. Idempotent. */
    @Override
    void close();
}
