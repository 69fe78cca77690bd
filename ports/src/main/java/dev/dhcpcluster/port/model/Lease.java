package dev.dhcpcluster.port.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the cluster knows about one address: to whom it is bound, until when, and which node wrote
 * it.
 *
 * <p>A lease is identified by its address; every change produces a new lease with a higher
 * {@link LeaseVersion}, ordered the same way on every node, so that stores and peers keep the
 * highest (never the last to arrive).
 *
 * @param address the leased address
 * @param clientKey the identity the address is bound to (for a {@link LeaseState#DECLINED}
 *     address: the client that declined it)
 * @param hardwareAddress the client's hardware address when the lease was last written
 * @param hostname the host name given to or by the client, if any: always a valid host name (a
 *     reserved one, or the client's own if it passed the server's check)
 * @param state where the address stands
 * @param expiry when the binding (or the probation of a declined address) ends
 * @param version the version of this change: above every earlier version of this address's lease;
 *     its {@link LeaseVersion#writer() writer} is the node that wrote it
 * @param hostnameSent the host name exactly as the client sent it in the request that made this
 *     binding, valid or not; empty if that request carried none. Part of the lease like every
 *     other field: a store keeps it byte for byte, and a lease that ends keeps it. It is never
 *     used to serve a client, only shown to operators (escaped, since it may hold any octet).
 */
public record Lease(
        Ipv4Address address,
        ClientKey clientKey,
        HardwareAddress hardwareAddress,
        Optional<String> hostname,
        LeaseState state,
        Instant expiry,
        LeaseVersion version,
        Optional<HostNameSent> hostnameSent) {

    public Lease {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(clientKey, "clientKey");
        Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(expiry, "expiry");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(hostnameSent, "hostnameSent");
    }

    /** A lease without the name the client sent: one that no client named itself in. */
    public Lease(Ipv4Address address, ClientKey clientKey, HardwareAddress hardwareAddress, Optional<String> hostname,
            LeaseState state, Instant expiry, LeaseVersion version) {
        this(address, clientKey, hardwareAddress, hostname, state, expiry, version, Optional.empty());
    }

    /** The node that wrote this version: {@code version().writer()}. */
    public NodeId writer() {
        return version.writer();
    }

    /** True if the address is unavailable to other clients at {@code now}. */
    public boolean holdsAddressAt(Instant now) {
        return state.holdsAddress() && now.isBefore(expiry);
    }

    /**
     * The same lease (both host names kept) in another state, with another expiry, one version on:
     * {@code version().next(epoch, writer)}.
     *
     * @param epoch the epoch the change is written in ({@link LeaseVersion#NO_EPOCH} for a node alone)
     * @param writer the node that writes the change
     * @throws IllegalArgumentException if {@code epoch} is below this version's (see {@link LeaseVersion#next})
     */
    public Lease withState(LeaseState newState, Instant newExpiry, long epoch, NodeId writer) {
        return new Lease(address, clientKey, hardwareAddress, hostname, newState, newExpiry,
                version.next(epoch, writer), hostnameSent);
    }
}
