package dev.dhcpcluster.core.simulation;

/** An invariant broken in a run: what a developer needs to see it and replay it. */
public final class SimulationFailure extends AssertionError {

    private static final long serialVersionUID = 1L;

    private final transient Invariant invariant;
    private final long seed;

    public SimulationFailure(Invariant invariant, long seed, String message) {
        super(message);
        this.invariant = invariant;
        this.seed = seed;
    }

    /** The broken invariant. */
    public Invariant invariant() {
        return invariant;
    }

    /** The seed that replays the run. */
    public long seed() {
        return seed;
    }
}
