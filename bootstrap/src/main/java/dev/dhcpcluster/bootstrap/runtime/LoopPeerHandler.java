package dev.dhcpcluster.bootstrap.runtime;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A {@link PeerHandler} for a transport's threads that hands every call to a handler that is not
 * thread-safe (the election) on the event loop, in the priority lane: a peer's message never
 * waits behind a flood of DHCP datagrams. Calls keep their order, as the port promises, since the
 * loop runs its tasks in the order they were posted.
 *
 * <p>Calls wait in an inbox that one task on the loop drains (up to {@value #TURN} calls a turn,
 * then it posts itself again behind whatever else waits): a burst of frames from the peers costs
 * the loop one task and one wake-up, not one per message.
 *
 * <p>Calls that arrive before {@link #open} (a peer that connects while the election is still
 * being started) are kept, on the loop, and handed over in order when it opens.
 */
final class LoopPeerHandler implements PeerHandler {

    /** The most calls one task of the loop hands over before it lets other tasks run. */
    static final int TURN = 256;

    private final EventLoop loop;
    private final PeerHandler target;
    private final Queue<Consumer<PeerHandler>> inbox = new ConcurrentLinkedQueue<>();
    /** True while a drain task is posted and has not started taking calls yet. */
    private final AtomicBoolean drainPosted = new AtomicBoolean();
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
        inbox.add(call);
        if (drainPosted.compareAndSet(false, true)) {
            loop.execute(this::drain);
        }
    }

    /** On the loop: hands over the calls in the inbox, in order, at most {@link #TURN} of them. */
    private void drain() {
        // Cleared before taking, so that a call added from now on either is taken here or posts a drain.
        drainPosted.set(false);
        for (int taken = 0; taken < TURN; taken++) {
            Consumer<PeerHandler> call = inbox.poll();
            if (call == null) {
                return;
            }
            if (open) {
                call.accept(target);
            } else {
                early.add(call);
            }
        }
        if (!inbox.isEmpty() && drainPosted.compareAndSet(false, true)) {
            loop.execute(this::drain);
        }
    }
}
