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
 * The election under faults: many seeds of 3, 5 and 7 nodes on a simulated network that drops,
 * delays, duplicates, reorders and partitions messages, with crashes, restarts, failing disks and
 * skewed clocks, every {@link Invariant} checked after every step.
 *
 * <p>{@code -Dsimulation.seeds=N} runs seeds 1 to N (default 2000); {@code -Dsimulation.seed=S}
 * runs seed S alone, which is how a failure is replayed.
 */
class ElectionSimulationTest {

    /** The command that replays one seed. */
    static String replay(long seed) {
        return "./mvnw -pl core -am test -Dtest=ElectionSimulationTest -Dsimulation.seed=" + seed
                + " -Dsurefire.failIfNoSpecifiedTests=false";
    }

    static ElectionSimulation.Settings settings() {
        return ElectionSimulation.Settings.defaults(ElectionSimulationTest::replay);
    }

    @Test
    @DisplayName("every seed keeps every invariant: one leader per epoch, leaders backed by a majority on disk, "
            + "votes never going back, and one settled leader within the bound once the faults stop")
    void seedsKeepEveryInvariant() {
        String single = System.getProperty("simulation.seed");
        long[] seeds = single != null && !single.isBlank() ? new long[] {Long.parseLong(single.trim())}
                : LongStream.rangeClosed(1, Long.getLong("simulation.seeds", 2000)).toArray();
        ElectionSimulation.Settings settings = settings();
        long started = System.nanoTime();
        List<ElectionSimulation.Result> results = Collections.synchronizedList(new ArrayList<>());
        // Seeds run in parallel; once one fails the rest are skipped, and the lowest failed seed is reported.
        List<SimulationFailure> failures = Collections.synchronizedList(new ArrayList<>());
        LongStream.of(seeds).parallel().forEach(seed -> {
            if (!failures.isEmpty()) {
                return;
            }
            try {
                results.add(ElectionSimulation.run(seed, settings));
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
        ElectionSimulation.Result slowest = null;
        long epochsLed = 0;
        for (ElectionSimulation.Result result : results) {
            result.faults().forEach((kind, count) -> faults.merge(kind, count, Integer::sum));
            sizes.merge(result.nodes(), 1, Integer::sum);
            virtual += result.virtualNanos();
            steps += result.steps();
            if (slowest == null || result.settledAfterNanos() > slowest.settledAfterNanos()) {
                slowest = result;
            }
            epochsLed += result.epochsLed();
        }
        System.out.printf("election simulation: %d seeds (clusters by size %s), %d steps, %d epochs led, "
                + "faults injected %s, virtual time %.0f s, real time %.1f s, slowest settling after the faults "
                + "%.3f s (seed %d; bound %.1f s)%n", results.size(), sizes, steps, epochsLed, faults, virtual / 1e9,
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
    @DisplayName("one seed replays bit for bit: the same seed gives the same trace, another seed another")
    void aSeedReplaysExactly() {
        ElectionSimulation.Result first = ElectionSimulation.run(42, settings());
        ElectionSimulation.Result again = ElectionSimulation.run(42, settings());
        ElectionSimulation.Result other = ElectionSimulation.run(43, settings());

        assertEquals(first, again);
        assertNotEquals(first.traceHash(), other.traceHash());
        assertTrue(first.steps() > 1000, "a run does something: " + first.steps() + " steps");
    }
}
