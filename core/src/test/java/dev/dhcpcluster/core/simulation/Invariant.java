package dev.dhcpcluster.core.simulation;

/** What the election must never break, checked after every step of a simulation. */
public enum Invariant {
    /** No two nodes ever lead the same epoch (every leadership seen is kept). */
    ONE_LEADER_PER_EPOCH,
    /** A node leads epoch e only if a majority of the configured cluster saved (e, it) to disk at some point. */
    LEADER_HAS_MAJORITY_ON_DISK,
    /**
     * A node's acknowledged epoch never goes back, across restarts too, and it never saves two
     * leaders for one epoch.
     */
    VOTE_NEVER_GOES_BACK,
    /**
     * Once the faults stop, within the stated bound and from then on: exactly one leader, the
     * highest node, and every other node follows it in its epoch.
     */
    CONVERGES_AFTER_FAULTS
}
