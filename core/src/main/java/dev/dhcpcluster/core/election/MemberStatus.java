package dev.dhcpcluster.core.election;

import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured member as this node sees it.
 *
 * @param node the member
 * @param self true for this node itself
 * @param alive true if this node heard the member within the failure timeout (always true for itself)
 * @param sinceHeard how long ago this node last heard the member, on its own clock; empty if never
 *     (and for itself)
 * @param epoch the highest epoch the member acknowledged, as its last heartbeat said (0 if never heard)
 * @param leader the leader the member acknowledged in that epoch, as its last heartbeat said
 */
public record MemberStatus(NodeId node, boolean self, boolean alive, Optional<Duration> sinceHeard, long epoch,
        Optional<NodeId> leader) {

    public MemberStatus {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(sinceHeard, "sinceHeard");
        Objects.requireNonNull(leader, "leader");
    }
}
