package dev.dhcpcluster.port.model;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the cluster knows about one address: to whom it is bound, until when, and by which node.
 *
 * <p>A lease is identified by its address; every change produces a new lease with a higher
 * {@code version}, so that stores and peers can keep the newest.
 *
 * @param address the leased address
 * @param clientKey the identity the address is bound to (for a {@link LeaseState#DECLINED}
 *     address: the client that declined it)
 * @param hardwareAddress the client's hardware address when the lease was last written
 * @param hostname the host name given to or by the client, if any: always a valid host name (a
 *     reserved one, or the client's own if it passed the server's check)
 * @param state where the address stands
 * @param expiry when the binding (or the probation of a declined address) ends
 * @param owner the node that wrote this version
 * @param version increases with every change of this address's lease
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
        NodeId owner,
        long version,
        Optional<HostNameSent> hostnameSent) {

    public Lease {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(clientKey, "clientKey");
        Objects.requireNonNull(hardwareAddress, "hardwareAddress");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(expiry, "expiry");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(hostnameSent, "hostnameSent");
        if (version < 0) {
            throw new IllegalArgumentException("a lease version is never negative, not " + version);
        }
    }

    /** A lease without the name the client sent: one that no client named itself in. */
    public Lease(Ipv4Address address, ClientKey clientKey, HardwareAddress hardwareAddress, Optional<String> hostname,
            LeaseState state, Instant expiry, NodeId owner, long version) {
        this(address, clientKey, hardwareAddress, hostname, state, expiry, owner, version, Optional.empty());
    }

    /** True if the address is unavailable to other clients at {@code now}. */
    public boolean holdsAddressAt(Instant now) {
        return state.holdsAddress() && now.isBefore(expiry);
    }

    /** The same lease (both host names kept) in another state, with another expiry, one version on. */
    public Lease withState(LeaseState newState, Instant newExpiry, NodeId writer) {
        return new Lease(address, clientKey, hardwareAddress, hostname, newState, newExpiry, writer, version + 1,
                hostnameSent);
    }
}
