package dev.dhcpcluster.adapter.udp;

import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A {@link DhcpTransport} over one UDP socket ({@link DatagramChannel}), for relayed traffic,
 * loopback, and directly attached clients on one interface. It needs no privilege except for a
 * port below 1024 (67 in production needs {@code CAP_NET_BIND_SERVICE}).
 *
 * <h2>Choosing what to bind</h2>
 * <ul>
 *   <li><b>Relayed traffic, loopback:</b> bind a unicast address. The transport reports that
 *       address as the local address (server identifier) of every datagram. A socket bound to a
 *       unicast address never receives limited broadcasts ({@code 255.255.255.255}), so it serves
 *       only clients that reach it by unicast: relays, renewing clients.
 *   <li><b>Directly attached clients:</b> bind the wildcard {@code 0.0.0.0} and name the
 *       interface. The transport looks the interface up when it starts and uses its first IPv4
 *       address as the local address and its subnet's <em>directed</em> broadcast (for
 *       {@code 198.18.0.1/16}: {@code 198.18.255.255}) for broadcast replies. Java cannot choose
 *       the interface a limited broadcast leaves by (no {@code IP_PKTINFO}, no
 *       {@code SO_BINDTODEVICE}): the kernel routes {@code 255.255.255.255} by the route table, and
 *       fails with "Network is unreachable" where there is no default route. The directed
 *       broadcast is routed out of the right interface and goes out in an Ethernet broadcast
 *       frame, which DHCP clients (dhclient, udhcpc, dhcpcd read raw frames) accept.
 *   <li>A unicast bind with a named interface sends broadcasts to that interface's directed
 *       broadcast too. A unicast bind without one sends them to {@code 255.255.255.255}, and if the
 *       host has no route for it, switches for good to the directed broadcast of the bound
 *       address's subnet, logging the switch once.
 * </ul>
 *
 * <h2>Limits</h2>
 * <ul>
 *   <li>One interface per transport. A wildcard socket receives the port's traffic from every
 *       interface, and Java cannot tell which one a datagram came in on, so the transport
 *       attributes everything to the named interface. A host serving clients on several links
 *       needs one node per link, or the raw-frame (pcap) transport.
 *   <li>{@link Delivery.UnicastToHardware} is sent as a broadcast to the same port, as RFC 2131
 *       §4.1 allows: only a raw transport can address a frame to a hardware address that has no
 *       ARP entry yet.
 *   <li>The socket does not set {@code SO_REUSEADDR}: a port another socket holds fails
 *       {@link #start} ("{@code 0.0.0.0:67 is already in use by another process}"), so that two
 *       nodes never answer the same clients from two stores. Sockets on different unicast
 *       addresses share a port (a node on {@code 127.0.0.1:67}, a relay on {@code 127.0.0.2:67});
 *       a wildcard socket and a unicast one on the same port do not, so one host runs either one
 *       wildcard transport per port or unicast ones.
 * </ul>
 *
 * <h2>Threads and errors</h2>
 * {@link #start} binds and starts one receive thread, which calls the handler. {@link #send} may
 * be called from any thread; a failed send is logged and counted ({@link #sendFailures()}), never
 * thrown. {@link #close} closes the socket and waits for the receive thread to end.
 */
public final class UdpDhcpTransport implements DhcpTransport {

    private static final System.Logger LOG = System.getLogger(UdpDhcpTransport.class.getName());

    /** Room for a burst of client broadcasts while the handler is busy; the kernel may cap it. */
    private static final int RECEIVE_BUFFER_BYTES = 1 << 20;

    private final Ipv4Address bindAddress;
    private final int port;
    private final Optional<String> interfaceName;
    private final Counters counters = new Counters();

    /**
     * The socket address of the last send, kept for the next: nearly every reply goes to the same
     * relay or broadcast address, whose {@link InetSocketAddress} need not be built again. Any
     * thread may send; the record is immutable, so a race only costs building one again.
     */
    private SendTarget lastTarget;

    private record SendTarget(Ipv4Address address, int port, InetSocketAddress socketAddress) {
    }

    private final Object lifecycle = new Object();
    private boolean started;
    private volatile boolean closed;
    private volatile Running running;

    /** What exists once started. */
    private record Running(DatagramChannel channel, Thread receiveThread, Addressing addressing,
            BroadcastRoute broadcastRoute, int localPort) {
    }

    /**
     * A transport, not yet bound.
     *
     * @param bindAddress the address to bind: a unicast address, or {@code 0.0.0.0} (which
     *     requires {@code interfaceName})
     * @param port the UDP port to listen on (67 for a production server); 0 lets the system choose
     * @param interfaceName the interface whose directly attached clients this transport serves
     * @throws IllegalArgumentException if the port is out of range, the interface name is blank,
     *     or the wildcard address is given without an interface
     */
    public UdpDhcpTransport(Ipv4Address bindAddress, int port, Optional<String> interfaceName) {
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        this.interfaceName = Objects.requireNonNull(interfaceName, "interfaceName");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("a UDP port is 0-65535, not " + port);
        }
        if (interfaceName.isPresent() && interfaceName.get().isBlank()) {
            throw new IllegalArgumentException("an interface name must not be blank");
        }
        if (bindAddress.isZero() && interfaceName.isEmpty()) {
            throw new IllegalArgumentException("binding 0.0.0.0 needs an interface name: the transport takes its "
                    + "server address and broadcast address from that interface");
        }
        this.port = port;
    }

    /**
     * Looks up the interface, binds the socket and starts the receive thread. A transport whose
     * start failed cannot be started again; build a new one.
     *
     * @throws IOException if the interface does not exist or lacks the address, or the socket
     *     cannot be bound; the message names what was asked for. A port another socket holds is
     *     a {@link BindException} saying "{@code ADDRESS:PORT is already in use by another process}"
     * @throws IllegalStateException if already started, or closed
     */
    @Override
    public void start(DhcpHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        synchronized (lifecycle) {
            if (started) {
                throw new IllegalStateException("the UDP transport on " + bindAddress + ":" + port + " was already started");
            }
            if (closed) {
                throw new IllegalStateException("the UDP transport on " + bindAddress + ":" + port + " is closed");
            }
            started = true;
            Optional<String> reportedInterface = interfaceName;
            Optional<LinkAddress> link;
            if (interfaceName.isPresent()) {
                link = Optional.of(LinkResolver.ofInterface(interfaceName.get(), bindAddress));
            } else {
                Optional<LinkResolver.Link> found = LinkResolver.ofAddress(bindAddress);
                reportedInterface = found.map(LinkResolver.Link::interfaceName);
                link = found.map(LinkResolver.Link::address);
            }
            Addressing addressing = Addressing.decide(bindAddress, interfaceName.isPresent(), link);
            DatagramChannel channel = bind();
            int localPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            Thread receiveThread = new Thread(
                    new ReceiveLoop(channel, handler, addressing.localAddress(), reportedInterface, counters),
                    "dhcp-udp-receive-" + bindAddress + ":" + localPort);
            running = new Running(channel, receiveThread, addressing, new BroadcastRoute(addressing), localPort);
            receiveThread.start();
            LOG.log(System.Logger.Level.INFO, "DHCP over UDP on {0}:{1}{2}: server address {3}, broadcasts to {4}",
                    bindAddress, String.valueOf(localPort), reportedInterface.map(name -> " (" + name + ")").orElse(""),
                    addressing.localAddress(), addressing.broadcastTarget());
        }
    }

    private DatagramChannel bind() throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            // No SO_REUSEADDR: with it, a second node on the same address and port (a stale
            // process, a second unit file) would bind beside this one and answer the same clients
            // from a store of its own. Without it, that start fails here.
            channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            channel.bind(new InetSocketAddress(InetAddress.getByAddress(bindAddress.toBytes()), port));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw bindFailure(bindAddress, port, e);
        }
    }

    /**
     * The error for a socket that could not be bound, naming the address and port; a port in use
     * says so in words an operator reads at once.
     */
    static IOException bindFailure(Ipv4Address address, int port, IOException e) {
        String where = address + ":" + port;
        if (e instanceof BindException && String.valueOf(e.getMessage()).contains("already in use")) {
            BindException inUse = new BindException(where + " is already in use by another process");
            inUse.initCause(e);
            return inUse;
        }
        return new IOException("cannot bind UDP " + where + ": " + e.getMessage(), e);
    }

    /**
     * Sends one reply; a failure is logged and counted, not thrown. After {@link #close} the reply
     * is dropped and counted as a failed send. The transport serves one interface, so
     * {@code interfaceName} chooses nothing: every broadcast leaves by that interface.
     *
     * @throws IllegalStateException if the transport was never started
     */
    @Override
    public void send(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Running current = running;
        if (current == null) {
            throw new IllegalStateException(closed ? "the UDP transport is closed" : "the UDP transport is not started");
        }
        // Only a raw transport can reach a hardware address without ARP: broadcast instead (RFC 2131 §4.1).
        Ipv4Address target = delivery instanceof Delivery.Unicast unicast
                ? unicast.address()
                : current.broadcastRoute().target();
        IOException error;
        try {
            sendTo(current.channel(), payload, target, delivery.port());
            return;
        } catch (IOException e) {
            error = e;
        }
        Optional<Ipv4Address> fallback = current.broadcastRoute().switchAfter(target, error);
        if (fallback.isPresent()) {
            target = fallback.get();
            try {
                sendTo(current.channel(), payload, target, delivery.port());
                return;
            } catch (IOException e) {
                error = e;
            }
        }
        failed(current, target, delivery.port(), error);
    }

    private void sendTo(DatagramChannel channel, byte[] payload, Ipv4Address target, int targetPort) throws IOException {
        SendTarget cached = lastTarget;
        if (cached == null || cached.port() != targetPort || !cached.address().equals(target)) {
            cached = new SendTarget(target, targetPort,
                    new InetSocketAddress(InetAddress.getByAddress(target.toBytes()), targetPort));
            lastTarget = cached;
        }
        channel.send(ByteBuffer.wrap(payload), cached.socketAddress());
        counters.sent.incrementAndGet();
    }

    private void failed(Running current, Ipv4Address target, int targetPort, IOException e) {
        long failures = counters.sendFailures.incrementAndGet();
        if (e instanceof ClosedChannelException) {
            LOG.log(System.Logger.Level.DEBUG, "reply to {0}:{1} dropped: the transport is closed",
                    target, String.valueOf(targetPort));
        } else if (Counters.worthLogging(failures)) {
            LOG.log(System.Logger.Level.WARNING, "cannot send to " + target + ":" + targetPort + " from " + bindAddress
                    + ":" + current.localPort() + ": " + e.getMessage() + " (" + failures + " failed sends so far)");
        }
    }

    /** Closes the socket and waits for the receive thread to end. Idempotent. */
    @Override
    public void close() {
        Running current;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            current = running;
        }
        if (current == null) {
            return;
        }
        try {
            current.channel().close(); // wakes the receive thread out of its blocking read
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the UDP socket on " + bindAddress + ":" + port + " failed", e);
        }
        if (Thread.currentThread() != current.receiveThread()) {
            joinUninterruptibly(current.receiveThread());
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The server address reported with every received datagram.
     *
     * @throws IllegalStateException before {@link #start}
     */
    public Ipv4Address localAddress() {
        return runningOrThrow().addressing().localAddress();
    }

    /**
     * The UDP port the socket is bound to: the configured one, or the one the system chose.
     *
     * @throws IllegalStateException before {@link #start}
     */
    public int port() {
        return runningOrThrow().localPort();
    }

    @Override
    public OptionalInt localPort() {
        return OptionalInt.of(port());
    }

    /** {@code udp ADDRESS:PORT}, and the interface if the transport serves one. */
    @Override
    public String describe() {
        return "udp " + bindAddress + ":" + port() + interfaceName.map(name -> " (interface " + name + ")").orElse("");
    }

    /**
     * Where broadcast replies go now.
     *
     * @throws IllegalStateException before {@link #start}
     */
    public Ipv4Address broadcastAddress() {
        return runningOrThrow().broadcastRoute().target();
    }

    /** Datagrams read from the socket and handed to the handler. */
    public long datagramsReceived() {
        return counters.received.get();
    }

    /** Replies the socket accepted for sending. */
    public long datagramsSent() {
        return counters.sent.get();
    }

    /** Replies that could not be sent (including those sent after close). */
    public long sendFailures() {
        return counters.sendFailures.get();
    }

    /** Failed reads from the socket, other than the one that ends the receive thread at close. */
    public long receiveErrors() {
        return counters.receiveErrors.get();
    }

    /** Datagrams on which the handler threw instead of returning. */
    public long handlerFailures() {
        return counters.handlerFailures.get();
    }

    private Running runningOrThrow() {
        Running current = running;
        if (current == null) {
            throw new IllegalStateException("the UDP transport is not started");
        }
        return current;
    }

    @Override
    public String toString() {
        return "UdpDhcpTransport[" + bindAddress + ":" + port + interfaceName.map(name -> " on " + name).orElse("") + "]";
    }
}
