package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.core.cluster.LeaseReplication;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerTransport;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Builds a node's lease replication from its ports, the way the node's runtime does. The lease
 * simulation uses the production constructor; a test that proves the checker catches a broken
 * replication passes one that builds a deliberately broken node.
 */
@FunctionalInterface
public interface ReplicationFactory {

    /** The production replication. */
    ReplicationFactory PRODUCTION = LeaseReplication::new;

    LeaseReplication create(NodeId self, Set<NodeId> members, Scheduler scheduler, PeerTransport transport,
            LeaseReplication.Replica replica, Duration retransmit, LongSupplier epoch, boolean recovering);
}
