package dev.dhcpcluster.bootstrap.runtime;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A {@link PeerHandler} for a transport's threads that hands every call to a handler that is not
 * thread-safe (the election) on the event loop, in the priority lane: a peer's message never
 * waits behind a flood of DHCP datagrams. Calls keep their order, as the port promises, since the
 * loop runs its tasks in the order they were posted.
 *
 * <p>Calls that arrive before {@link #open} (a peer that connects while the election is still
 * being started) are kept, on the loop, and handed over in order when it opens.
 */
final class LoopPeerHandler implements PeerHandler {

    private final EventLoop loop;
    private final PeerHandler target;
    /** Touched only on the loop. */
    private final List<Consumer<PeerHandler>> early = new ArrayList<>();
    /** Touched only on the loop. */
    private boolean open;

    LoopPeerHandler(EventLoop loop, PeerHandler target) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.target = Objects.requireNonNull(target, "target");
    }

    @Override
    public void received(PeerMessage message) {
        post(handler -> handler.received(message));
    }

    @Override
    public void connected(NodeId peer) {
        post(handler -> handler.connected(peer));
    }

    @Override
    public void disconnected(NodeId peer) {
        post(handler -> handler.disconnected(peer));
    }

    /** On the loop: from now on calls reach the target; the ones kept so far go first. */
    void open() {
        if (!loop.inLoop()) {
            throw new IllegalStateException("open() runs on the event loop");
        }
        open = true;
        early.forEach(call -> call.accept(target));
        early.clear();
    }

    private void post(Consumer<PeerHandler> call) {
        loop.execute(() -> {
            if (open) {
                call.accept(target);
            } else {
                early.add(call);
            }
        });
    }
}
