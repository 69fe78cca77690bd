package dev.dhcpcluster.port.telemetry;

import dev.dhcpcluster.port.model.NodeId;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of a node's election, for the log (one line each) and the metrics.
 *
 * @param kind what happened
 * @param epoch the epoch it happened in: the proposed one for {@link Kind#COORDINATOR_PROPOSED},
 *     else the node's highest acknowledged epoch after the step
 * @param leader the leader the node acknowledges after the step, if any
 * @param detail why, in words, for the log; never client-supplied text
 */
public record ElectionEvent(Kind kind, long epoch, Optional<NodeId> leader, String detail) {

    public ElectionEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(leader, "leader");
        Objects.requireNonNull(detail, "detail");
    }

    /** The steps of an election, as a node sees them. */
    public enum Kind {
        /** The node started an election: it asked every higher node whether it is alive. */
        ELECTION_STARTED,
        /** A higher node answered; the node waits for its Coordinator. */
        ANSWERED_BY_HIGHER,
        /** No higher node answered: the node proposed itself as leader of a new epoch. */
        COORDINATOR_PROPOSED,
        /** A majority acknowledged the node's epoch: it leads. */
        LEADING,
        /** The node acknowledged another node's epoch and follows it. */
        FOLLOWING,
        /** The node stopped leading: it no longer hears a majority that acknowledged its epoch, or saw a higher one. */
        STEPPED_DOWN,
        /** The node stopped hearing its leader and no longer follows it. */
        LEADER_LOST,
        /** The node refused to acknowledge a Coordinator (its epoch was stale, or a higher node is alive). */
        COORDINATOR_REFUSED
    }
}
