package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.core.election.BullyElection;
import dev.dhcpcluster.core.election.ElectionTimers;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerTransport;
import dev.dhcpcluster.port.peer.VoteStore;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Builds a node's election from its ports, the way the node's runtime does. The simulation uses
 * {@code BullyElection::new}; a test that proves the checker catches a broken election passes
 * one that builds a deliberately broken node.
 */
@FunctionalInterface
public interface ElectionFactory {

    /** The production election. */
    ElectionFactory PRODUCTION = BullyElection::new;

    BullyElection create(NodeId self, Set<NodeId> members, ElectionTimers timers, Clock clock, Scheduler scheduler,
            PeerTransport peers, VoteStore votes, RandomGenerator random, ClusterEvents events);
}
