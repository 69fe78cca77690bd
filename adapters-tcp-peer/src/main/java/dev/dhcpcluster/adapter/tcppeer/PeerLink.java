package dev.dhcpcluster.adapter.tcppeer;

import dev.dhcpcluster.port.model.NodeId;
import java.net.InetSocketAddress;

/**
 * What the transport knows of one configured peer: where to dial it, and the one connection it
 * uses now. Fields are guarded by the link's monitor, which also orders the handler's
 * {@code connected} and {@code disconnected} calls for the peer: a new connection becomes active
 * only after the old one was reported gone.
 */
final class PeerLink {

    final NodeId id;
    final InetSocketAddress address;

    /** The established connection, or null; at most one at any time. */
    private Connection active;

    /** Whether {@link #active} has been reported connected. */
    private boolean announced;

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
        announced = false;
        return true;
    }

    /** Marks {@code connection} reported, if it is still the active one; runs {@code report} under the monitor. */
    synchronized void announce(Connection connection, Runnable report) {
        if (active == connection) {
            announced = true;
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
            if (announced) {
                announced = false;
                report.run();
            }
            notifyAll();
        }
    }

    /** The active connection, or null. */
    synchronized Connection active() {
        return active;
    }

    /** The active connection if it was reported connected, or null. */
    synchronized Connection announced() {
        return announced ? active : null;
    }

    /** Waits while a connection is active, or until woken; returns true if it waited at all. */
    synchronized boolean awaitInactive(java.util.function.BooleanSupplier closing) throws InterruptedException {
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
