package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.core.cluster.LeaseCatchUp;
import dev.dhcpcluster.core.cluster.LeaseReplication;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerTransport;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Builds a node's catch-up from its ports, the way the node's runtime does. The lease simulation
 * uses the production constructor; a test that proves the checker catches a broken recovery passes
 * one that builds a deliberately broken node.
 */
@FunctionalInterface
public interface CatchUpFactory {

    /** The production catch-up. */
    CatchUpFactory PRODUCTION = LeaseCatchUp::new;

    LeaseCatchUp create(NodeId self, Set<NodeId> members, Scheduler scheduler, PeerTransport transport,
            LeaseReplication replication, LeaseCatchUp.Snapshot snapshot, Predicate<Ipv4Address> inPools,
            LongSupplier highestEpoch, LongSupplier epoch, Duration retransmit, Runnable caughtUp, Runnable settled,
            BiConsumer<NodeId, String> misbehaved);
}
