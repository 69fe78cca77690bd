package dev.dhcpcluster.port.telemetry;

import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.Lease;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerRefusal;
import java.time.Duration;

/**
 * Outbound port: what happened, for metrics and logs. The application reports; an adapter counts
 * and logs. The application never reads anything back.
 *
 * <h2>Threads</h2>
 * The per-packet methods are called on the application thread, on the hot path: implementations
 * must not block or do I/O inline for them (increment counters, hand log lines to an asynchronous
 * appender). The store methods ({@link #storeCommitted}, {@link #storeFailed}) are called on the
 * lease store's own writer thread, concurrently with the others, so every implementation must be
 * thread-safe; they must return quickly too, because the store's next commit waits for them.
 * The peer methods ({@link #peerConnected}, {@link #peerDisconnected}, {@link #peerRefused}) are
 * called on a peer transport's threads, under the same rules.
 */
public interface ClusterEvents {

    /** Events that nobody counts or logs: for a tool that reads a store, or a test that does not look. */
    ClusterEvents NONE = new ClusterEvents() {
        @Override
        public void requestReceived(DhcpMessageType type) {
        }

        @Override
        public void replySent(DhcpMessageType type) {
        }

        @Override
        public void dropped(DropReason reason, String detail) {
        }

        @Override
        public void leaseBound(Lease lease) {
        }

        @Override
        public void leaseReleased(Lease lease) {
        }

        @Override
        public void addressDeclined(Lease lease) {
        }

        @Override
        public void poolExhausted(Ipv4Address subnet, int prefixLength) {
        }

        @Override
        public void storeCommitted(int changes, Duration latency, int pending) {
        }

        @Override
        public void storeFailed(String cause, int pending) {
        }
    };

    /** A well-formed request of {@code type} arrived. */
    void requestReceived(DhcpMessageType type);

    /** A reply of {@code type} was handed to the transport. */
    void replySent(DhcpMessageType type);

    /**
     * A datagram got no answer, for {@code reason}; {@code detail} says more, for the log. The
     * detail may quote what a client sent (its identity, a relay agent's sub-option): an
     * implementation that prints it must escape it first.
     */
    void dropped(DropReason reason, String detail);

    /**
     * A client offered a host name (option 12, or 81, the Client FQDN) that is not a valid DNS
     * host name, so its lease was bound without one; the request was served all the same.
     *
     * <p>{@code name} is exactly what the client sent, one character per octet: it may hold a
     * newline, an escape sequence or anything else. An implementation that prints it must escape
     * it first.
     *
     * <p>A default method that ignores the event, so that an implementation written before it
     * (a test's recorder, an integrator's metrics) still compiles; the node's own implementation
     * counts and logs it.
     *
     * @param option the option the name came in: 12 or 81
     * @param name the refused name, raw
     */
    default void hostnameRefused(int option, String name) {
    }

    /** An address was bound or renewed by a DHCPACK (the lease is durable). */
    void leaseBound(Lease lease);

    /** A client gave its address back. */
    void leaseReleased(Lease lease);

    /** A client reported the address in use; it is quarantined until the lease's expiry. */
    void addressDeclined(Lease lease);

    /** A subnet has no address left for a new client. */
    void poolExhausted(Ipv4Address subnet, int prefixLength);

    /**
     * The lease store made a batch of changes durable in one transaction (group commit).
     *
     * @param changes leases written by the transaction: the commit's batch size
     * @param latency from the start of the transaction to the end of its sync to stable storage
     * @param pending changes accepted by the store and waiting for the next transaction
     */
    void storeCommitted(int changes, Duration latency, int pending);

    /**
     * The lease store could not make a batch durable; every write of the batch was reported
     * failed, and the store tries again with the next batch.
     *
     * @param cause what went wrong, for the log (for example the disk is full)
     * @param pending changes accepted by the store and waiting for the next transaction
     */
    void storeFailed(String cause, int pending);

    /**
     * A step of this node's election. Called on the application thread. A default method that
     * ignores the event, so that an implementation written before the cluster still compiles.
     */
    default void election(ElectionEvent event) {
    }

    /**
     * A peer proved it belongs to the cluster and is connected. Called on a transport thread.
     * Ignored by default.
     */
    default void peerConnected(NodeId peer) {
    }

    /**
     * The connection to a peer ended. Called on a transport thread. Ignored by default.
     *
     * @param reason why, in words, for the log
     */
    default void peerDisconnected(NodeId peer, String reason) {
    }

    /**
     * A would-be peer was refused, or a peer's connection closed for what it sent. Called on a
     * transport thread. Ignored by default.
     *
     * @param reason the kind of refusal, for the count
     * @param remote who was refused: the address, and the node id it claimed if it got that far
     * @param detail why, in words, for the log; it may quote what the remote sent, so an
     *     implementation that prints it must escape it first
     */
    default void peerRefused(PeerRefusal reason, String remote, String detail) {
    }
}
