package dev.dhcpcluster.core.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
 * The leader's assignment of blocks and buckets with time-limited grants, under the faults of the
 * election's simulation: many seeds of 3, 5 and 7 nodes, every grant invariant checked after every
 * step.
 *
 * <p>{@code -Dsimulation.seeds=N} runs seeds 1 to N (default 2000); {@code -Dsimulation.seed=S}
 * runs seed S alone, which is how a failure is replayed.
 */
class AssignmentSimulationTest {

    /** The command that replays one seed. */
    static String replay(long seed) {
        return "./mvnw -pl core -am test -Dtest=AssignmentSimulationTest -Dsimulation.seed=" + seed
                + " -Dsurefire.failIfNoSpecifiedTests=false";
    }

    static AssignmentSimulation.Settings settings() {
        return AssignmentSimulation.Settings.defaults(AssignmentSimulationTest::replay);
    }

    @Test
    @DisplayName("every seed keeps every grant invariant: one holder per block and bucket at any instant, holdings "
            + "only under an assignment a majority saved, and every block and bucket held on the majority side "
            + "within the bound once the faults stop")
    void seedsKeepEveryInvariant() {
        runSeeds(settings(), "assignment simulation");
    }

    @Test
    @DisplayName("with the pools of two subnets of 8 blocks, every seed keeps every grant invariant, and once the "
            + "faults stop every node of the majority side holds a block of each subnet")
    void seedsOfTwoSubnetsKeepEveryInvariant() {
        runSeeds(settings().withPool(AssignmentSimulation.TWO_SUBNETS), "assignment simulation of two subnets");
    }

    /** Runs the seeds of {@code -Dsimulation.seed} or {@code -Dsimulation.seeds} and prints a summary. */
    private static void runSeeds(AssignmentSimulation.Settings settings, String name) {
        String single = System.getProperty("simulation.seed");
        long[] seeds = single != null && !single.isBlank() ? new long[] {Long.parseLong(single.trim())}
                : LongStream.rangeClosed(1, Long.getLong("simulation.seeds", 2000)).toArray();
        long started = System.nanoTime();
        List<AssignmentSimulation.Result> results = Collections.synchronizedList(new ArrayList<>());
        List<SimulationFailure> failures = Collections.synchronizedList(new ArrayList<>());
        LongStream.of(seeds).parallel().forEach(seed -> {
            if (!failures.isEmpty()) {
                return;
            }
            try {
                results.add(AssignmentSimulation.run(seed, settings));
            } catch (SimulationFailure failure) {
                failures.add(failure);
            }
        });
        if (!failures.isEmpty()) {
            throw failures.stream().min(Comparator.comparingLong(SimulationFailure::seed)).orElseThrow();
        }
        long realMillis = (System.nanoTime() - started) / 1_000_000;
        Map<String, Integer> faults = new TreeMap<>();
        Map<Integer, Integer> sizes = new TreeMap<>();
        long virtual = 0;
        long steps = 0;
        long versions = 0;
        AssignmentSimulation.Result slowest = null;
        for (AssignmentSimulation.Result result : results) {
            result.faults().forEach((kind, count) -> faults.merge(kind, count, Integer::sum));
            sizes.merge(result.nodes(), 1, Integer::sum);
            virtual += result.virtualNanos();
            steps += result.steps();
            versions += result.versionsCommitted();
            if (slowest == null || result.settledAfterNanos() > slowest.settledAfterNanos()) {
                slowest = result;
            }
        }
        System.out.printf("%s: %d seeds (clusters by size %s), %d steps, %d assignments committed, "
                + "faults injected %s, virtual time %.0f s, real time %.1f s, slowest settling after the faults "
                + "%.3f s (seed %d; bound %.1f s)%n", name, results.size(), sizes, steps, versions, faults, virtual / 1e9,
                realMillis / 1e3, slowest.settledAfterNanos() / 1e9, slowest.seed(),
                settings.convergenceBound().toMillis() / 1e3);
        if (seeds.length == 1) {
            System.out.printf("seed %d: trace hash %016x, %s%n", slowest.seed(), slowest.traceHash(),
                    slowest.lastUnsettled().isEmpty() ? "settled as the faults stopped"
                            : "last unsettled because " + slowest.lastUnsettled());
        }
        assertEquals(seeds.length, results.size());
    }

    @Test
    @DisplayName("one seed replays bit for bit, and a run commits assignments")
    void aSeedReplaysExactly() {
        AssignmentSimulation.Result first = AssignmentSimulation.run(42, settings());
        AssignmentSimulation.Result again = AssignmentSimulation.run(42, settings());
        AssignmentSimulation.Result other = AssignmentSimulation.run(43, settings());

        assertEquals(first, again);
        assertNotEquals(first.traceHash(), other.traceHash());
        assertTrue(first.versionsCommitted() > 0, "a run commits assignments: " + first.versionsCommitted());
    }
}
