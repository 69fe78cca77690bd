package dev.dhcpcluster.core.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The whole cluster member, election, replicated store, grants and a real DHCP server, serving
 * simulated DHCP clients under faults: many seeds of 3 and 5 nodes, every {@link LeaseInvariant}
 * checked (see {@link ClusterSimulation}).
 *
 * <p>{@code -Dsimulation.seeds=N} runs seeds 1 to N (default 2000); {@code -Dsimulation.seed=S}
 * runs seed S alone, which is how a failure is replayed.
 */
class ClusterSimulationTest {

    /** The command that replays one seed. */
    static String replay(long seed) {
        return "./mvnw -pl core -am test -Dtest=ClusterSimulationTest -Dsimulation.seed=" + seed
                + " -Dsurefire.failIfNoSpecifiedTests=false";
    }

    @Test
    @DisplayName("every seed keeps every invariant: no address bound to two clients, every ACKed lease on a majority "
            + "of disks, every client served again within the bound once the faults stop, and one OFFER per "
            + "DISCOVER while no fault is injected")
    void seedsKeepEveryInvariant() {
        runSeeds(ClusterSimulation.Settings.defaults(ClusterSimulationTest::replay), "cluster simulation");
    }

    @Test
    @DisplayName("with a second subnet whose clients speak through a relay, every seed keeps every invariant: the "
            + "clients of both subnets are served again within the bound, whichever node holds their bucket")
    void seedsOfTwoSubnetsKeepEveryInvariant() {
        runSeeds(ClusterSimulation.Settings.defaults(ClusterSimulationTest::replay).withRelayedSubnet(),
                "cluster simulation of two subnets");
    }

    /** Runs the seeds of {@code -Dsimulation.seed} or {@code -Dsimulation.seeds} and prints a summary. */
    private static void runSeeds(ClusterSimulation.Settings settings, String name) {
        String single = System.getProperty("simulation.seed");
        long[] seeds = single != null && !single.isBlank() ? new long[] {Long.parseLong(single.trim())}
                : LongStream.rangeClosed(1, Long.getLong("simulation.seeds", 2000)).toArray();
        long started = System.nanoTime();
        List<ClusterSimulation.Result> results = Collections.synchronizedList(new ArrayList<>());
        List<LeaseSimulationFailure> failures = Collections.synchronizedList(new ArrayList<>());
        LongStream.of(seeds).parallel().forEach(seed -> {
            if (!failures.isEmpty()) {
                return;
            }
            try {
                results.add(ClusterSimulation.run(seed, settings));
            } catch (LeaseSimulationFailure failure) {
                failures.add(failure);
            }
        });
        if (!failures.isEmpty()) {
            throw failures.stream().min(Comparator.comparingLong(LeaseSimulationFailure::seed)).orElseThrow();
        }
        long realMillis = (System.nanoTime() - started) / 1_000_000;
        Map<String, Integer> faults = new TreeMap<>();
        Map<Integer, Integer> sizes = new TreeMap<>();
        long steps = 0;
        long virtual = 0;
        long offers = 0;
        long quiet = 0;
        long acks = 0;
        long naks = 0;
        long notJudged = 0;
        ClusterSimulation.Result slowest = null;
        for (ClusterSimulation.Result result : results) {
            result.faults().forEach((kind, count) -> faults.merge(kind, count, Integer::sum));
            sizes.merge(result.nodes(), 1, Integer::sum);
            steps += result.steps();
            virtual += result.virtualNanos();
            offers += result.offers();
            quiet += result.quietDiscovers();
            acks += result.acks();
            naks += result.naks();
            if (!result.livenessJudged()) {
                notJudged++;
            }
            if (slowest == null || result.slowestServiceNanos() > slowest.slowestServiceNanos()) {
                slowest = result;
            }
        }
        System.out.printf("%s: %d seeds (clusters by size %s), %d steps, %d OFFERs (%d DISCOVERs "
                + "answered without faults, each by one node), %d ACKs, %d NAKs, "
                + "faults injected %s, virtual time %.0f s, real time %.1f s, slowest service after the faults %.3f s "
                + "(seed %d; bound %.1f s; not judged in %d runs where only a bare majority kept its store)%n",
                name, results.size(), sizes, steps, offers, quiet, acks, naks, faults, virtual / 1e9, realMillis / 1e3,
                slowest.slowestServiceNanos() / 1e9, slowest.seed(), ClusterSimulation.SERVICE_BOUND_MS / 1e3,
                notJudged);
        if (seeds.length == 1) {
            System.out.printf("seed %d: trace hash %016x%n", slowest.seed(), slowest.traceHash());
        }
        assertEquals(seeds.length, results.size());
    }

    @Test
    @DisplayName("one seed replays exactly, and a run serves clients through every node's DHCP server")
    void aSeedReplaysExactly() {
        ClusterSimulation.Settings settings = ClusterSimulation.Settings.defaults(ClusterSimulationTest::replay);
        ClusterSimulation.Result first = ClusterSimulation.run(42, settings);
        ClusterSimulation.Result again = ClusterSimulation.run(42, settings);
        assertEquals(first, again);
        assertTrue(first.acks() > 50, "a run serves clients: " + first.acks() + " ACKs");
        assertTrue(first.offers() > 10, "a run makes offers: " + first.offers() + " OFFERs");
        assertTrue(first.quietDiscovers() > 5, "OFFERs are counted per DISCOVER while no fault is injected: "
                + first.quietDiscovers());
    }
}
