package dev.dhcpcluster.adapter.tcppeer;

import static org.junit.jupiter.api.Assertions.fail;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerRefusal;
import dev.dhcpcluster.port.telemetry.PeerEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The peer events a transport reports, recorded for assertions: what an operator sees in the log and metrics. */
final class RecordingPeerEvents implements PeerEvents {

    /** One {@link #peerRefused} call. */
    record Refusal(PeerRefusal reason, String remote, String detail) {
    }

    private final List<Refusal> refusals = new ArrayList<>();
    private final List<NodeId> connected = new ArrayList<>();
    private final List<String> disconnected = new ArrayList<>();

    @Override
    public synchronized void peerRefused(PeerRefusal reason, String remote, String detail) {
        refusals.add(new Refusal(reason, remote, detail));
        notifyAll();
    }

    @Override
    public synchronized void peerConnected(NodeId peer) {
        connected.add(peer);
        notifyAll();
    }

    @Override
    public synchronized void peerDisconnected(NodeId peer, String reason) {
        disconnected.add(peer + ": " + reason);
        notifyAll();
    }

    synchronized List<Refusal> refusals() {
        return List.copyOf(refusals);
    }

    synchronized long count(PeerRefusal reason) {
        return refusals.stream().filter(r -> r.reason() == reason).count();
    }

    synchronized List<NodeId> connected() {
        return List.copyOf(connected);
    }

    synchronized List<String> disconnected() {
        return List.copyOf(disconnected);
    }

    /** Waits for a refusal that matches, and returns it. */
    synchronized Refusal awaitRefusal(Predicate<Refusal> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            for (Refusal refusal : refusals) {
                if (wanted.test(refusal)) {
                    return refusal;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("no refusal within 10 s: " + what + "; refusals so far: " + refusals);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits for a refusal for {@code reason}, and returns it. */
    Refusal awaitRefusal(PeerRefusal reason) throws InterruptedException {
        return awaitRefusal(r -> r.reason() == reason, reason.name());
    }
}
