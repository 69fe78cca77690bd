package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.port.model.NodeId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The links a simulation cuts between its nodes, each for a while: a cut link carries nothing
 * either way. Cuts are counted per pair, so that faults that overlap (a partition during an
 * isolation) heal independently, and all of them heal at once when the faults end.
 *
 * <p>The static methods draw the usual shapes of a network fault from a simulation's random
 * stream, always in the same order for one seed.
 */
final class LinkCuts {

    private final EventQueue queue;
    private final SimulatedNetwork network;
    private final List<NodeId> nodes;
    private final int[][] cuts;
    private boolean healed;

    /** The links between {@code nodes} (by index) on {@code network}. */
    LinkCuts(EventQueue queue, SimulatedNetwork network, List<NodeId> nodes) {
        this.queue = queue;
        this.network = network;
        this.nodes = List.copyOf(nodes);
        this.cuts = new int[nodes.size()][nodes.size()];
    }

    /** One link between two distinct nodes: the race of two nodes that cannot talk while both talk to the rest. */
    static int[][] oneLink(SplittableRandom random, int size) {
        int a = random.nextInt(size);
        int b = (a + 1 + random.nextInt(size - 1)) % size;
        return new int[][] {{a, b}};
    }

    /** Every link between two random sides (either may be empty). */
    static int[][] partition(SplittableRandom random, int size) {
        boolean[] side = new boolean[size];
        for (int i = 0; i < size; i++) {
            side[i] = random.nextBoolean();
        }
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            for (int j = i + 1; j < size; j++) {
                if (side[i] != side[j]) {
                    pairs.add(new int[] {i, j});
                }
            }
        }
        return pairs.toArray(new int[0][]);
    }

    /** Every link of one random node. */
    static int[][] isolation(SplittableRandom random, int size) {
        int a = random.nextInt(size);
        List<int[]> pairs = new ArrayList<>();
        for (int j = 0; j < size; j++) {
            if (j != a) {
                pairs.add(new int[] {a, j});
            }
        }
        return pairs.toArray(new int[0][]);
    }

    /** Cuts {@code pairs} now and heals them after {@code nanos}, unless every cut healed before. */
    void cutFor(int[][] pairs, long nanos) {
        for (int[] pair : pairs) {
            cut(pair[0], pair[1], 1);
        }
        network.linksChanged();
        queue.after(nanos, -1, "heal", null, () -> {
            if (!healed) {
                for (int[] pair : pairs) {
                    cut(pair[0], pair[1], -1);
                }
                network.linksChanged();
            }
        });
    }

    /** Heals every link for good (the faults are over); the caller tells the network the links changed. */
    void healAll() {
        healed = true;
        for (int[] row : cuts) {
            Arrays.fill(row, 0);
        }
        network.healAll();
    }

    private void cut(int a, int b, int delta) {
        cuts[a][b] += delta;
        cuts[b][a] += delta;
        boolean blocked = cuts[a][b] > 0;
        network.block(nodes.get(a), nodes.get(b), blocked);
        network.block(nodes.get(b), nodes.get(a), blocked);
    }
}
