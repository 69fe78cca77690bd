package dev.dhcpcluster.bootstrap.embed;

import dev.dhcpcluster.core.pool.PoolUsage;
import dev.dhcpcluster.port.model.NodeId;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a {@link DhcpNode} reports about itself: a snapshot, immutable.
 *
 * @param node the node's id
 * @param state where the node is in its life
 * @param endpoint the transport, as it describes itself ({@code udp 0.0.0.0:67 (interface eth0)});
 *     empty text before the node serves
 * @param port the UDP port the transport is bound to, for a transport with one, once serving
 * @param pools every subnet's addresses, free and bound; empty unless serving
 * @param failure why the node stopped, if it failed
 */
public record DhcpNodeStatus(NodeId node, NodeState state, String endpoint, OptionalInt port,
        Optional<PoolUsage> pools, Optional<String> failure) {

    public DhcpNodeStatus {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(pools, "pools");
        Objects.requireNonNull(failure, "failure");
    }
}
