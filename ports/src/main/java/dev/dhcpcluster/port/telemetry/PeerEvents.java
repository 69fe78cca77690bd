package dev.dhcpcluster.port.telemetry;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerRefusal;

/**
 * Outbound port: what happened between this node and its peers, for metrics and logs: the
 * election's steps, reported by the application, and the connections, reported by a peer
 * transport. Every method ignores its event by default.
 *
 * <h2>Threads</h2>
 * {@link #election} is called on the application thread. The connection methods
 * ({@link #peerConnected}, {@link #peerDisconnected}, {@link #peerRefused}) are called on a peer
 * transport's threads, possibly several at once, so an implementation must be thread-safe. All
 * must return quickly and must not block on I/O.
 */
public interface PeerEvents {

    /** A step of this node's election. Called on the application thread. */
    default void election(ElectionEvent event) {
    }

    /** A peer proved it belongs to the cluster and is connected. Called on a transport thread. */
    default void peerConnected(NodeId peer) {
    }

    /**
     * The connection to a peer ended. Called on a transport thread.
     *
     * @param reason why, in words, for the log
     */
    default void peerDisconnected(NodeId peer, String reason) {
    }

    /**
     * A would-be peer was refused, or a peer's connection closed for what it sent. Called on a
     * transport thread.
     *
     * @param reason the kind of refusal, for the count
     * @param remote who was refused: the address, and the node id it claimed if it got that far
     * @param detail why, in words, for the log; it may quote what the remote sent, so an
     *     implementation that prints it must escape it first
     */
    default void peerRefused(PeerRefusal reason, String remote, String detail) {
    }
}
