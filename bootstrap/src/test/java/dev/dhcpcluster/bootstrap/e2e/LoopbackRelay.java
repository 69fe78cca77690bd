package dev.dhcpcluster.bootstrap.e2e;

import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.MalformedPacketException;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.testkit.client.ClientSession;
import dev.dhcpcluster.testkit.client.Reaction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.opentest4j.AssertionFailedError;

/**
 * Clients behind a relay on loopback, one exchange at a time, for tests that need to see the
 * replies themselves (the options of an ACK): it binds {@code 127.0.0.2} on a free port, which the
 * node must answer relays on ({@code transport.relay-port}), and drives one {@link ClientSession}
 * per hardware address. Every failure (a NAK, no answer) fails the test with the client's reason.
 */
public final class LoopbackRelay implements AutoCloseable {

    /** The relay's address: giaddr of every request. */
    public static final Ipv4Address ADDRESS = Ipv4Address.parse("127.0.0.2");
    private static final int TIMEOUT_MILLIS = 1000;
    private static final int RETRIES = 4;

    private final DatagramSocket socket;
    private volatile InetSocketAddress server;
    private final Map<HardwareAddress, ClientSession> sessions = new HashMap<>();
    private int nextXid = 0x5100;

    private LoopbackRelay(DatagramSocket socket) {
        this.socket = socket;
    }

    /**
     * A relay bound to a free port of {@link #ADDRESS}; give the node that port as its relay port,
     * then {@link #forwardTo} the node.
     */
    public static LoopbackRelay open() {
        try {
            DatagramSocket socket = new DatagramSocket(new InetSocketAddress(ADDRESS.toString(), 0));
            socket.setSoTimeout(TIMEOUT_MILLIS);
            return new LoopbackRelay(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind " + ADDRESS, e);
        }
    }

    /** The relay's port: where the node must answer relays ({@code transport.relay-port}). */
    public int port() {
        return socket.getLocalPort();
    }

    /** Sends the clients' requests to the node at {@code node} from now on. */
    public LoopbackRelay forwardTo(InetSocketAddress node) {
        server = node;
        return this;
    }

    /** The client with this hardware address leases an address: DISCOVER, OFFER, REQUEST; the ACK. */
    public DhcpMessage lease(HardwareAddress hardwareAddress) {
        ClientSession session = new ClientSession(sessions.size(), hardwareAddress, ADDRESS, RETRIES, Optional.empty());
        sessions.put(hardwareAddress, session);
        return exchange(session, session.discover(nextXid++), Reaction.Bound.class);
    }

    /** The client renews the lease it holds; the ACK, which must keep its address. */
    public DhcpMessage renew(HardwareAddress hardwareAddress) {
        ClientSession session = sessions.get(hardwareAddress);
        if (session == null) {
            throw new IllegalStateException(hardwareAddress + " holds no lease here");
        }
        return exchange(session, session.renew(nextXid++), Reaction.Renewed.class);
    }

    private DhcpMessage exchange(ClientSession session, DhcpMessage first, Class<? extends Reaction> done) {
        DhcpMessage outgoing = first;
        while (true) {
            if (outgoing != null) {
                send(outgoing);
            }
            Optional<DhcpMessage> reply = receive(session);
            Reaction reaction = reply.isPresent() ? session.onReply(reply.get()) : session.onTimeout();
            if (done.isInstance(reaction)) {
                return reply.orElseThrow();
            }
            if (reaction instanceof Reaction.Failed failed) {
                throw new AssertionFailedError("client " + session.hardwareAddress() + ": " + failed.reason());
            }
            // Ignored (a late duplicate): the request stands; wait for its answer again.
            outgoing = reaction instanceof Reaction.Send again ? again.message() : null;
        }
    }

    private void send(DhcpMessage message) {
        byte[] payload = DhcpCodec.encode(message, DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH);
        try {
            socket.send(new DatagramPacket(payload, payload.length, server));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send to " + server, e);
        }
    }

    /** The next reply for this session's transaction, or empty after the timeout. */
    private Optional<DhcpMessage> receive(ClientSession session) {
        byte[] buffer = new byte[DhcpCodec.MAX_DATAGRAM_LENGTH];
        long deadline = System.nanoTime() + TIMEOUT_MILLIS * 1_000_000L;
        while (System.nanoTime() < deadline) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                return Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                DhcpMessage reply = DhcpCodec.decode(Arrays.copyOf(packet.getData(), packet.getLength()));
                if (reply.xid() == session.xid()) {
                    return Optional.of(reply);
                }
            } catch (MalformedPacketException e) {
                throw new AssertionFailedError("the node sent a malformed reply: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        socket.close();
    }
}
