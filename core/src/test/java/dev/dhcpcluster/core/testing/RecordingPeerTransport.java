package dev.dhcpcluster.core.testing;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link PeerTransport} that delivers nothing and remembers what it was asked to send, in
 * order. Each send is also told to an optional log, so that a test can see it in order with other
 * effects (a vote saved, say). Not thread-safe: tests drive it from one thread.
 */
public final class RecordingPeerTransport implements PeerTransport {

    /** One message handed to the transport: for {@code to}, or for every peer when {@code to} is empty. */
    public record Sent(Optional<NodeId> to, PeerMessage message) {
        @Override
        public String toString() {
            return "send " + message + " to " + to.map(NodeId::toString).orElse("all");
        }
    }

    private final List<Sent> sent = new ArrayList<>();
    private final Consumer<Object> log;

    private final List<NodeId> disconnected = new ArrayList<>();

    public RecordingPeerTransport() {
        this(entry -> { });
    }

    /** A transport that also tells {@code log} of each send. */
    public RecordingPeerTransport(Consumer<Object> log) {
        this.log = log;
    }

    @Override
    public void start(PeerHandler handler) {
    }

    @Override
    public void send(NodeId peer, PeerMessage message) {
        record(new Sent(Optional.of(peer), message));
    }

    @Override
    public void sendToAll(PeerMessage message) {
        record(new Sent(Optional.empty(), message));
    }

    private void record(Sent entry) {
        sent.add(entry);
        log.accept(entry);
    }

    @Override
    public Set<NodeId> connected() {
        return Set.of();
    }

    @Override
    public void disconnect(NodeId peer, String reason) {
        disconnected.add(peer);
    }

    /** The peers disconnected so far, in order, one entry per call. */
    public List<NodeId> disconnected() {
        return List.copyOf(disconnected);
    }

    @Override
    public Optional<Duration> roundTrip(NodeId peer) {
        return Optional.empty();
    }

    @Override
    public void close() {
    }

    /** Everything sent so far. */
    public List<Sent> sent() {
        return List.copyOf(sent);
    }

    /** The messages of one kind sent so far, in order. */
    public <T extends PeerMessage> List<T> sent(Class<T> kind) {
        return sent.stream().map(Sent::message).filter(kind::isInstance).map(kind::cast).toList();
    }

    /** Forgets what was sent. */
    public void clear() {
        sent.clear();
    }
}
