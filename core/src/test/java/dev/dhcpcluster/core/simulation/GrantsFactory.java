package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.core.cluster.AssignmentPlanner;
import dev.dhcpcluster.core.cluster.GrantTimers;
import dev.dhcpcluster.core.cluster.Leadership;
import dev.dhcpcluster.core.cluster.OwnershipGrants;
import dev.dhcpcluster.core.cluster.PoolBlocks;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AssignmentStore;
import dev.dhcpcluster.port.peer.PeerTransport;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Builds a node's {@link OwnershipGrants} from its ports, as the node's runtime would. The
 * simulation uses the production constructor; a test that proves the checker catches broken
 * grants passes one that builds a deliberately broken node.
 */
@FunctionalInterface
public interface GrantsFactory {

    /** The production grants. */
    GrantsFactory PRODUCTION = OwnershipGrants::new;

    OwnershipGrants create(NodeId self, Set<NodeId> members, GrantTimers timers, Clock clock, Scheduler scheduler,
            PeerTransport peers, AssignmentStore store, Supplier<Leadership> election, PoolBlocks pool,
            AssignmentPlanner.Rules rules, ToLongFunction<Set<Ipv4Address>> freeAddresses);
}
