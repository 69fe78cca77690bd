package dev.dhcpcluster.port.model;

/** Where an address stands in its life cycle. */
public enum LeaseState {
    /** Bound to a client by a DHCPACK, until its expiry. */
    BOUND,
    /** Given back by a DHCPRELEASE; the address is free but remembered for the same client. */
    RELEASED,
    /** Past its expiry without renewal; the address is free but remembered for the same client. */
    EXPIRED,
    /** Reported in use by someone else (DHCPDECLINE); not handed out until its probation ends. */
    DECLINED;

    /** True if the address may not be given to anyone else. */
    public boolean holdsAddress() {
        return this == BOUND || this == DECLINED;
    }
}
