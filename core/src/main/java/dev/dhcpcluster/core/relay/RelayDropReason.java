package dev.dhcpcluster.core.relay;

/** Why the relay agent forwarded a datagram nowhere. Each reason is counted. */
public enum RelayDropReason {
    /**
     * The bytes are not a well-formed BOOTP/DHCP message: too short or too long, {@code hlen}
     * over 16, no magic cookie, or options whose framing is broken (an option running past its
     * field, no END, a bad option 52).
     */
    MALFORMED,
    /** A BOOTREPLY received on a client-facing interface, where only requests belong. */
    NOT_A_REQUEST,
    /** A BOOTREQUEST received from a server, where only replies belong. */
    NOT_A_REPLY,
    /** A datagram from an interface the relay is not configured to serve. */
    UNKNOWN_INTERFACE,
    /** A request whose {@code hops} already exceed the configured limit (RFC 1542 §4.1.1). */
    TOO_MANY_HOPS,
    /**
     * A request with giaddr zero that already carries option 82, received on an untrusted
     * interface: a client forging the relay's information (RFC 3046 §2.1).
     */
    UNTRUSTED_AGENT_INFORMATION,
    /**
     * A request whose giaddr is already one of this relay's own addresses: it claims to come
     * from this relay, so it is spoofed or looping (RFC 3046 §2.1.1).
     */
    SPOOFED_GIADDR,
    /** A reply from a source that is not a configured server: spoofed. */
    SPOOFED_REPLY,
    /** A reply whose giaddr is none of this relay's interfaces: it is not for this relay (RFC 1542 §4.1.2). */
    NOT_FOR_THIS_RELAY,
    /**
     * A request from a client that has used up its share ({@link ClientRateLimiter}): it sends
     * faster than the configured rate and burst allow, so it is throttled to keep it from starving
     * the other clients.
     */
    RATE_LIMITED
}
