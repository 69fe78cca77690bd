package dev.dhcpcluster.port.peer;

import dev.dhcpcluster.port.model.NodeId;

/**
 * Inbound port: receives what a {@link PeerTransport} learns from the other nodes.
 *
 * <p>Implemented by the application (the cluster's state machines). A transport calls it from its
 * own threads, possibly from several at once, and must keep running whatever the handler does; the
 * runtime wraps an implementation that is not thread-safe so that calls reach it on one thread.
 * Methods must return quickly and must not throw: an exception that escapes is a bug, which the
 * transport logs before it goes on.
 *
 * <p>For one peer, calls arrive in order: {@link #connected}, then its messages in the order that
 * peer sent them, then {@link #disconnected}; a peer that reconnects starts over with
 * {@link #connected}. Nothing is promised about the order of calls for different peers.
 */
public interface PeerHandler {

    /**
     * One message from an authenticated peer: {@link PeerMessage#from()} is the node the transport
     * proved it talks to.
     */
    void received(PeerMessage message);

    /** {@code peer} proved it belongs to the cluster; messages to it can be delivered from now on. */
    void connected(NodeId peer);

    /**
     * The connection to {@code peer} ended (it closed, failed, or stopped answering); messages to
     * it are dropped until it connects again.
     */
    void disconnected(NodeId peer);
}
