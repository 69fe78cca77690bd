package dev.dhcpcluster.core.election;

/**
 * How many members, the candidate included, must acknowledge an epoch before a node leads it.
 *
 * <p>Production always uses {@link #MAJORITY}: two majorities of one cluster share a member, and
 * a member acknowledges one leader per epoch, so no two nodes lead one epoch. The seam exists so
 * that the deterministic simulation can prove its checker catches a broken election: a test in
 * this package builds a node with a smaller quorum and expects the checker to report it. It is
 * package-private on purpose; nothing outside this package and its tests can weaken the quorum.
 */
@FunctionalInterface
interface Quorum {

    /** More than half of the configured cluster. */
    Quorum MAJORITY = members -> members / 2 + 1;

    /** The acknowledgements needed in a cluster of {@code members} configured members. */
    int required(int members);
}
