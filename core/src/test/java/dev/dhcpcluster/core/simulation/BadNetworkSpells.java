package dev.dhcpcluster.core.simulation;

import java.util.SplittableRandom;

/**
 * Spells of a bad network in a simulation: for a while every message may be lost, duplicated and
 * delayed. A spell ends on its own unless a later one began meanwhile, and every spell ends when
 * the faults do.
 */
final class BadNetworkSpells {

    private static final long MS = 1_000_000L;

    private final EventQueue queue;
    private final SimulatedNetwork network;
    /** Counts the spells begun (and ended all at once): a spell's end acts only if none began since. */
    private int generation;

    BadNetworkSpells(EventQueue queue, SimulatedNetwork network) {
        this.queue = queue;
        this.network = network;
    }

    /**
     * Begins a spell drawn from {@code random}: up to 30 % lost, 20 % duplicated, a delay from
     * 0.1 to 5 ms plus up to {@code maxJitterNanos}, for 0.5 to 4 s.
     */
    void begin(SplittableRandom random, long maxJitterNanos) {
        long min = random.nextLong(100_000, 5 * MS);
        network.conditions(new SimulatedNetwork.Conditions(random.nextDouble(0, 0.3), random.nextDouble(0, 0.2),
                min, min + random.nextLong(0, maxJitterNanos)));
        int spell = ++generation;
        queue.after(random.nextLong(500 * MS, 4_000 * MS), -1, "network-normal", null, () -> {
            if (spell == generation) {
                network.conditions(SimulatedNetwork.Conditions.NORMAL);
            }
        });
    }

    /** Ends every spell now: the network is normal from here on. */
    void endAll() {
        network.conditions(SimulatedNetwork.Conditions.NORMAL);
        generation++;
    }
}
