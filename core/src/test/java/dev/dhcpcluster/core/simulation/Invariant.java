package dev.dhcpcluster.core.simulation;

/** What the election, and the grants of blocks and buckets, must never break, checked after every step of a simulation. */
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
    CONVERGES_AFTER_FAULTS,
    /**
     * No address block and no bucket is held by two nodes at the same instant of global virtual
     * time, each node judged by its own belief: its grant current on its own clock.
     */
    ONE_HOLDER_AT_A_TIME,
    /** A node holds anything only under an assignment that a majority of the configured cluster saved to disk. */
    ACTS_ONLY_ON_COMMITTED,
    /**
     * Once the faults stop, within the stated bound and from then on: every node on the majority
     * side holds a current grant, every bucket is held by one of them, and every block is held by
     * one of them or is in the leader's reserve.
     */
    GRANTS_CONVERGE_AFTER_FAULTS
}
