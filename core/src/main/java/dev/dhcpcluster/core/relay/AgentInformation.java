package dev.dhcpcluster.core.relay;

/** What became of option 82 in a request the relay forwards. */
public enum AgentInformation {
    /** The relay added its own option 82: circuit-id, then remote-id if configured. */
    ADDED,
    /**
     * The request came from a trusted interface already carrying option 82, added by an element
     * between the client and the relay; the relay added none of its own (RFC 3046 §2.1).
     */
    KEPT_FROM_TRUSTED_INTERFACE,
    /**
     * The request came through another relay (giaddr already set): it is forwarded without any
     * option added and with giaddr unchanged (RFC 3046 §2.1.1).
     */
    RELAYED_BEFORE,
    /**
     * The request had no room for the option within the relay's maximum message length, so it was
     * forwarded without it (RFC 3046 §2.1); counted, because the server then cannot tell the
     * client's circuit.
     */
    NO_ROOM
}
