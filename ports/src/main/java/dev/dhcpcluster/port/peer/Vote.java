package dev.dhcpcluster.port.peer;

import dev.dhcpcluster.port.model.NodeId;
import java.util.Objects;

/**
 * A node's acknowledgement of a leadership: "I follow {@code leader} in {@code epoch}". A node
 * acknowledges at most one leader per epoch, which is what makes two leaders of one epoch
 * impossible: each needs a majority, and two majorities share a node.
 *
 * @param epoch the acknowledged epoch, at least 1
 * @param leader the node acknowledged as its leader (the node itself, when it proposed the epoch)
 */
public record Vote(long epoch, NodeId leader) {

    public Vote {
        Objects.requireNonNull(leader, "leader");
        if (epoch < 1) {
            throw new IllegalArgumentException("a vote is for epoch 1 or later, not " + epoch);
        }
    }
}
