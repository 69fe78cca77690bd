package dev.dhcpcluster.bootstrap.relay;

import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One DHCP transport shared by a node and the relay that runs in its process: port 67 can be bound
 * once, and only a capture can tell the interface a broadcast came in by. The underlying transport
 * (a pcap transport on the node's interfaces and the relay's, whose socket hands on the BOOTREPLYs
 * it receives) feeds a dispatcher that gives each datagram to one side:
 * <ul>
 *   <li>captured on a relay interface, a BOOTREQUEST goes to the relay;</li>
 *   <li>from the socket (no interface name), a BOOTREPLY goes to the relay;</li>
 *   <li>captured on any interface, a BOOTREPLY goes to nobody: the socket hands the relay the same
 *       reply, and a node never handles replies;</li>
 *   <li>everything else goes to the node, as it would without a relay.</li>
 * </ul>
 *
 * <p>Traffic between the relay and its own node never touches the kernel: a datagram the socket
 * sends to one of the host's addresses loops back through {@code lo}, which is not captured, and
 * the node's answer would leave from the wrong address. So the relay's forward to one of this
 * host's addresses at the node's port is handed to the node's handler as if it came from the
 * relay's giaddr, and the node's unicast to one of the relay's interface addresses (a giaddr) is
 * handed to the relay's handler as if it came from the address the relay forwarded to, so that
 * the relay takes it as its server's reply. Everything else goes out through the transport.
 *
 * <p>The node side's {@link DhcpTransport#start} starts the underlying transport and its
 * {@link DhcpTransport#close} closes it; the relay side's only registers and unregisters its
 * handler (until it registers, the relay's traffic is dropped). The host's addresses are read
 * once, when the node side starts, as the pcap transport reads them.
 */
public final class SharedPort {

    private static final int BOOTREPLY = 2;
    /** Where giaddr starts in a DHCP message (RFC 2131 §2). */
    private static final int GIADDR_OFFSET = 24;

    /** Reads the IPv4 addresses of this host. */
    @FunctionalInterface
    public interface HostAddresses {
        /** Every IPv4 address of every interface of this host, loopback included. */
        Set<Ipv4Address> read() throws IOException;
    }

    private final DhcpTransport transport;
    private final Set<String> relayInterfaces;
    private final Set<Ipv4Address> relayAddresses;
    private final int nodePort;
    private final HostAddresses hostAddresses;
    private final NodeSide node = new NodeSide();
    private final RelaySide relay = new RelaySide();
    private final AtomicLong dropped = new AtomicLong();

    private volatile Set<Ipv4Address> host = Set.of();
    private volatile DhcpHandler nodeHandler;
    private volatile DhcpHandler relayHandler;
    /** The address the relay last sent to in process: its own node's, as the relay's servers name it. */
    private volatile Ipv4Address relayTarget;

    /**
     * A shared port over {@code transport}, not yet started.
     *
     * @param transport the underlying transport, on the node's interfaces and the relay's, with
     *     the socket's BOOTREPLYs handed on
     * @param relayInterfaces the names of the relay's client interfaces
     * @param relayAddresses the relay's addresses on them (the giaddrs it sets)
     * @param nodePort the node's server port, where the relay's forwards to it go
     * @param hostAddresses reads this host's addresses when the node side starts
     */
    public SharedPort(DhcpTransport transport, List<String> relayInterfaces, Set<Ipv4Address> relayAddresses,
            int nodePort, HostAddresses hostAddresses) {
        this.transport = Objects.requireNonNull(transport, "transport");
        this.relayInterfaces = Set.copyOf(relayInterfaces);
        this.relayAddresses = Set.copyOf(relayAddresses);
        if (nodePort < 1 || nodePort > 65535) {
            throw new IllegalArgumentException("a UDP port is 1-65535, not " + nodePort);
        }
        this.nodePort = nodePort;
        this.hostAddresses = Objects.requireNonNull(hostAddresses, "hostAddresses");
    }

    /** The node's side: starts and closes the underlying transport. */
    public DhcpTransport nodeSide() {
        return node;
    }

    /** The relay's side: registers the relay's handler on start, unregisters it on close. */
    public DhcpTransport relaySide() {
        return relay;
    }

    /**
     * Datagrams for the relay that came before its side started or after it closed, and the node's
     * unicasts to a relay address then: dropped, as a stopped relay's would be.
     */
    public long droppedForRelay() {
        return dropped.get();
    }

    /** Hands one datagram from the underlying transport to the side it is for. */
    void dispatch(Datagram datagram) {
        byte[] payload = datagram.payload();
        boolean reply = payload.length > 0 && (payload[0] & 0xff) == BOOTREPLY;
        Optional<String> face = datagram.interfaceName();
        if (face.isPresent()) {
            if (reply) {
                // The socket delivers this reply to the relay; a node has no business with replies.
                return;
            }
            if (relayInterfaces.contains(face.get())) {
                toRelay(datagram);
                return;
            }
        } else if (reply) {
            toRelay(datagram);
            return;
        }
        DhcpHandler handler = nodeHandler;
        if (handler != null) {
            handler.handle(datagram);
        }
    }

    private void toRelay(Datagram datagram) {
        DhcpHandler handler = relayHandler;
        if (handler == null) {
            dropped.incrementAndGet();
            return;
        }
        handler.handle(datagram);
    }

    /** The node's side of the port. */
    private final class NodeSide implements DhcpTransport {

        @Override
        public void start(DhcpHandler handler) throws IOException {
            Objects.requireNonNull(handler, "handler");
            synchronized (SharedPort.this) {
                if (nodeHandler != null) {
                    throw new IllegalStateException("the node's side of the shared port was started before");
                }
                host = Set.copyOf(hostAddresses.read());
                nodeHandler = handler;
            }
            transport.start(SharedPort.this::dispatch);
        }

        @Override
        public void send(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
            if (delivery instanceof Delivery.Unicast unicast && relayAddresses.contains(unicast.address())) {
                Ipv4Address from = relayTarget;
                if (from != null) {
                    // A reply to the relay's giaddr: what the relay would hear from this node, given in process.
                    toRelay(new Datagram(payload, from, nodePort, unicast.address(), Optional.empty()));
                    return;
                }
            }
            transport.send(payload, delivery, interfaceName);
        }

        @Override
        public OptionalInt localPort() {
            return transport.localPort();
        }

        @Override
        public String describe() {
            return transport.describe();
        }

        @Override
        public void close() {
            transport.close();
        }
    }

    /** The relay's side of the port. */
    private final class RelaySide implements DhcpTransport {

        @Override
        public void start(DhcpHandler handler) throws IOException {
            Objects.requireNonNull(handler, "handler");
            synchronized (SharedPort.this) {
                if (nodeHandler == null) {
                    throw new IOException("the node's transport is not running; the relay shares it");
                }
                if (relayHandler != null) {
                    throw new IllegalStateException("the relay's side of the shared port was started before");
                }
                relayHandler = handler;
            }
        }

        @Override
        public void send(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
            DhcpHandler handler = nodeHandler;
            if (handler != null && delivery instanceof Delivery.Unicast unicast && unicast.port() == nodePort
                    && host.contains(unicast.address()) && payload.length >= GIADDR_OFFSET + 4) {
                // A forward to this host's own node: given in process, from the giaddr the relay set.
                relayTarget = unicast.address();
                Ipv4Address giaddr = Ipv4Address.fromBytes(payload, GIADDR_OFFSET);
                handler.handle(new Datagram(payload, giaddr, nodePort, unicast.address(), Optional.empty()));
                return;
            }
            transport.send(payload, delivery, interfaceName);
        }

        @Override
        public OptionalInt localPort() {
            return transport.localPort();
        }

        @Override
        public String describe() {
            return transport.describe() + ", shared with the node";
        }

        /** Unregisters the relay's handler; the transport stays the node's. */
        @Override
        public void close() {
            relayHandler = null;
        }
    }

    /** This host's IPv4 addresses, as {@link java.net.NetworkInterface} lists them now. */
    public static Set<Ipv4Address> hostAddresses() throws IOException {
        Set<Ipv4Address> addresses = new HashSet<>();
        for (NetworkInterface networkInterface : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InterfaceAddress address : networkInterface.getInterfaceAddresses()) {
                if (address.getAddress() instanceof Inet4Address ipv4) {
                    addresses.add(Ipv4Address.fromBytes(ipv4.getAddress()));
                }
            }
        }
        return Set.copyOf(addresses);
    }
}
