package dev.dhcpcluster.core.cluster;

/**
 * A deliberate fault in {@link OwnershipGrants}, or none.
 *
 * <p>Production always uses {@link #NONE}. The seam exists so that the deterministic simulation
 * can prove that its checker catches broken grants: a test in this package builds nodes with a
 * shortcut and expects the checker to report two holders of one block or bucket. It is
 * package-private on purpose; nothing outside this package and its tests can weaken the rules.
 */
enum Shortcut {
    /** The rules as documented. */
    NONE,
    /** The leader hands on a node's share as soon as it stops hearing it, without waiting for its grant to lapse. */
    NO_LAPSE_WAIT,
    /** ρ and the margin count as zero, while clocks are skewed. */
    NO_DRIFT_MARGIN,
    /**
     * The leader grants itself what it proposes as soon as it has saved it, before a majority
     * accepted it: the self-grant that follows a commit, taken one step early.
     */
    SELF_GRANT_BEFORE_COMMIT,
    /**
     * The leader plans as if every pool lay in one subnet: blocks dealt in address order over all
     * subnets, as before blocks were dealt per subnet, so a member may hold none of a subnet.
     */
    ONE_POOL_FOR_ALL_SUBNETS
}
