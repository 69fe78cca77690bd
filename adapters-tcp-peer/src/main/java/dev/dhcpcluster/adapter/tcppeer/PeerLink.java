package dev.dhcpcluster.adapter.tcppeer;

import dev.dhcpcluster.port.model.NodeId;
import java.net.InetSocketAddress;
import java.util.function.BooleanSupplier;

/**
 * What the transport knows of one configured peer: where to dial it, and the one connection it
 * uses now.
 *
 * <p>Changes happen under the link's monitor, which also orders the handler's {@code connected}
 * and {@code disconnected} calls for the peer: a new connection becomes active only after the old
 * one was reported gone. Reads need no lock, so that {@code send}, called from the application's
 * thread, never waits for a transport thread that is inside the handler.
 */
final class PeerLink {

    final NodeId id;
    final InetSocketAddress address;

    /** The established connection, or null; at most one at any time. */
    private volatile Connection active;

    /** {@link #active} once it has been reported connected, else null. */
    private volatile Connection announced;

    PeerLink(NodeId id, InetSocketAddress address) {
        this.id = id;
        this.address = address;
    }

    /** Makes {@code connection} the active one; false if another already is. */
    synchronized boolean activate(Connection connection) {
        if (active != null) {
            return false;
        }
        active = connection;
        return true;
    }

    /** Marks {@code connection} reported, if it is still the active one; runs {@code report} under the monitor. */
    synchronized void announce(Connection connection, Runnable report) {
        if (active == connection) {
            announced = connection;
            report.run();
        }
    }

    /**
     * Retires {@code connection} if it is the active one, running {@code report} under the monitor
     * if it had been announced, and wakes the dialer.
     */
    synchronized void retire(Connection connection, Runnable report) {
        if (active == connection) {
            active = null;
            if (announced == connection) {
                announced = null;
                report.run();
            }
            notifyAll();
        }
    }

    /** The active connection, or null. */
    Connection active() {
        return active;
    }

    /** The active connection if it was reported connected, or null. */
    Connection announced() {
        return announced;
    }

    /** Waits while a connection is active, or until woken; returns true if it waited at all. */
    synchronized boolean awaitInactive(BooleanSupplier closing) throws InterruptedException {
        boolean waited = false;
        while (active != null && !closing.getAsBoolean()) {
            waited = true;
            wait();
        }
        return waited;
    }

    /** Wakes a dialer waiting in {@link #awaitInactive}. */
    synchronized void wake() {
        notifyAll();
    }
}
