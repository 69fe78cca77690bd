package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AssignmentRecord;
import dev.dhcpcluster.port.peer.AssignmentStore;
import dev.dhcpcluster.port.peer.VoteStoreException;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * One node's stable storage of its accepted assignment in a simulation: what {@link #save}
 * returned from survives every crash. It can fail: a save then throws and keeps the old assignment,
 * as a full or broken disk does.
 */
public final class SimulatedAssignmentDisk implements AssignmentStore {

    private final NodeId node;
    private final BiConsumer<NodeId, AssignmentRecord> listener;
    private AssignmentRecord durable;
    private boolean failing;

    /** @param listener told of every assignment made durable */
    public SimulatedAssignmentDisk(NodeId node, BiConsumer<NodeId, AssignmentRecord> listener) {
        this.node = node;
        this.listener = listener;
    }

    @Override
    public Optional<AssignmentRecord> load() {
        return Optional.ofNullable(durable);
    }

    @Override
    public void save(AssignmentRecord assignment) {
        if (failing) {
            throw new VoteStoreException("simulated disk failure on " + node);
        }
        durable = assignment;
        listener.accept(node, assignment);
    }

    /** From now on every save fails ({@code true}) or works again ({@code false}). */
    public void failing(boolean failing) {
        this.failing = failing;
    }
}
