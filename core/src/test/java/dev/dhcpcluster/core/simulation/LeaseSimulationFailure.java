package dev.dhcpcluster.core.simulation;

/** A {@link LeaseInvariant} broken in a run of the lease simulation, with what replays it. */
public final class LeaseSimulationFailure extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final transient LeaseInvariant invariant;
    private final long seed;

    public LeaseSimulationFailure(LeaseInvariant invariant, long seed, String message) {
        super(message);
        this.invariant = invariant;
        this.seed = seed;
    }

    /** The broken invariant. */
    public LeaseInvariant invariant() {
        return invariant;
    }

    /** The seed that replays the run. */
    public long seed() {
        return seed;
    }
}
