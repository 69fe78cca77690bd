package dev.dhcpcluster.core.election;

import dev.dhcpcluster.port.model.NodeId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A node's view of the election at one moment, for status and metrics.
 *
 * @param self this node
 * @param role where this node stands
 * @param epoch the highest epoch this node acknowledged (0 before any)
 * @param leader the leader this node follows now (itself when it leads); empty when it knows none
 * @param majority how many members make a majority of the configured cluster
 * @param majorityPresent true if this node hears a majority of the configured cluster, itself included
 * @param members every configured member, this node included, in id order
 * @param electionsStarted elections this node has started since it started
 */
public record ElectionStatus(NodeId self, Role role, long epoch, Optional<NodeId> leader, int majority,
        boolean majorityPresent, List<MemberStatus> members, long electionsStarted) {

    public ElectionStatus {
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(leader, "leader");
        members = List.copyOf(members);
    }
}
