package dev.dhcpcluster.core.relay;

import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.util.Objects;
import java.util.Optional;

/**
 * One server the relay forwards requests to: the address its DHCP service listens on and, in a
 * cluster, the node it is. The node ties the server to what the cluster reports about it (alive,
 * owner of a bucket), so a relay routes by the cluster's own view rather than by guesswork; a
 * plain relay's servers have no node and are always sent to.
 *
 * @param address the server's DHCP address (requests go to its port 67)
 * @param node the cluster node that answers at that address, if the relay knows the cluster
 */
public record RelayServer(Ipv4Address address, Optional<NodeId> node) {

    public RelayServer {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(node, "node");
        if (address.isZero() || address.equals(Ipv4Address.BROADCAST)) {
            throw new IllegalArgumentException("a server's address must be a unicast address, not " + address);
        }
    }

    /** A server outside any cluster known to the relay. */
    public static RelayServer of(Ipv4Address address) {
        return new RelayServer(address, Optional.empty());
    }

    /** The server of cluster node {@code node}. */
    public static RelayServer of(Ipv4Address address, NodeId node) {
        return new RelayServer(address, Optional.of(node));
    }

    /** The address, then the node if any: {@code 198.18.0.1 (node-1)}. */
    @Override
    public String toString() {
        return node.map(id -> address + " (" + id + ")").orElseGet(address::toString);
    }
}
