package dev.dhcpcluster.testkit.client;

import dev.dhcpcluster.core.dhcp.DhcpCodec;
import dev.dhcpcluster.core.dhcp.DhcpMessage;
import dev.dhcpcluster.core.dhcp.MalformedPacketException;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A DHCP client that speaks real DHCP over UDP the way a relay does: it binds an address and port,
 * puts that address in giaddr, sends requests to the server's port, and receives the server's
 * answers on its own port. It needs no privilege and works on loopback.
 *
 * <p>Like a relay configured with several servers (helper addresses), it can forward every
 * relayed message to each of a list of servers. A client's own REQUEST that is not relayed (a
 * RENEWING one) goes to the server that granted its lease alone: the one of the list whose address
 * is the lease's server identifier. Its answer comes to the client's address, on the client port:
 * to receive it, bind the wildcard address on the port the servers use as client port.
 *
 * <p>One receive thread decodes replies and hands them to the {@link LoadGenerator} on the
 * scheduler the caller gives, which also sends and runs the timeouts. That scheduler must run its
 * tasks on one thread at a time, as {@link Scheduler} promises; the caller owns it, starts it
 * before {@link #open} and stops it after {@link #close}. The client logs through {@link
 * System.Logger}, so it brings no logging library of its own.
 */
public final class DhcpClient implements AutoCloseable {

    private static final Logger LOG = System.getLogger(DhcpClient.class.getName());
    private static final int RECEIVE_BUFFER_BYTES = 1 << 20;

    private final DatagramChannel channel;
    private volatile List<InetSocketAddress> servers = List.of();
    private volatile Consumer<DhcpMessage> observer = reply -> { };
    private final Clock clock;
    private final Scheduler loop;
    private final Thread receiver;
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private volatile LoadGenerator generator;

    private DhcpClient(DatagramChannel channel, Clock clock, Scheduler loop) {
        this.channel = channel;
        this.clock = clock;
        this.loop = loop;
        this.receiver = new Thread(this::receiveLoop, "dhcpcluster-client-receive");
        this.receiver.setDaemon(true);
    }

    /**
     * Binds {@code bind} and starts receiving.
     *
     * @param bind the address (the relay address, giaddr) and port to receive answers on; port 0
     *     picks a free one, see {@link #localPort()}
     * @param clock the time for the clients' timeouts and the latencies of the report
     * @param scheduler where the clients run: one thread at a time, running already
     * @throws IOException if the address cannot be bound
     */
    public static DhcpClient open(InetSocketAddress bind, Clock clock, Scheduler scheduler) throws IOException {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(bind);
        } catch (IOException e) {
            channel.close();
            throw new IOException("cannot bind the client to " + bind.getHostString() + ":" + bind.getPort() + ": "
                    + e.getMessage(), e);
        }
        DhcpClient client = new DhcpClient(channel, clock, scheduler);
        client.receiver.start();
        return client;
    }

    /** The port answers arrive on: the server's relay port must be this one. */
    public int localPort() {
        try {
            return ((InetSocketAddress) channel.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new IllegalStateException("the client socket is closed", e);
        }
    }

    /**
     * Runs one load: every client of {@code settings} through DISCOVER to ACK (and renewal and
     * release, if asked), then returns the report.
     *
     * @param target the server's address and port, where requests go
     * @param timeout how long the whole run may take; the clients' own retries end it sooner
     * @throws TimeoutException if the run has not ended within {@code timeout}
     */
    public ClientReport run(InetSocketAddress target, LoadSettings settings, Duration timeout)
            throws TimeoutException, InterruptedException, ExecutionException {
        return run(target, settings, timeout, ack -> { });
    }

    /**
     * Runs one load as {@link #run(InetSocketAddress, LoadSettings, Duration)} does, and tells
     * {@code acks} of every DHCPACK the moment it arrives.
     *
     * @param acks called on the client's thread for each ACK that passed the checks
     * @throws TimeoutException if the run has not ended within {@code timeout}
     */
    public ClientReport run(InetSocketAddress target, LoadSettings settings, Duration timeout, Consumer<Ack> acks)
            throws TimeoutException, InterruptedException, ExecutionException {
        return run(List.of(Objects.requireNonNull(target, "target")), settings, timeout, acks);
    }

    /**
     * Runs one load of new clients as {@link #run(InetSocketAddress, LoadSettings, Duration,
     * Consumer)} does, forwarding every message to each of {@code targets}, as a relay with
     * several servers does.
     *
     * @param targets the servers' addresses and ports, at least one
     * @throws TimeoutException if the run has not ended within {@code timeout}
     */
    public ClientReport run(List<InetSocketAddress> targets, LoadSettings settings, Duration timeout,
            Consumer<Ack> acks) throws TimeoutException, InterruptedException, ExecutionException {
        return await(targets, LoadGenerator.newClients(settings, loop, clock, clock::elapsedNanos, this::send, acks),
                timeout);
    }

    /**
     * Renews leases that clients hold ({@link LoadGenerator#renewing}): each client sends its
     * RENEWING REQUEST to the server of {@code targets} that granted its lease, and after
     * {@code unicastRetries} unanswered retransmissions rebinds through the relay, to every one of
     * {@code targets}.
     *
     * @param held the leases, one client each; {@code settings.count()} must be their number
     * @throws TimeoutException if the run has not ended within {@code timeout}
     */
    public ClientReport renew(List<InetSocketAddress> targets, List<HeldLease> held, LoadSettings settings,
            int unicastRetries, Duration timeout) throws TimeoutException, InterruptedException, ExecutionException {
        return await(targets, LoadGenerator.renewing(settings, held, unicastRetries, loop, clock, clock::elapsedNanos,
                this::send, ack -> { }), timeout);
    }

    /**
     * Shows {@code replies} every reply this client decodes from now on, whatever its
     * transaction, on the receiving thread, before the run judges it: to count who answered what.
     */
    public void observe(Consumer<DhcpMessage> replies) {
        observer = Objects.requireNonNull(replies, "replies");
    }

    private ClientReport await(List<InetSocketAddress> targets, LoadGenerator run, Duration timeout)
            throws TimeoutException, InterruptedException, ExecutionException {
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("no server to send to");
        }
        servers = List.copyOf(targets);
        generator = run;
        loop.execute(run::start);
        try {
            return run.result().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            generator = null;
        }
    }

    /** Replies that could not be decoded, so far. */
    public long malformedReplies() {
        return malformed.get();
    }

    /** Requests the socket refused to send, so far. */
    public long sendFailures() {
        return sendFailures.get();
    }

    /** Closes the socket and waits for the receive thread to end; the scheduler is the caller's to stop. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "closing the client socket", e);
        }
        try {
            receiver.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A relayed message to every server; the client's own (giaddr 0) to its server alone. */
    private void send(DhcpMessage message, Ipv4Address server) {
        ByteBuffer payload = ByteBuffer.wrap(DhcpCodec.encode(message, DhcpCodec.DEFAULT_MAX_MESSAGE_LENGTH));
        List<InetSocketAddress> targets = servers;
        if (!message.giaddr().isZero() || targets.size() == 1) {
            for (InetSocketAddress target : targets) {
                send(payload.duplicate(), target);
            }
            return;
        }
        InetSocketAddress own = null;
        for (InetSocketAddress target : targets) {
            if (server.toString().equals(target.getAddress().getHostAddress())) {
                own = target;
            }
        }
        if (own == null) {
            sendFailures.incrementAndGet();
            LOG.log(Level.DEBUG, () -> "no server at " + server + " to send the client's own request to");
            return;
        }
        send(payload, own);
    }

    private void send(ByteBuffer payload, InetSocketAddress target) {
        try {
            channel.send(payload, target);
        } catch (IOException e) {
            // The retry after the timeout is the remedy, as for a lost datagram.
            sendFailures.incrementAndGet();
            LOG.log(Level.DEBUG, () -> "cannot send to " + target + ": " + e);
        }
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(DhcpCodec.MAX_DATAGRAM_LENGTH);
        while (channel.isOpen()) {
            try {
                buffer.clear();
                channel.receive(buffer);
                buffer.flip();
                byte[] payload = Arrays.copyOf(buffer.array(), buffer.limit());
                DhcpMessage reply = DhcpCodec.decode(payload);
                observer.accept(reply);
                LoadGenerator current = generator;
                if (current != null) {
                    loop.execute(() -> current.receive(reply));
                }
            } catch (MalformedPacketException e) {
                malformed.incrementAndGet();
                LOG.log(Level.DEBUG, () -> "malformed reply: " + e.getMessage());
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(Level.WARNING, () -> "client receive failed: " + e);
            }
        }
    }
}
