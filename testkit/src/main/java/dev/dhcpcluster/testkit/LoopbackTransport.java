package dev.dhcpcluster.testkit;

import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Delivery;
import dev.dhcpcluster.port.model.Ipv4Address;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link DhcpTransport} without a network: a test puts request datagrams in as if they had
 * arrived from the network ({@link #inject}), and takes out the replies the server sent, each with
 * the {@link Delivery} the server chose ({@link #nextSent}). It has no socket and no port, so
 * {@link #localPort()} is empty, and any number of them can run side by side in one JVM.
 *
 * <p>It keeps the transport contract as a socket transport does: {@link #start} once; the handler
 * is called on a receive thread the transport owns, one datagram at a time, in the order they were
 * injected; {@link #send} from any thread; after {@link #close} no call reaches the handler, and
 * what is injected or sent is dropped, as a closed socket drops it.
 *
 * <p>Nothing here waits by sleeping: {@link #nextSent} blocks until a reply is there or the
 * timeout has passed.
 */
public final class LoopbackTransport implements DhcpTransport {

    private static final Logger LOG = System.getLogger(LoopbackTransport.class.getName());
    /** Put on the receive queue by {@link #close}: the receive thread ends when it takes it. */
    private static final Datagram END = new Datagram(new byte[0], Ipv4Address.ZERO, 0, Ipv4Address.ZERO,
            Optional.empty());

    private final Ipv4Address localAddress;
    private final String name;
    private final BlockingQueue<Datagram> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Sent> sent = new LinkedBlockingQueue<>();
    private final AtomicLong dropped = new AtomicLong();
    private final Object lifecycle = new Object();
    private Thread receiver;
    private volatile boolean open;
    private boolean closed;

    /**
     * What the server sent: one reply, as it asked for it to be delivered.
     *
     * @param payload the encoded reply, a copy that the test may keep
     * @param delivery where the server asked for it to go
     * @param interfaceName the interface the server named for it (the request's, if it had one)
     */
    public record Sent(byte[] payload, Delivery delivery, Optional<String> interfaceName) {

        public Sent {
            Objects.requireNonNull(payload, "payload");
            Objects.requireNonNull(delivery, "delivery");
            Objects.requireNonNull(interfaceName, "interfaceName");
        }
    }

    /**
     * A transport named {@code loopback} whose server has {@code localAddress} on the simulated link.
     *
     * @param localAddress the {@link Datagram#localAddress()} of every injected request: the
     *     server's own address, which it gives clients as its server identifier
     */
    public LoopbackTransport(Ipv4Address localAddress) {
        this(localAddress, "loopback");
    }

    /**
     * A transport with a name of its own, for a test that runs several.
     *
     * @param localAddress the {@link Datagram#localAddress()} of every injected request
     * @param name what {@link #describe()} says, after {@code loopback}
     */
    public LoopbackTransport(Ipv4Address localAddress, String name) {
        this.localAddress = Objects.requireNonNull(localAddress, "localAddress");
        this.name = Objects.requireNonNull(name, "name");
    }

    @Override
    public void start(DhcpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        synchronized (lifecycle) {
            if (receiver != null || closed) {
                throw new IllegalStateException("the transport " + name + " was started or closed already");
            }
            receiver = new Thread(() -> receiveLoop(handler), "loopback-transport-" + name);
            receiver.setDaemon(true);
            open = true;
            receiver.start();
        }
    }

    /**
     * Delivers {@code payload} to the server as if it had arrived from {@code source}:{@code
     * sourcePort} on {@code interfaceName}, addressed to this transport's local address. Returns
     * at once; the handler gets it on the receive thread.
     *
     * @param payload the request as it would be on the wire (the transport copies it)
     * @param interfaceName the name of the receiving interface, or empty if the test does not care
     * @return false if the transport is not running (not started, or closed): the datagram is lost
     */
    public boolean inject(byte[] payload, Ipv4Address source, int sourcePort, Optional<String> interfaceName) {
        return inject(new Datagram(payload.clone(), source, sourcePort, localAddress, interfaceName));
    }

    /**
     * Delivers {@code datagram}, with every field as given, to the server. Returns at once.
     *
     * @return false if the transport is not running (not started, or closed): the datagram is lost
     */
    public boolean inject(Datagram datagram) {
        Objects.requireNonNull(datagram, "datagram");
        if (!open) {
            dropped.incrementAndGet();
            return false;
        }
        received.add(datagram);
        return true;
    }

    /**
     * The next reply the server sent, in the order sent, waiting for it up to {@code timeout}.
     *
     * @return the reply, or empty if none was sent within {@code timeout}
     */
    public Optional<Sent> nextSent(Duration timeout) throws InterruptedException {
        return Optional.ofNullable(sent.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** Replies sent and not yet taken by {@link #nextSent}. */
    public int pendingSent() {
        return sent.size();
    }

    /** Datagrams injected or replies sent while the transport was not running, so lost. */
    public long dropped() {
        return dropped.get();
    }

    /**
     * Keeps the reply for {@link #nextSent}. Like a socket, it refuses to send before {@link
     * #start}, and drops what is sent after {@link #close}.
     *
     * @throws IllegalStateException before {@link #start}
     */
    @Override
    public void send(byte[] payload, Delivery delivery, Optional<String> interfaceName) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(delivery, "delivery");
        Objects.requireNonNull(interfaceName, "interfaceName");
        if (!open) {
            synchronized (lifecycle) {
                if (receiver == null && !closed) {
                    throw new IllegalStateException("the transport " + name + " is not started");
                }
            }
            dropped.incrementAndGet();
            return;
        }
        sent.add(new Sent(Arrays.copyOf(payload, payload.length), delivery, interfaceName));
    }

    @Override
    public String describe() {
        return "loopback " + name + " at " + localAddress;
    }

    /** Stops the receive thread and waits for it, so that no handler call follows. Idempotent. */
    @Override
    public void close() {
        Thread running;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            open = false;
            running = receiver;
        }
        if (running == null) {
            return;
        }
        received.add(END);
        if (Thread.currentThread() == running) {
            return; // closed by the handler itself: the loop ends when the handler returns
        }
        try {
            running.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void receiveLoop(DhcpHandler handler) {
        while (true) {
            Datagram datagram;
            try {
                datagram = received.take();
            } catch (InterruptedException e) {
                return;
            }
            if (datagram == END || !open) {
                return;
            }
            try {
                handler.handle(datagram);
            } catch (RuntimeException e) {
                // The contract: a handler bug is logged and receiving goes on.
                LOG.log(Level.WARNING, "the DHCP handler threw on a datagram from " + datagram.source(), e);
            }
        }
    }
}
