package dev.dhcpcluster.core.cluster;

import dev.dhcpcluster.port.model.NodeId;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link OwnershipGrants} needs to know of the election, at one moment: the runtime builds it
 * from the election's status, so that this package depends on the ports alone.
 *
 * @param epoch the highest epoch this node acknowledged (0 before any)
 * @param acknowledged the leader this node acknowledged in that epoch (itself when it proposed it)
 * @param leading true if this node leads {@code epoch}: a majority acknowledged it
 * @param following true if this node follows {@code acknowledged}, neither leading nor electing
 * @param leader the leader this node hears lead now (itself when it leads); empty if none
 */
public record Leadership(long epoch, Optional<NodeId> acknowledged, boolean leading, boolean following,
        Optional<NodeId> leader) {

    public Leadership {
        Objects.requireNonNull(acknowledged, "acknowledged");
        Objects.requireNonNull(leader, "leader");
        if (leading && following) {
            throw new IllegalArgumentException("a node does not lead and follow at once");
        }
    }

    /** True if this node acknowledged {@code node} as leader of {@code epoch}, follows it, and is not it. */
    boolean follows(NodeId node, long epoch, NodeId self) {
        return following && this.epoch == epoch && !node.equals(self) && acknowledged.filter(node::equals).isPresent();
    }
}
