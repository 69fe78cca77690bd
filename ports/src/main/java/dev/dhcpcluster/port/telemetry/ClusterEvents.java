package dev.dhcpcluster.port.telemetry;

import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;

/**
 * Outbound port: what happened, for metrics and logs. The application reports; an adapter counts
 * and logs. The application never reads anything back.
 *
 * <p>Called on the application thread, on the hot path: implementations must not block or do I/O
 * inline for the per-packet methods (increment counters, hand log lines to an asynchronous
 * appender).
 */
public interface ClusterEvents {

    /** A well-formed request of {@code type} arrived. */
    void requestReceived(DhcpMessageType type);

    /** A reply of {@code type} was handed to the transport. */
    void replySent(DhcpMessageType type);

    /** A datagram got no answer, for {@code reason}; {@code detail} says more, for the log. */
    void dropped(DropReason reason, String detail);

    /** An address was bound or renewed by a DHCPACK (the lease is durable). */
    void leaseBound(Lease lease);

    /** A client gave its address back. */
    void leaseReleased(Lease lease);

    /** A client reported the address in use; it is quarantined until the lease's expiry. */
    void addressDeclined(Lease lease);

    /** A subnet has no address left for a new client. */
    void poolExhausted(Ipv4Address subnet, int prefixLength);
}
