package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.core.election.ElectionStatus;
import dev.dhcpcluster.core.election.Role;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.Vote;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Judges a run against the {@link Invariant}s from what it can see from outside the nodes: each
 * node's status after every step, and the history of every vote any disk made durable.
 */
public final class ElectionChecker {

    /** How a broken invariant is reported; it throws. */
    @FunctionalInterface
    public interface Violation {
        void report(Invariant invariant, String detail);
    }

    private final List<SimulatedNode> nodes;
    private final Set<Invariant> enabled;
    private final Violation violation;
    private final int majority;
    private final Map<Long, NodeId> leaderOfEpoch = new HashMap<>();
    private final Map<Vote, Set<NodeId>> savedBy = new HashMap<>();
    private final Vote[] highestSaved;
    private final long[] highestEpochSeen;

    /**
     * @param nodes the cluster's nodes, ids 1 to {@code size}; the list may be filled after this call
     * @param size how many nodes the cluster has
     */
    public ElectionChecker(List<SimulatedNode> nodes, int size, Set<Invariant> enabled, Violation violation) {
        this.nodes = nodes;
        this.enabled = Set.copyOf(enabled);
        this.violation = violation;
        this.majority = size / 2 + 1;
        this.highestSaved = new Vote[size];
        this.highestEpochSeen = new long[size];
    }

    /** A disk made {@code vote} durable (the disks' listener). */
    public void saved(NodeId node, Optional<Vote> before, Vote vote) {
        savedBy.computeIfAbsent(vote, v -> new TreeSet<>()).add(node);
        Vote highest = highestSaved[node.value() - 1];
        if (highest != null && enabled.contains(Invariant.VOTE_NEVER_GOES_BACK)) {
            if (vote.epoch() < highest.epoch()) {
                violation.report(Invariant.VOTE_NEVER_GOES_BACK, node + " saved epoch " + vote.epoch()
                        + " after it had saved epoch " + highest.epoch());
            } else if (vote.epoch() == highest.epoch() && !vote.leader().equals(highest.leader())) {
                violation.report(Invariant.VOTE_NEVER_GOES_BACK, node + " acknowledged two leaders in epoch "
                        + vote.epoch() + ": " + highest.leader() + " and then " + vote.leader());
            }
        }
        if (highest == null || vote.epoch() > highest.epoch()) {
            highestSaved[node.value() - 1] = vote;
        }
    }

    /** Checks one node's status after a step that concerned it. */
    public void check(SimulatedNode node) {
        Optional<ElectionStatus> current = node.status();
        if (current.isEmpty()) {
            return;
        }
        ElectionStatus status = current.get();
        int index = node.id().value() - 1;
        if (status.epoch() < highestEpochSeen[index] && enabled.contains(Invariant.VOTE_NEVER_GOES_BACK)) {
            violation.report(Invariant.VOTE_NEVER_GOES_BACK, node.id() + " is at epoch " + status.epoch()
                    + " after it had acknowledged epoch " + highestEpochSeen[index]);
        }
        highestEpochSeen[index] = Math.max(highestEpochSeen[index], status.epoch());
        if (status.role() != Role.LEADER) {
            return;
        }
        long epoch = status.epoch();
        NodeId earlier = leaderOfEpoch.putIfAbsent(epoch, node.id());
        if (earlier != null && !earlier.equals(node.id()) && enabled.contains(Invariant.ONE_LEADER_PER_EPOCH)) {
            violation.report(Invariant.ONE_LEADER_PER_EPOCH, "two leaders in epoch " + epoch + ": " + earlier
                    + " and " + node.id());
        }
        Set<NodeId> savers = savedBy.getOrDefault(new Vote(epoch, node.id()), Set.of());
        if (savers.size() < majority && enabled.contains(Invariant.LEADER_HAS_MAJORITY_ON_DISK)) {
            violation.report(Invariant.LEADER_HAS_MAJORITY_ON_DISK, node.id() + " leads epoch " + epoch
                    + " but only " + savers + " ever saved that vote; a majority is " + majority + " of "
                    + nodes.size());
        }
    }

    /** How many epochs had a leader so far. */
    public int epochsLed() {
        return leaderOfEpoch.size();
    }

    /** Checks every node. */
    public void checkAll() {
        for (SimulatedNode node : nodes) {
            check(node);
        }
    }

    /**
     * Why the cluster has not settled yet, or null if it has: on the side that holds the majority,
     * exactly one leader, its highest live node, every other live node of that side following it
     * in its epoch; on the minority side cut off from it, no node leading nor naming a leader.
     *
     * @param cutOff the minority cut off from the rest for good; empty when the whole cluster is connected
     */
    public String unsettled(Set<NodeId> cutOff) {
        SimulatedNode highest = null;
        for (SimulatedNode node : nodes) {
            if (node.up() && !cutOff.contains(node.id()) && (highest == null || node.id().compareTo(highest.id()) > 0)) {
                highest = node;
            }
        }
        if (highest == null) {
            return "no node of the majority side is up";
        }
        ElectionStatus top = highest.status().orElseThrow();
        if (top.role() != Role.LEADER) {
            return "the highest live node " + highest.id() + " is " + top.role() + " in epoch " + top.epoch();
        }
        for (SimulatedNode node : nodes) {
            if (node == highest || !node.up()) {
                continue;
            }
            ElectionStatus status = node.status().orElseThrow();
            if (cutOff.contains(node.id())) {
                if (status.role() == Role.LEADER || status.leader().isPresent()) {
                    return node.id() + ", cut off in a minority, is " + status.role() + " in epoch " + status.epoch()
                            + " naming " + status.leader().map(NodeId::toString).orElse("nobody") + " as leader";
                }
            } else if (status.role() != Role.FOLLOWER || !status.leader().equals(Optional.of(highest.id()))
                    || status.epoch() != top.epoch()) {
                return node.id() + " is " + status.role() + " in epoch " + status.epoch() + " following "
                        + status.leader().map(NodeId::toString).orElse("nobody") + ", not " + highest.id()
                        + " in epoch " + top.epoch();
            }
        }
        return null;
    }
}
