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
 * Lease replication under faults: many seeds of 3 and 5 nodes serving DHCP clients through
 * crashes, restarts, lost disks, partitions, cut links, drops, duplicates and delays, every
 * {@link LeaseInvariant} checked (see {@link LeaseSimulation}).
 *
 * <p>{@code -Dsimulation.seeds=N} runs seeds 1 to N (default 2000); {@code -Dsimulation.seed=S}
 * runs seed S alone, which is how a failure is replayed.
 */
class LeaseSimulationTest {

    /** The command that replays one seed. */
    static String replay(long seed) {
        return "./mvnw -pl core -am test -Dtest=LeaseSimulationTest -Dsimulation.seed=" + seed
                + " -Dsurefire.failIfNoSpecifiedTests=false";
    }

    @Test
    @DisplayName("every seed keeps every invariant: no address held by two clients, every ACKed lease on a majority "
            + "of disks, and every client served within the bound once the faults stop")
    void seedsKeepEveryInvariant() {
        String single = System.getProperty("simulation.seed");
        long[] seeds = single != null && !single.isBlank() ? new long[] {Long.parseLong(single.trim())}
                : LongStream.rangeClosed(1, Long.getLong("simulation.seeds", 2000)).toArray();
        LeaseSimulation.Settings settings = LeaseSimulation.Settings.defaults(LeaseSimulationTest::replay);
        long started = System.nanoTime();
        List<LeaseSimulation.Result> results = Collections.synchronizedList(new ArrayList<>());
        List<LeaseSimulationFailure> failures = Collections.synchronizedList(new ArrayList<>());
        LongStream.of(seeds).parallel().forEach(seed -> {
            if (!failures.isEmpty()) {
                return;
            }
            try {
                results.add(LeaseSimulation.run(seed, settings));
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
        long acks = 0;
        long refusals = 0;
        long reusesRefused = 0;
        long notJudged = 0;
        long recoveries = 0;
        long unsettled = 0;
        LeaseSimulation.Result slowestRecovery = null;
        LeaseSimulation.Result slowest = null;
        for (LeaseSimulation.Result result : results) {
            result.faults().forEach((kind, count) -> faults.merge(kind, count, Integer::sum));
            sizes.merge(result.nodes(), 1, Integer::sum);
            steps += result.steps();
            virtual += result.virtualNanos();
            acks += result.acks();
            refusals += result.refusals();
            reusesRefused += result.reusesRefused();
            recoveries += result.recoveries();
            unsettled += result.unsettledAtCatchUp();
            if (slowestRecovery == null || result.slowestRecoveryNanos() > slowestRecovery.slowestRecoveryNanos()) {
                slowestRecovery = result;
            }
            if (!result.livenessJudged()) {
                notJudged++;
            }
            if (slowest == null || result.slowestServiceNanos() > slowest.slowestServiceNanos()) {
                slowest = result;
            }
        }
        System.out.printf("lease simulation: %d seeds (clusters by size %s), %d steps, %d ACKs, %d refused changes (%d of "
                + "them an owner's reuse of an address held by another client), faults injected %s, virtual time %.0f s, real time %.1f s, slowest service after the faults "
                + "%.3f s (seed %d; bound %.1f s; not judged in %d runs where only a bare majority voted at the end), "
                + "%d catch-ups after a lost disk (slowest %.3f s, seed %d; %d addresses unsettled then)%n",
                results.size(), sizes, steps, acks, refusals, reusesRefused, faults, virtual / 1e9, realMillis / 1e3,
                slowest.slowestServiceNanos() / 1e9, slowest.seed(), LeaseSimulation.LIVENESS_BOUND_MS / 1e3,
                notJudged, recoveries, slowestRecovery.slowestRecoveryNanos() / 1e9, slowestRecovery.seed(), unsettled);
        assertEquals(seeds.length, results.size());
    }

    @Test
    @DisplayName("one seed replays exactly, and a run serves clients and refuses conflicting changes")
    void aSeedReplaysExactly() {
        LeaseSimulation.Settings settings = LeaseSimulation.Settings.defaults(LeaseSimulationTest::replay);
        LeaseSimulation.Result first = LeaseSimulation.run(42, settings);
        LeaseSimulation.Result again = LeaseSimulation.run(42, settings);
        assertEquals(first, again);
        assertTrue(first.acks() > 100, "a run serves clients: " + first.acks() + " ACKs");
    }
}
