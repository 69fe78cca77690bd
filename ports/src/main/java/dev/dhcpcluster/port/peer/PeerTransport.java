package dev.dhcpcluster.port.peer;

import dev.dhcpcluster.port.model.NodeId;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.List;
import java.util.Set;

/**
 * Outbound port: carries {@link PeerMessage}s between the nodes of one cluster.
 *
 * <h2>What a transport promises</h2>
 * A transport knows the configured members of the cluster and keeps one authenticated connection
 * to each that is reachable, reconnecting by itself after a failure. Delivery is best effort:
 * a message to a peer that is not connected, or whose outgoing queue is full, is dropped, because
 * the cluster's state machines resend what matters on their own timers. Messages to one peer that
 * are delivered arrive in the order they were sent, each once. A transport never delivers a
 * message whose sender it has not authenticated, and tells its {@link PeerHandler} when a peer
 * connects and disconnects.
 *
 * <h2>Observers</h2>
 * Besides the members, a transport may accept <em>observers</em>: processes that prove they hold
 * the cluster secret but are no member (a relay agent that routes each client to the node serving
 * it). An observer is never in {@link #connected()}, never reported to the {@link PeerHandler},
 * never receives what {@link #send} and {@link #sendToAll} queue, and counts in no majority; it
 * receives only what {@link #sendToObservers} queues. A transport without observers ignores that
 * call, which is what the default does.
 *
 * <h2>Life cycle</h2>
 * {@link #start} begins listening and dialing and returns once the transport listens; peers
 * connect later, each reported through {@link PeerHandler#connected}. {@link #close} closes every
 * connection and returns once the transport's threads have ended; after it no call reaches the
 * handler. A transport is started at most once.
 *
 * <h2>Threads</h2>
 * Every method may be called from any thread. {@link #send} and {@link #sendToAll} never block
 * on the network: they queue the message and return.
 *
 * <h2>Errors</h2>
 * A failure to listen is thrown from {@link #start}. Nothing a peer sends, and no failure of one
 * connection, is thrown to the caller: the transport closes that connection, logs why through the
 * node's telemetry, and reconnects.
 */
public interface PeerTransport extends AutoCloseable {

    /**
     * Begins listening for peers and dialing them; returns once it listens.
     *
     * @throws IOException if the listening address cannot be bound
     * @throws IllegalStateException if called twice
     */
    void start(PeerHandler handler) throws IOException;

    /** Queues {@code message} for {@code peer}; dropped if that peer is not connected. */
    void send(NodeId peer, PeerMessage message);

    /** Queues {@code message} for every connected peer. */
    void sendToAll(PeerMessage message);

    /**
     * Queues {@code message} (a {@link PeerMessage.ObserverView} from this node) for every observer
     * connected now; a transport that accepts no observers drops it, as the default does. Like
     * {@link #sendToAll}, it never blocks on the network.
     */
    default void sendToObservers(PeerMessage message) {
    }

    /** The peers connected and authenticated now; never an observer. */
    Set<NodeId> connected();

    /**
     * The observers connected and authenticated now, in no particular order; empty for a transport
     * that accepts none, which is what the default says.
     */
    default List<ConnectedObserver> observers() {
        return List.of();
    }

    /**
     * The latest round-trip time measured to {@code peer} on its connection, if it is connected
     * and one has been measured.
     */
    Optional<Duration> roundTrip(NodeId peer);

    /**
     * Closes the connection to {@code peer} because a message it sent breaks the protocol's rules
     * though it decoded (a lease outside every pool, a version from the future): the refusal is
     * reported as {@link PeerRefusal#INVALID_MESSAGE} with {@code reason}, and the peer is dialed
     * again later, as after any lost connection. Nothing happens if it is not connected.
     */
    void disconnect(NodeId peer, String reason);

    /**
     * Where the other nodes reach this one, spelled as a peer's address is in a node file
     * ({@code cluster.peers[].address}); for a transport that listens on a port chosen at start,
     * as bound. Empty for a transport that has no address of its own (a message bus), which is
     * what the default says. Called after {@link #start}, for the log and {@code /status}.
     */
    default Optional<String> listenAddress() {
        return Optional.empty();
    }

    /**
     * The largest message, encoded, that the transport carries; a larger one is dropped. The
     * leader offers its configuration to the members only if it fits. The default sets no bound.
     */
    default int maxMessageBytes() {
        return Integer.MAX_VALUE;
    }

    /** Closes every connection and stops listening. Idempotent. */
    @Override
    void close();
}
