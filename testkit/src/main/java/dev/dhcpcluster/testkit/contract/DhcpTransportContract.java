package dev.dhcpcluster.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.port.dhcp.DhcpHandler;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Datagram;
import dev.dhcpcluster.port.model.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link DhcpTransport}, for any transport: one over sockets, raw frames, a
 * controller's packet-in channel or an in-process queue. An integrator extends it with a few
 * lines: a {@link Wire} that stands for the network the transport is attached to, and a factory
 * for the transport on that wire. The contract assumes no socket and no port.
 *
 * <p>It covers the promises of the port's Javadoc: a transport starts once, and a second
 * {@code start} is an {@link IllegalStateException}; every datagram received reaches the handler
 * with its payload intact; a handler that throws does not stop receiving; {@code send} after
 * {@code start} delivers, from any number of threads at once; {@code close} is idempotent, harmless
 * before {@code start}, and no call reaches the handler after it; {@code describe()} says something
 * once started.
 *
 * <p>Every wait is bounded by {@link #TIMEOUT}. The only wait that must run out is the one that
 * checks that nothing reaches the handler after {@code close}, which lasts {@link #QUIET}.
 *
 * @param <W> the subclass's wire, so that its factory can read what the wire chose (an address,
 *     a port, a queue)
 */
public abstract class DhcpTransportContract<W extends DhcpTransportContract.Wire> {

    /** How long the contract waits for something that must happen. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** How long the contract watches for something that must not happen. */
    protected static final Duration QUIET = Duration.ofMillis(300);

    /**
     * The network as the contract sees it: the test puts requests on it towards the transport, and
     * takes off it what the transport sent. A wire over UDP sockets is one implementation ({@link
     * UdpLoopbackWire}); a queue, a fake controller or a tap device are others.
     */
    public interface Wire extends AutoCloseable {

        /**
         * Puts {@code payload} on the network towards the transport, as a client or a relay would
         * send it. It need not arrive before the method returns.
         */
        void inject(byte[] payload) throws Exception;

        /** A {@link Delivery} with which what the transport sends comes back to this wire. */
        Delivery replyDelivery();

        /** The interface name to pass to {@link DhcpTransport#send} with {@link #replyDelivery()}. */
        default Optional<String> replyInterface() {
            return Optional.empty();
        }

        /**
         * The payload of the next message the transport put on the network towards this wire,
         * waiting up to {@code timeout} for it.
         *
         * @return the payload, or empty if nothing came within {@code timeout}
         */
        Optional<byte[]> nextSent(Duration timeout) throws Exception;

        /** Releases what the wire holds; called after the transport is closed. */
        @Override
        default void close() throws Exception {
        }
    }

    private W wire;
    private final List<DhcpTransport> transports = new ArrayList<>();

    /** A fresh wire for one test. */
    protected abstract W newWire() throws Exception;

    /** A new transport attached to {@code wire}, not yet started. The contract closes it. */
    protected abstract DhcpTransport newTransport(W wire) throws Exception;

    @BeforeEach
    final void attachWire() throws Exception {
        wire = newWire();
    }

    @AfterEach
    final void closeTransportsAndWire() throws Exception {
        transports.forEach(DhcpTransport::close);
        wire.close();
    }

    /** The wire of the running test. */
    protected final W wire() {
        return wire;
    }

    @Test
    @DisplayName("a received datagram reaches the handler with its payload intact")
    void receivedDatagramReachesTheHandler() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        started(handler);

        wire.inject(bytes("DISCOVER-1"));

        assertArrayEquals(bytes("DISCOVER-1"), handler.next().payload());
    }

    @Test
    @DisplayName("each datagram keeps its own payload: a later one does not overwrite an earlier one")
    void eachDatagramOwnsItsPayload() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        started(handler);
        byte[] large = new byte[600];
        large[0] = 1;
        large[599] = 9;
        byte[] small = bytes("short");
        byte[] medium = bytes("a medium-sized payload");

        wire.inject(large);
        wire.inject(small);
        wire.inject(medium);

        List<byte[]> received = List.of(handler.next().payload(), handler.next().payload(), handler.next().payload());
        // A transport need not keep the order of the network; each payload must be whole.
        assertTrue(received.stream().anyMatch(payload -> Arrays.equals(large, payload)),
                "the 600-byte payload arrived intact");
        assertTrue(received.stream().anyMatch(payload -> Arrays.equals(small, payload)),
                "the short payload arrived intact");
        assertTrue(received.stream().anyMatch(payload -> Arrays.equals(medium, payload)),
                "the medium payload arrived intact");
    }

    @Test
    @DisplayName("a handler that throws does not stop the transport receiving")
    void receivingSurvivesAHandlerThatThrows() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        started(datagram -> {
            if (new String(datagram.payload(), StandardCharsets.US_ASCII).equals("boom")) {
                throw new IllegalStateException("a handler bug, provoked by the transport contract");
            }
            handler.handle(datagram);
        });

        wire.inject(bytes("boom"));
        wire.inject(bytes("after"));

        assertArrayEquals(bytes("after"), handler.next().payload());
    }

    @Test
    @DisplayName("a reply sent after start reaches the network")
    void sendAfterStartDelivers() throws Exception {
        DhcpTransport transport = started(new RecordingHandler());

        transport.send(bytes("OFFER-1"), wire.replyDelivery(), wire.replyInterface());

        assertArrayEquals(bytes("OFFER-1"), sent());
    }

    @Test
    @DisplayName("replies sent from many threads at once all arrive")
    void sendsFromManyThreadsAllArrive() throws Exception {
        DhcpTransport transport = started(new RecordingHandler());
        int threads = 4;
        int perThread = 25;
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            senders.add(new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    transport.send(bytes(id + "-" + i), wire.replyDelivery(), wire.replyInterface());
                }
            }, "contract-sender-" + t));
        }

        senders.forEach(Thread::start);
        for (Thread sender : senders) {
            sender.join(TIMEOUT.toMillis());
            assertFalse(sender.isAlive(), "a sending thread is stuck in send()");
        }

        Set<String> received = new HashSet<>();
        for (int i = 0; i < threads * perThread; i++) {
            received.add(new String(sent(), StandardCharsets.US_ASCII));
        }
        assertEquals(threads * perThread, received.size(), "distinct replies received");
    }

    @Test
    @DisplayName("a second start is refused, and the first handler keeps receiving")
    void startingTwiceIsRefused() throws Exception {
        RecordingHandler first = new RecordingHandler();
        RecordingHandler second = new RecordingHandler();
        DhcpTransport transport = started(first);

        assertThrows(IllegalStateException.class, () -> transport.start(second));

        wire.inject(bytes("still-first"));
        assertArrayEquals(bytes("still-first"), first.next().payload());
        assertEquals(0, second.calls(), "the refused handler got nothing");
    }

    @Test
    @DisplayName("after close no call reaches the handler")
    void noHandlerCallAfterClose() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        DhcpTransport transport = started(handler);
        wire.inject(bytes("before"));
        handler.next();

        transport.close();
        int callsAtClose = handler.calls();
        wire.inject(bytes("after-close"));

        assertTrue(handler.nothingWithin(QUIET), "a datagram reached the handler after close()");
        assertEquals(callsAtClose, handler.calls(), "handler calls after close()");
    }

    @Test
    @DisplayName("close is idempotent")
    void closeIsIdempotent() throws Exception {
        DhcpTransport transport = started(new RecordingHandler());

        transport.close();

        assertDoesNotThrow(transport::close);
    }

    @Test
    @DisplayName("close before start is harmless")
    void closeBeforeStartIsHarmless() throws Exception {
        DhcpTransport transport = create();

        assertDoesNotThrow(transport::close);
        assertDoesNotThrow(transport::close);
    }

    @Test
    @DisplayName("describe() names the transport once it is started")
    void describeIsNotEmptyAfterStart() throws Exception {
        DhcpTransport transport = started(new RecordingHandler());

        String description = transport.describe();

        assertNotNull(description, "describe()");
        assertFalse(description.isBlank(), "describe() is blank");
    }

    /** Builds a transport on the wire; the contract closes it after the test. */
    protected final DhcpTransport create() throws Exception {
        DhcpTransport transport = newTransport(wire);
        transports.add(transport);
        return transport;
    }

    /** Builds and starts a transport on the wire with {@code handler}. */
    protected final DhcpTransport started(DhcpHandler handler) throws Exception {
        DhcpTransport transport = create();
        transport.start(handler);
        return transport;
    }

    private byte[] sent() throws Exception {
        Optional<byte[]> payload = wire.nextSent(TIMEOUT);
        assertTrue(payload.isPresent(), "nothing the transport sent reached the wire within " + TIMEOUT.toMillis() + " ms");
        return payload.get();
    }

    /** {@code text} in ASCII. */
    protected static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Collects what a transport delivers, and lets a test wait for it. Thread-safe. */
    public static final class RecordingHandler implements DhcpHandler {
        private final BlockingQueue<Datagram> received = new LinkedBlockingQueue<>();
        private final AtomicInteger calls = new AtomicInteger();

        /** A handler that has received nothing yet. */
        public RecordingHandler() {
        }

        @Override
        public void handle(Datagram datagram) {
            calls.incrementAndGet();
            received.add(datagram);
        }

        /** How many times the transport called {@link #handle}. */
        public int calls() {
            return calls.get();
        }

        /** The next datagram delivered, waiting up to {@link #TIMEOUT} for it; fails the test if none came. */
        public Datagram next() throws InterruptedException {
            Datagram datagram = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(datagram, "nothing reached the handler within " + TIMEOUT.toMillis() + " ms");
            return datagram;
        }

        /** True if no datagram beyond those taken arrives within {@code quiet}. */
        public boolean nothingWithin(Duration quiet) throws InterruptedException {
            return received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS) == null;
        }
    }
}
