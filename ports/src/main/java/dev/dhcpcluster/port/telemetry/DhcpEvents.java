package dev.dhcpcluster.port.telemetry;

import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;

/**
 * Outbound port: what happened to the DHCP traffic and the leases it made, for metrics and logs.
 * The application reports; an adapter counts and logs. The application never reads anything back.
 * Every method ignores its event by default, so that an implementation overrides only what it
 * counts.
 *
 * <h2>Threads</h2>
 * Every method is called on the application thread, on the hot path: an implementation must not
 * block or do I/O inline (increment counters, hand log lines to an asynchronous appender). An
 * implementation that also takes {@link StoreEvents} or {@link PeerEvents} hears those on other
 * threads at the same time, and must then be thread-safe.
 */
public interface DhcpEvents {

    /** A well-formed request of {@code type} arrived. */
    default void requestReceived(DhcpMessageType type) {
    }

    /** A reply of {@code type} was handed to the transport. */
    default void replySent(DhcpMessageType type) {
    }

    /**
     * A datagram got no answer, for {@code reason}; {@code detail} says more, for the log. The
     * detail may quote what a client sent (its identity, a relay agent's sub-option): an
     * implementation that prints it must escape it first.
     */
    default void dropped(DropReason reason, String detail) {
    }

    /**
     * A client offered a host name (option 12, or 81, the Client FQDN) that is not a valid DNS
     * host name, so its lease was bound without one; the request was served all the same.
     *
     * <p>{@code name} is exactly what the client sent, one character per octet: it may hold a
     * newline, an escape sequence or anything else. An implementation that prints it must escape
     * it first.
     *
     * @param option the option the name came in: 12 or 81
     * @param name the refused name, raw
     */
    default void hostnameRefused(int option, String name) {
    }

    /** An address was bound or renewed by a DHCPACK (the lease is durable). */
    default void leaseBound(Lease lease) {
    }

    /** A client gave its address back. */
    default void leaseReleased(Lease lease) {
    }

    /** A client reported the address in use; it is quarantined until the lease's expiry. */
    default void addressDeclined(Lease lease) {
    }

    /** A subnet has no address left for a new client. */
    default void poolExhausted(Ipv4Address subnet, int prefixLength) {
    }
}
