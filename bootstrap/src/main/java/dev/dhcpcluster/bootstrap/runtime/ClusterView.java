package dev.dhcpcluster.bootstrap.runtime;

import dev.dhcpcluster.core.election.ElectionStatus;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.ConnectedObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A cluster node's view of its cluster at one moment, for {@code /status} and {@code /metrics}:
 * the election's status and what the peer transport knows of each peer.
 *
 * @param name the cluster's name
 * @param listen where the other nodes reach this one, as the transport spells a peer's address
 *     (for TCP {@code address:port} as bound); empty for a transport without an address of its own
 * @param election the election's status, read on the event loop
 * @param addresses every peer's address, as written in the node file
 * @param connected the peers connected and authenticated now
 * @param roundTrips the latest round-trip time measured to each connected peer, where one was
 * @param member what this node holds of the address space; empty until its DHCP service has started
 * @param observers the observers (relay agents) connected now
 */
public record ClusterView(String name, Optional<String> listen, ElectionStatus election,
        Map<NodeId, String> addresses, Set<NodeId> connected, Map<NodeId, Duration> roundTrips,
        Optional<MemberView> member, List<ConnectedObserver> observers) {

    public ClusterView {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(election, "election");
        addresses = Map.copyOf(addresses);
        connected = Set.copyOf(connected);
        roundTrips = Map.copyOf(roundTrips);
        Objects.requireNonNull(member, "member");
        observers = List.copyOf(observers);
    }

    /** The round-trip time to {@code peer}, if one was measured on its current connection. */
    public Optional<Duration> roundTrip(NodeId peer) {
        return Optional.ofNullable(roundTrips.get(peer));
    }
}
