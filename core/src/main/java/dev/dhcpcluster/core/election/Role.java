package dev.dhcpcluster.core.election;

/** Where a node stands in the election. */
public enum Role {
    /** It follows a leader it hears, or waits to hear one. */
    FOLLOWER,
    /** It runs an election: it asked the higher nodes, or proposed itself and waits for a majority. */
    CANDIDATE,
    /** A majority acknowledged its epoch and it hears a majority that did. */
    LEADER
}
