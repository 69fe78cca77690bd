package dev.dhcpcluster.port.peer;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link PeerTransport}: every transport runs these tests through a subclass that
 * says how to build the transports of one cluster.
 *
 * <p>Delivery is asynchronous, so the tests wait for what they expect, for at most
 * {@link #TIMEOUT}, by polling; they never sleep for a fixed time. A test that shows something did
 * <em>not</em> happen waits for a later event that must come after it on the same connection.
 */
public abstract class AbstractPeerTransportTest {

    /** How long a test waits for something it expects; generous, since builds share their machine. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(10);

    protected static final NodeId ONE = new NodeId(1);
    protected static final NodeId TWO = new NodeId(2);
    protected static final NodeId THREE = new NodeId(3);

    private final List<PeerTransport> made = new ArrayList<>();

    /** Builds the transports of the members of one cluster. */
    @FunctionalInterface
    protected interface Cluster {

        /**
         * A new, unstarted transport for {@code node}, which knows every other member of the
         * cluster. Called again for a node whose earlier transport was closed, it makes the
         * transport of that node restarted (same identity, same address).
         */
        PeerTransport newTransport(NodeId node) throws Exception;
    }

    /** The factory for a cluster of {@code members}, each knowing all the others. */
    protected abstract Cluster newCluster(Set<NodeId> members) throws Exception;

    @AfterEach
    void closeEveryTransport() {
        made.forEach(PeerTransport::close);
    }

    @Test
    @DisplayName("every kind of message arrives intact, naming its sender, both ways")
    void everyKindArrivesIntact() throws Exception {
        Cluster cluster = cluster(ONE, TWO);
        RecordingPeerHandler atOne = new RecordingPeerHandler();
        RecordingPeerHandler atTwo = new RecordingPeerHandler();
        PeerTransport one = started(cluster, ONE, atOne);
        PeerTransport two = started(cluster, TWO, atTwo);
        atOne.awaitConnected(TWO);
        atTwo.awaitConnected(ONE);

        List<PeerMessage> fromOne = everyKind(ONE, TWO);
        List<PeerMessage> fromTwo = everyKind(TWO, ONE);
        fromOne.forEach(message -> one.send(TWO, message));
        fromTwo.forEach(message -> two.send(ONE, message));

        assertEquals(fromOne, atTwo.awaitMessages(fromOne.size()));
        assertEquals(fromTwo, atOne.awaitMessages(fromTwo.size()));
    }

    @Test
    @DisplayName("both sides see the other connected, once, and list it as connected")
    void bothSidesSeeConnected() throws Exception {
        Cluster cluster = cluster(ONE, TWO);
        RecordingPeerHandler atOne = new RecordingPeerHandler();
        RecordingPeerHandler atTwo = new RecordingPeerHandler();
        PeerTransport one = started(cluster, ONE, atOne);
        PeerTransport two = started(cluster, TWO, atTwo);

        atOne.awaitConnected(TWO);
        atTwo.awaitConnected(ONE);
        awaitTrue(() -> one.connected().equals(Set.of(TWO)) && two.connected().equals(Set.of(ONE)),
                "both transports list the other as connected");
        // A message sent now goes after any further connect event, so its arrival bounds the wait.
        one.send(TWO, new PeerMessage.Election(ONE, 1));
        two.send(ONE, new PeerMessage.Election(TWO, 1));
        atOne.awaitMessages(1);
        atTwo.awaitMessages(1);
        assertEquals(List.of(RecordingPeerHandler.connectedCall(TWO), RecordingPeerHandler.receivedCall(new PeerMessage.Election(TWO, 1))),
                atOne.calls());
        assertEquals(List.of(RecordingPeerHandler.connectedCall(ONE), RecordingPeerHandler.receivedCall(new PeerMessage.Election(ONE, 1))),
                atTwo.calls());
    }

    @Test
    @DisplayName("messages to one peer arrive in the order they were sent")
    void orderPerPeerIsKept() throws Exception {
        Cluster cluster = cluster(ONE, TWO);
        RecordingPeerHandler atTwo = new RecordingPeerHandler();
        PeerTransport one = started(cluster, ONE, new RecordingPeerHandler());
        started(cluster, TWO, atTwo);
        awaitTrue(() -> one.connected().contains(TWO), "node 1 connected to node 2");

        List<PeerMessage> sent = new ArrayList<>();
        for (int epoch = 1; epoch <= 200; epoch++) {
            PeerMessage message = new PeerMessage.Coordinator(ONE, epoch);
            sent.add(message);
            one.send(TWO, message);
        }

        assertEquals(sent, atTwo.awaitMessages(sent.size()));
    }

    @Test
    @DisplayName("sendToAll reaches every connected peer")
    void sendToAllReachesEveryConnectedPeer() throws Exception {
        Cluster cluster = cluster(ONE, TWO, THREE);
        RecordingPeerHandler atTwo = new RecordingPeerHandler();
        RecordingPeerHandler atThree = new RecordingPeerHandler();
        PeerTransport one = started(cluster, ONE, new RecordingPeerHandler());
        started(cluster, TWO, atTwo);
        started(cluster, THREE, atThree);
        awaitTrue(() -> one.connected().equals(Set.of(TWO, THREE)), "node 1 connected to nodes 2 and 3");

        PeerMessage heartbeat = new PeerMessage.Heartbeat(ONE, 4, Optional.of(ONE), true);
        one.sendToAll(heartbeat);

        assertEquals(List.of(heartbeat), atTwo.awaitMessages(1));
        assertEquals(List.of(heartbeat), atThree.awaitMessages(1));
    }

    @Test
    @DisplayName("a message to a peer that is not connected is dropped without an error, not delivered later")
    void sendToUnconnectedPeerIsDropped() throws Exception {
        Cluster cluster = cluster(ONE, TWO);
        PeerTransport one = started(cluster, ONE, new RecordingPeerHandler());

        assertDoesNotThrow(() -> one.send(TWO, new PeerMessage.Election(ONE, 7)));
        assertDoesNotThrow(() -> one.sendToAll(new PeerMessage.Election(ONE, 8)));
        assertEquals(Set.of(), one.connected());
        assertEquals(Optional.empty(), one.roundTrip(TWO));

        RecordingPeerHandler atTwo = new RecordingPeerHandler();
        started(cluster, TWO, atTwo);
        awaitTrue(() -> one.connected().contains(TWO), "node 1 connected to node 2");
        PeerMessage marker = new PeerMessage.Answer(ONE, 9);
        one.send(TWO, marker);

        assertEquals(List.of(marker), atTwo.awaitMessages(1), "only what was sent while connected arrives");
    }

    @Test
    @DisplayName("a peer that closes is seen disconnected, and connected again once restarted")
    void closeIsSeenAndRestartReconnects() throws Exception {
        Cluster cluster = cluster(ONE, TWO);
        RecordingPeerHandler atOne = new RecordingPeerHandler();
        PeerTransport one = started(cluster, ONE, atOne);
        PeerTransport two = started(cluster, TWO, new RecordingPeerHandler());
        atOne.awaitConnected(TWO);

        two.close();

        atOne.await(RecordingPeerHandler.disconnectedCall(TWO)::equals, "node 1 sees node 2 disconnected");
        awaitTrue(() -> one.connected().isEmpty(), "node 1 lists no peer");

        RecordingPeerHandler atTwoAgain = new RecordingPeerHandler();
        PeerTransport restarted = started(cluster, TWO, atTwoAgain);
        atTwoAgain.awaitConnected(ONE);
        awaitTrue(() -> atOne.calls().stream().filter(RecordingPeerHandler.connectedCall(TWO)::equals).count() == 2,
                "node 1 sees node 2 connected a second time");
        restarted.send(ONE, new PeerMessage.Election(TWO, 3));
        one.send(TWO, new PeerMessage.Answer(ONE, 3));
        atOne.await(RecordingPeerHandler.receivedCall(new PeerMessage.Election(TWO, 3))::equals, "node 1 hears the restarted node");
        assertEquals(List.of(new PeerMessage.Answer(ONE, 3)), atTwoAgain.awaitMessages(1));
        assertEquals(List.of(RecordingPeerHandler.connectedCall(TWO), RecordingPeerHandler.disconnectedCall(TWO),
                RecordingPeerHandler.connectedCall(TWO), RecordingPeerHandler.receivedCall(new PeerMessage.Election(TWO, 3))),
                atOne.calls(), "node 1's handler calls for node 2, in order");
    }

    @Test
    @DisplayName("a peer disconnected for an invalid message is seen disconnected on both sides, then connects again")
    void disconnectDropsTheLinkUntilItIsRedialed() throws Exception {
        Cluster cluster = cluster(ONE, TWO);
        RecordingPeerHandler atOne = new RecordingPeerHandler();
        RecordingPeerHandler atTwo = new RecordingPeerHandler();
        PeerTransport one = started(cluster, ONE, atOne);
        started(cluster, TWO, atTwo);
        atOne.awaitConnected(TWO);
        atTwo.awaitConnected(ONE);

        one.disconnect(TWO, "a lease outside every pool");
        one.disconnect(THREE, "not connected: nothing happens");

        atOne.await(RecordingPeerHandler.disconnectedCall(TWO)::equals, "node 1 sees node 2 disconnected");
        atTwo.await(RecordingPeerHandler.disconnectedCall(ONE)::equals, "node 2 sees node 1 disconnected");
        awaitTrue(() -> atOne.calls().stream().filter(RecordingPeerHandler.connectedCall(TWO)::equals).count() == 2,
                "the link comes back, as after any lost connection");
    }

    @Test
    @DisplayName("starting a transport twice is refused, and the first handler keeps receiving")
    void startingTwiceIsRefused() throws Exception {
        Cluster cluster = cluster(ONE, TWO);
        RecordingPeerHandler first = new RecordingPeerHandler();
        RecordingPeerHandler second = new RecordingPeerHandler();
        PeerTransport one = started(cluster, ONE, first);

        assertThrows(IllegalStateException.class, () -> one.start(second));

        PeerTransport two = started(cluster, TWO, new RecordingPeerHandler());
        awaitTrue(() -> two.connected().contains(ONE), "node 2 connected to node 1");
        two.send(ONE, new PeerMessage.Election(TWO, 1));
        assertEquals(List.of(new PeerMessage.Election(TWO, 1)), first.awaitMessages(1));
        assertEquals(List.of(), second.calls(), "the refused handler got nothing");
    }

    @Test
    @DisplayName("after close no call reaches the handler, and the peer sees the node gone")
    void noHandlerCallAfterClose() throws Exception {
        Cluster cluster = cluster(ONE, TWO);
        RecordingPeerHandler atOne = new RecordingPeerHandler();
        RecordingPeerHandler atTwo = new RecordingPeerHandler();
        PeerTransport one = started(cluster, ONE, atOne);
        PeerTransport two = started(cluster, TWO, atTwo);
        atOne.awaitConnected(TWO);
        atTwo.awaitConnected(ONE);

        one.close();
        List<RecordingPeerHandler.Call> before = atOne.calls();
        for (int i = 0; i < 50; i++) {
            two.send(ONE, new PeerMessage.Election(TWO, i));
        }
        atTwo.await(RecordingPeerHandler.disconnectedCall(ONE)::equals, "node 2 sees node 1 disconnected");
        awaitTrue(() -> two.connected().isEmpty(), "node 2 lists no peer");

        assertEquals(before, atOne.calls(), "no handler call after close() returned");
        assertDoesNotThrow(one::close, "close is idempotent");
        assertDoesNotThrow(() -> one.send(TWO, new PeerMessage.Election(ONE, 1)), "a send after close is dropped");
    }

    @Test
    @DisplayName("closing a transport that never started is harmless")
    void closeBeforeStartIsHarmless() throws Exception {
        PeerTransport one = cluster(ONE, TWO).newTransport(ONE);
        made.add(one);

        assertDoesNotThrow(one::close);
        assertDoesNotThrow(one::close);
    }

    @Test
    @DisplayName("a handler that throws does not stop delivery")
    void handlerThatThrowsDoesNotStopDelivery() throws Exception {
        Cluster cluster = cluster(ONE, TWO);
        RecordingPeerHandler atTwo = new RecordingPeerHandler();
        PeerTransport one = started(cluster, ONE, new RecordingPeerHandler());
        started(cluster, TWO, new PeerHandler() {
            @Override
            public void received(PeerMessage message) {
                if (message.epoch() == 13) {
                    throw new IllegalStateException("a handler bug, provoked by the test");
                }
                atTwo.received(message);
            }

            @Override
            public void connected(NodeId peer) {
                atTwo.connected(peer);
            }

            @Override
            public void disconnected(NodeId peer) {
                atTwo.disconnected(peer);
            }
        });
        awaitTrue(() -> one.connected().contains(TWO), "node 1 connected to node 2");

        one.send(TWO, new PeerMessage.Election(ONE, 13));
        one.send(TWO, new PeerMessage.Election(ONE, 14));

        assertEquals(List.of(new PeerMessage.Election(ONE, 14)), atTwo.awaitMessages(1));
        assertEquals(Set.of(TWO), one.connected(), "the connection survived the handler's exception");
    }

    /** One message of every kind from {@code from}, including both forms of a heartbeat. */
    protected static List<PeerMessage> everyKind(NodeId from, NodeId other) {
        return List.of(
                new PeerMessage.Election(from, 0),
                new PeerMessage.Answer(from, 5),
                new PeerMessage.Coordinator(from, Long.MAX_VALUE),
                new PeerMessage.Acknowledge(from, 6, other),
                new PeerMessage.Heartbeat(from, 0, Optional.empty(), false),
                new PeerMessage.Heartbeat(from, 7, Optional.of(other), false),
                new PeerMessage.Heartbeat(from, 8, Optional.of(from), true));
    }

    /** The cluster of {@code members}; every transport it makes is closed after the test. */
    protected final Cluster cluster(NodeId... members) throws Exception {
        Cluster cluster = newCluster(Set.of(members));
        return node -> {
            PeerTransport transport = cluster.newTransport(node);
            made.add(transport);
            return transport;
        };
    }

    /** A started transport for {@code node} of {@code cluster}. */
    protected static PeerTransport started(Cluster cluster, NodeId node, PeerHandler handler) throws Exception {
        PeerTransport transport = cluster.newTransport(node);
        transport.start(handler);
        return transport;
    }

    /** Waits until {@code condition} holds, for at most {@link #TIMEOUT}. */
    protected static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("not within " + TIMEOUT.toMillis() + " ms: " + what);
            }
            Thread.sleep(5);
        }
    }

    /** Records every call a transport makes, in order, and lets a test wait for them. */
    public static final class RecordingPeerHandler implements PeerHandler {

        /** One handler call: its kind, the peer, and the message for {@code received}. */
        public record Call(String kind, NodeId peer, PeerMessage message) {
        }

        private final List<Call> calls = new ArrayList<>();

        /** A handler that has been called for nothing yet. */
        public RecordingPeerHandler() {
        }

        public static Call connectedCall(NodeId peer) {
            return new Call("connected", peer, null);
        }

        public static Call disconnectedCall(NodeId peer) {
            return new Call("disconnected", peer, null);
        }

        public static Call receivedCall(PeerMessage message) {
            return new Call("received", message.from(), message);
        }

        @Override
        public synchronized void received(PeerMessage message) {
            calls.add(receivedCall(message));
            notifyAll();
        }

        @Override
        public synchronized void connected(NodeId peer) {
            calls.add(connectedCall(peer));
            notifyAll();
        }

        @Override
        public synchronized void disconnected(NodeId peer) {
            calls.add(disconnectedCall(peer));
            notifyAll();
        }

        /** Every call so far, in order. */
        public synchronized List<Call> calls() {
            return List.copyOf(calls);
        }

        /** The messages received so far, in order. */
        public synchronized List<PeerMessage> messages() {
            return calls.stream().filter(call -> call.message() != null).map(Call::message).toList();
        }

        /** Waits for {@code count} messages, and returns the messages received by then. */
        public synchronized List<PeerMessage> awaitMessages(int count) throws InterruptedException {
            awaitLocked(() -> messages().size() >= count, count + " messages received");
            return messages();
        }

        /** Waits for {@code peer} to be reported connected. */
        public void awaitConnected(NodeId peer) throws InterruptedException {
            await(connectedCall(peer)::equals, peer + " reported connected");
        }

        /** Waits for a call that matches {@code wanted}. */
        public synchronized void await(Predicate<Call> wanted, String what) throws InterruptedException {
            awaitLocked(() -> calls.stream().anyMatch(wanted), what);
        }

        private void awaitLocked(BooleanSupplier condition, String what) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("not within " + TIMEOUT.toMillis() + " ms: " + what + "; calls so far: " + calls);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
    }
}
