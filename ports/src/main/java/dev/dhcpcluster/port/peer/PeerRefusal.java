package dev.dhcpcluster.port.peer;

/**
 * Why a transport refused a connection from or to a would-be peer, or closed one. Each refusal is
 * reported once, with a detail for the log, and counted by reason.
 */
public enum PeerRefusal {
    /** The peer could not prove it holds the cluster secret (its handshake proof did not verify). */
    WRONG_SECRET,
    /** The peer named a node id that is not a configured member, or named this node's own id. */
    UNKNOWN_NODE,
    /** The peer is already connected, and the rule for two connections between one pair kept the other. */
    ALREADY_CONNECTED,
    /** The peer belongs to a cluster of another name. */
    CLUSTER_MISMATCH,
    /** The peer speaks another version of the peer protocol. */
    VERSION_MISMATCH,
    /** A frame could not be decoded, or was not what the protocol expects at that point. */
    MALFORMED_FRAME,
    /**
     * A message decoded but broke the protocol's rules (a lease outside every pool this node
     * serves, a version of an epoch no node has reached): the node that received it closed the
     * connection, changing nothing.
     */
    INVALID_MESSAGE,
    /** A frame's length prefix is above the configured maximum; the connection was closed before reading it. */
    OVERSIZED_FRAME,
    /** The handshake did not finish within its timeout. */
    HANDSHAKE_TIMEOUT,
    /** The TLS handshake failed (certificate not trusted, protocol mismatch). */
    TLS_FAILURE,
    /** The node has as many handshakes in progress as it accepts at once. */
    TOO_MANY_HANDSHAKES,
    /** An observer connected while this node had as many observers connected as it accepts. */
    TOO_MANY_OBSERVERS,
    /**
     * An observer sent something other than a ping or pong: it watches the cluster and may say
     * nothing to it. Its connection was closed.
     */
    OBSERVER_SPOKE
}
