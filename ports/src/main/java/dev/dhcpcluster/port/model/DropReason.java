package dev.dhcpcluster.port.model;

/** Why the server answered a received datagram with silence. Each reason is counted. */
public enum DropReason {
    /**
     * The bytes are not a well-formed BOOTP/DHCP message, or carry an option 53 that is not one
     * octet naming a known message type.
     */
    MALFORMED,
    /** A BOOTREPLY, a BOOTP message without option 53, or a type a server never receives. */
    NOT_A_REQUEST,
    /**
     * A request from a client that cannot be told apart from others: no client identifier (a
     * non-empty option 61) and no hardware address ({@code hlen} 0). Serving it would bind every
     * such client to one lease, so it is dropped, as ISC Kea drops it.
     */
    NO_CLIENT_IDENTITY,
    /** More relay hops than the configured limit. */
    TOO_MANY_HOPS,
    /** No configured subnet matches the client's link. */
    NO_SUBNET,
    /** Every address the client could be given is taken. */
    POOL_EXHAUSTED,
    /** A REQUEST that selected another server. */
    OTHER_SERVER_SELECTED,
    /** An INIT-REBOOT or RENEWING client this server has no record of, on a non-authoritative subnet. */
    UNKNOWN_CLIENT,
    /**
     * A request from a client whose RFC 3074 hash bucket another node of the cluster answers for:
     * a DISCOVER, a relayed (hence broadcast) REBINDING, or a request this node would refuse with
     * a NAK only because it has no record of the client's lease, which the bucket's owner may have
     * just bound.
     */
    NOT_THIS_NODES_BUCKET,
    /** A message the RFC says to ignore (a RELEASE or DECLINE for an address the client does not hold). */
    IGNORED,
    /** The lease store failed to make the change durable, so no reply may leave. */
    STORE_FAILED
}
