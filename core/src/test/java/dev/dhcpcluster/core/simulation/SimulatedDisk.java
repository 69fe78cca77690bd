package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.Vote;
import dev.dhcpcluster.port.peer.VoteStore;
import dev.dhcpcluster.port.peer.VoteStoreException;
import java.util.Optional;

/**
 * One node's stable storage in a simulation: what {@link #save} returned from survives every
 * crash. Two faults: the disk can fail (a save throws and keeps the old vote, as a full or broken
 * disk does), and, only to prove the checker catches it, it can lose at a crash every vote it
 * synced since the node started (a disk that lies about flushing its cache).
 */
public final class SimulatedDisk implements VoteStore {

    /** Told of every vote a disk made durable. */
    @FunctionalInterface
    public interface Listener {
        void saved(NodeId node, Optional<Vote> before, Vote vote);
    }

    private final NodeId node;
    private final Listener listener;
    private final boolean losesSyncedWrites;
    private Vote durable;
    private Vote atStart;
    private boolean failing;
    private int lostWrites;

    /**
     * @param node whose disk this is
     * @param listener told of every durable save
     * @param losesSyncedWrites true to lose at each crash what was synced since the node started: a broken disk, for
     *     the test that proves the checker catches one
     */
    public SimulatedDisk(NodeId node, Listener listener, boolean losesSyncedWrites) {
        this.node = node;
        this.listener = listener;
        this.losesSyncedWrites = losesSyncedWrites;
    }

    @Override
    public Optional<Vote> load() {
        return Optional.ofNullable(durable);
    }

    @Override
    public void save(Vote vote) {
        if (failing) {
            throw new VoteStoreException("simulated disk failure on " + node);
        }
        Optional<Vote> before = Optional.ofNullable(durable);
        durable = vote;
        listener.saved(node, before, vote);
    }

    /** From now on every save fails ({@code true}) or works again ({@code false}). */
    public void failing(boolean failing) {
        this.failing = failing;
    }

    /** The node starts: what is on the disk now is what a lying disk falls back to. */
    public void started() {
        atStart = durable;
    }

    /** The node crashed: a disk that loses synced writes forgets those since the node started. */
    public void crashed() {
        if (losesSyncedWrites && durable != atStart) {
            durable = atStart;
            lostWrites++;
        }
    }

    /** The vote on the disk now. */
    public Optional<Vote> vote() {
        return Optional.ofNullable(durable);
    }

    /** How many synced writes this disk lost. */
    public int lostWrites() {
        return lostWrites;
    }
}
