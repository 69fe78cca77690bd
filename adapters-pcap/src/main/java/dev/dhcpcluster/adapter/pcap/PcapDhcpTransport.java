package dev.dhcpcluster.adapter.pcap;

import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link DhcpTransport} over raw Ethernet frames (libpcap, through pcap4j), serving directly
 * attached clients on several interfaces at once. It needs root or {@code CAP_NET_RAW} (and
 * {@code CAP_NET_BIND_SERVICE} for port 67).
 *
 * <h2>Why frames</h2>
 * A Java UDP socket cannot tell which interface a broadcast came in on (no {@code IP_PKTINFO}) nor
 * send a broadcast out of a chosen one (no {@code SO_BINDTODEVICE}), so one UDP transport serves
 * one link. This transport opens a capture on each named interface instead: every datagram it
 * delivers carries the {@link dev.dhcpcluster.port.model.Datagram#interfaceName() name} of the
 * interface it arrived on, which is what lets the server choose the subnet by the receiving
 * interface, and every broadcast reply leaves by the interface {@link #send} names.
 *
 * <h2>Receiving</h2>
 * Each interface has its own capture thread. The capture is not promiscuous, reads only IPv4 UDP
 * datagrams to the server port coming in from the link (never the frames this host sends), and
 * checks each frame as the kernel would (see {@code FrameCodec}). A datagram is delivered if it
 * was sent to the limited broadcast or the link's directed broadcast, reporting the interface's
 * first IPv4 address as its {@link dev.dhcpcluster.port.model.Datagram#localAddress() local
 * address}, or to one of the host's addresses (any 127/8 address on loopback), reporting that
 * address: the server address the client or relay chose. Anything else (malformed, fragmented,
 * forwarded through this host) is dropped and counted ({@link #framesDropped()}). The host's
 * addresses are read once, at start.
 *
 * <h2>Sending</h2>
 * <ul>
 *   <li>{@link Delivery.Broadcast}: an Ethernet broadcast frame to {@code 255.255.255.255}, from
 *       the interface's address and the server port, out of the named interface.
 *   <li>{@link Delivery.UnicastToHardware}: a frame to the client's hardware address and its new
 *       IP address, out of the named interface, with no ARP entry needed (RFC 2131 §4.1). A
 *       client whose hardware address is not Ethernet gets a broadcast instead.
 *   <li>{@link Delivery.Unicast} (a relay, a renewing client): through a plain UDP socket bound
 *       to the server port. Such a destination may be several hops away, and only the kernel
 *       knows the route, the next hop and its Ethernet address; building those frames here would
 *       mean redoing routing and ARP. The same socket, merely by being bound, keeps the kernel
 *       from answering unicast requests with ICMP "port unreachable"; what it receives is read
 *       and discarded, since the capture already has it (a relay's transport hands on the
 *       BOOTREPLYs it receives instead: see the four-argument constructor).
 * </ul>
 * If the named interface is empty or not one of the transport's, a transport with a single
 * interface uses that one; one with several cannot guess, and counts the reply as a failed send.
 * Frames are not fragmented: a reply larger than the link's MTU allows is a failed send.
 *
 * <h2>Threads and errors</h2>
 * {@link #start} opens every capture and the socket, or none (the first failure is thrown, naming
 * the interface). {@link #send} may be called from any thread; a failed send is logged and counted
 * ({@link #sendFailures()}), never thrown. {@link #close} wakes the capture threads out of their
 * reads, waits for them to end, then releases the captures and the socket.
 */
public final class PcapDhcpTransport implements DhcpTransport {

    private static final System.Logger LOG = System.getLogger(PcapDhcpTransport.class.getName());

    /** How often {@link #close} repeats its wake-up of a capture thread that has not ended. */
    private static final long WAKE_INTERVAL_MILLIS = 50;

    private final List<String> interfaceNames;
    private final Ipv4Address socketAddress;
    private final int port;
    private final boolean socketReplies;
    private final Counters counters = new Counters();
    private final AtomicInteger identification = new AtomicInteger();

    private final Object lifecycle = new Object();
    private boolean started;
    private volatile boolean closed;
    private volatile Running running;

    /** One served interface once started. */
    private record Served(Link link, Capture capture, Thread thread) {
    }

    /** What exists once started. */
    private record Running(Map<String, Served> served, DatagramChannel channel, Thread drainThread, int localPort) {
    }

    /**
     * A transport for the clients on {@code interfaceNames}, not yet started, whose UDP socket for
     * routed replies binds every address ({@code 0.0.0.0}).
     *
     * @param interfaceNames the interfaces to serve, at least one, no repeats
     * @param port the UDP port to serve (67 in production); 0 lets the system choose
     * @throws IllegalArgumentException if the list is empty, a name is blank or repeated, or the
     *     port is out of range
     */
    public PcapDhcpTransport(List<String> interfaceNames, int port) {
        this(interfaceNames, Ipv4Address.ZERO, port);
    }

    /**
     * A transport for the clients on {@code interfaceNames}, not yet started.
     *
     * @param interfaceNames the interfaces to serve, at least one, no repeats
     * @param socketAddress the address the UDP socket binds: {@code 0.0.0.0} normally; a unicast
     *     address makes routed replies leave from it, at the price of ICMP "port unreachable"
     *     answers to unicast requests for the host's other addresses (which are served all the same)
     * @param port the UDP port to serve (67 in production); 0 lets the system choose
     * @throws IllegalArgumentException if the list is empty, a name is blank or repeated, or the
     *     port is out of range
     */
    public PcapDhcpTransport(List<String> interfaceNames, Ipv4Address socketAddress, int port) {
        this(interfaceNames, socketAddress, port, false);
    }

    /**
     * A transport as {@link #PcapDhcpTransport(List, Ipv4Address, int)} describes, which with
     * {@code socketReplies} also hands its handler every BOOTREPLY its UDP socket receives, as a
     * datagram without an interface name (the socket cannot tell the interface), from the sender's
     * address and port. For a relay agent: the servers answer it by unicast to its giaddr, which the
     * kernel delivers to the socket whatever interface it arrives by. Such a reply that arrives by a
     * captured interface reaches the handler twice, once from the capture with the interface's
     * name; a relay takes replies only from the socket's datagrams. A server leaves it off: only
     * requests are its business, and the capture already delivers them.
     *
     * @throws IllegalArgumentException as the other constructor
     */
    public PcapDhcpTransport(List<String> interfaceNames, Ipv4Address socketAddress, int port, boolean socketReplies) {
        this.socketReplies = socketReplies;
        Objects.requireNonNull(interfaceNames, "interfaceNames");
        this.socketAddress = Objects.requireNonNull(socketAddress, "socketAddress");
        if (interfaceNames.isEmpty()) {
            throw new IllegalArgumentException("a pcap transport needs at least one interface");
        }
        Set<String> seen = new HashSet<>();
        for (String name : interfaceNames) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("an interface name must not be blank");
            }
            if (!seen.add(name)) {
                throw new IllegalArgumentException("interface \"" + name + "\" is named twice");
            }
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("a UDP port is 0-65535, not " + port);
        }
        this.interfaceNames = List.copyOf(interfaceNames);
        this.port = port;
    }

    /**
     * Binds the socket, opens a capture on every interface and starts their threads. A transport
     * whose start failed has released whatever it had opened and cannot be started again.
     *
     * @throws IOException naming the interface or address that failed: an interface that does not
     *     exist, is down, has no IPv4 or Ethernet address or cannot be captured on (no libpcap, no
     *     privilege), or a port already in use (a {@link BindException} saying
     *     "{@code ADDRESS:PORT is already in use by another process}"): the socket does not set
     *     {@code SO_REUSEADDR}, so that a second server on the port fails here
     * @throws IllegalStateException if already started, or closed
     */
    @Override
    public void start(DhcpHandler handler) throws IOException {
        Objects.requireNonNull(handler, "handler");
        synchronized (lifecycle) {
            if (started) {
                throw new IllegalStateException(this + " was already started");
            }
            if (closed) {
                throw new IllegalStateException(this + " is closed");
            }
            started = true;
            DatagramChannel channel = bind();
            Map<String, Served> served = new LinkedHashMap<>();
            try {
                int localPort = ((InetSocketAddress) channel.getLocalAddress()).getPort();
                Set<Ipv4Address> hostAddresses = Links.hostAddresses();
                for (String name : interfaceNames) {
                    Link link = Links.resolve(name);
                    Capture capture = Capture.open(name, localPort);
                    Thread thread = new Thread(
                            new CaptureLoop(capture, link, hostAddresses, handler, counters, () -> !closed),
                            "dhcp-pcap-receive-" + name);
                    served.put(name, new Served(link, capture, thread));
                }
                SocketDrain drain = new SocketDrain(channel, socketReplies ? Optional.of(handler) : Optional.empty(),
                        socketAddress, counters);
                Thread drainThread = new Thread(drain, "dhcp-pcap-socket-" + localPort);
                running = new Running(Map.copyOf(served), channel, drainThread, localPort);
                served.values().forEach(one -> one.thread().start());
                drainThread.start();
                LOG.log(System.Logger.Level.INFO, "DHCP over raw frames on port {0}: {1}",
                        String.valueOf(localPort), served.values().stream().map(one -> one.link().toString()).toList());
            } catch (IOException | RuntimeException e) {
                served.values().forEach(one -> one.capture().close());
                channel.close();
                throw e;
            }
        }
    }

    private DatagramChannel bind() throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            // No SO_REUSEADDR: another DHCP server on the port must make this start fail, not
            // quietly share the port and answer the same clients.
            channel.setOption(StandardSocketOptions.SO_BROADCAST, true);
            channel.bind(new InetSocketAddress(InetAddress.getByAddress(socketAddress.toBytes()), port));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw bindFailure(socketAddress, port, e);
        }
    }

    /**
     * The error for a socket that could not be bound, naming the address and port; a port in use
     * (another DHCP server, a second node) says so in words an operator reads at once.
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
     * Sends one reply as the class description says; a failure is logged and counted, not
     * thrown, and so is a reply sent after {@link #close}.
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
            if (closed) {
                failed("reply dropped: the transport is closed");
                return;
            }
            throw new IllegalStateException(this + " is not started");
        }
        if (closed) {
            failed("reply dropped: the transport is closed");
            return;
        }
        if (delivery instanceof Delivery.Unicast unicast) {
            sendRouted(current, payload, unicast);
            return;
        }
        Optional<Served> served = choose(current, interfaceName);
        if (served.isEmpty()) {
            failed("no interface to send " + delivery + " by: the request named "
                    + interfaceName.map(name -> "\"" + name + "\"").orElse("none") + ", and this transport serves "
                    + interfaceNames);
            return;
        }
        Link link = served.get().link();
        if (payload.length > link.maxPayload()) {
            failed("a reply of " + payload.length + " bytes does not fit in one frame on " + link.name() + " (MTU "
                    + link.mtu() + ")");
            return;
        }
        UdpFrame frame = frameFor(link, current.localPort(), payload, delivery);
        try {
            served.get().capture().send(FrameCodec.encode(frame, identification.getAndIncrement()));
            counters.sent.incrementAndGet();
        } catch (IOException e) {
            failed(closed ? "reply dropped: the transport is closed" : "cannot send to " + frame.destination() + " on "
                    + link.name() + ": " + e.getMessage());
        }
    }

    private static UdpFrame frameFor(Link link, int sourcePort, byte[] payload, Delivery delivery) {
        if (delivery instanceof Delivery.UnicastToHardware toHardware) {
            HardwareAddress hardware = toHardware.hardwareAddress();
            if (hardware.type() == HardwareAddress.ETHERNET && hardware.length() == 6) {
                return new UdpFrame(hardware.octets(), link.mac(), link.address(), toHardware.address(), sourcePort,
                        delivery.port(), payload);
            }
            // Not an Ethernet address: broadcast instead, as RFC 2131 §4.1 allows.
        }
        return new UdpFrame(UdpFrame.BROADCAST_MAC, link.mac(), link.address(), Ipv4Address.BROADCAST, sourcePort,
                delivery.port(), payload);
    }

    private Optional<Served> choose(Running current, Optional<String> interfaceName) {
        Optional<Served> named = interfaceName.map(current.served()::get);
        if (named.isPresent()) {
            return named;
        }
        return current.served().size() == 1 ? current.served().values().stream().findFirst() : Optional.empty();
    }

    private void sendRouted(Running current, byte[] payload, Delivery.Unicast unicast) {
        try {
            current.channel().send(ByteBuffer.wrap(payload),
                    new InetSocketAddress(InetAddress.getByAddress(unicast.address().toBytes()), unicast.port()));
            counters.sent.incrementAndGet();
        } catch (IOException e) {
            failed(closed ? "reply dropped: the transport is closed"
                    : "cannot send to " + unicast.address() + ":" + unicast.port() + ": " + e.getMessage());
        }
    }

    private void failed(String message) {
        long failures = counters.sendFailures.incrementAndGet();
        if (closed) {
            LOG.log(System.Logger.Level.DEBUG, message);
        } else if (Counters.worthLogging(failures)) {
            LOG.log(System.Logger.Level.WARNING, message + " (" + failures + " failed sends so far)");
        }
    }

    /** Stops the capture threads, then releases the captures and the socket. Idempotent. */
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
        // A capture thread leaves its read when woken and then sees `closed`; its handle is
        // closed only after that, since libpcap must not free a handle a read is using. The wake
        // is repeated in case it came between the thread's check of `closed` and its next read.
        for (Served one : current.served().values()) {
            if (Thread.currentThread() != one.thread()) {
                do {
                    one.capture().wake();
                } while (!joined(one.thread(), WAKE_INTERVAL_MILLIS));
            }
            one.capture().close();
        }
        try {
            current.channel().close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing the UDP socket of " + this + " failed", e);
        }
        joinUninterruptibly(current.drainThread());
    }

    /** Waits up to {@code millis} for {@code thread} to end; true if it has. */
    private static boolean joined(Thread thread, long millis) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    thread.join(millis);
                    return !thread.isAlive();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
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
     * The UDP port served: the configured one, or the one the system chose.
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

    /** {@code pcap ADDRESS:PORT} and the interfaces served. */
    @Override
    public String describe() {
        return "pcap " + socketAddress + ":" + port() + " (interfaces " + String.join(", ", interfaceNames()) + ")";
    }

    /** The interfaces this transport serves, in the order given. */
    public List<String> interfaceNames() {
        return interfaceNames;
    }

    /**
     * The server's address on {@code interfaceName}: the interface's first IPv4 address, reported
     * with every broadcast received there and the source of every frame sent there.
     *
     * @throws IllegalStateException before {@link #start}
     * @throws IllegalArgumentException if the transport does not serve that interface
     */
    public Ipv4Address localAddress(String interfaceName) {
        Served served = runningOrThrow().served().get(interfaceName);
        if (served == null) {
            throw new IllegalArgumentException("this transport does not serve \"" + interfaceName + "\"; it serves "
                    + interfaceNames);
        }
        return served.link().address();
    }

    /** Datagrams taken from the captures and handed to the handler. */
    public long datagramsReceived() {
        return counters.received.get();
    }

    /** Captured frames dropped as malformed, fragmented, or not meant for this host. */
    public long framesDropped() {
        return counters.framesDropped.get();
    }

    /** Replies handed to a capture or the socket for sending. */
    public long datagramsSent() {
        return counters.sent.get();
    }

    /** Replies that could not be sent (including those sent after close). */
    public long sendFailures() {
        return counters.sendFailures.get();
    }

    /** Failed reads from a capture, other than the end of reading at close. */
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
            throw new IllegalStateException(this + " is not started");
        }
        return current;
    }

    @Override
    public String toString() {
        return "PcapDhcpTransport" + interfaceNames + " port " + port;
    }
}
