package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.core.election.ElectionTimers;
import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongFunction;

/**
 * One run of the election on a simulated cluster, from one seed: the number of nodes, their clock
 * rates, the faults, every message's fate and every jitter come from it, so a seed replays a run
 * exactly. The {@link ElectionChecker} judges the run after every step.
 */
public final class ElectionSimulation {

    /**
     * What a run looks like.
     *
     * @param timers the election's timers on every node
     * @param clusterSizes the sizes a seed picks from
     * @param maxSkewPpm the largest clock-rate error of a node, in parts per million either way
     * @param profile how harsh the faults are
     * @param convergenceBound how long after the faults stop the cluster may take to settle
     * @param observation how long the run goes on after that bound, settled at every step
     * @param losesSyncedWrites true for disks that lose their last synced vote at a crash (a broken disk)
     * @param invariants the invariants checked
     * @param factory builds each node's election
     * @param replay the command that replays a seed, for the failure message
     */
    public record Settings(ElectionTimers timers, List<Integer> clusterSizes, long maxSkewPpm,
            FaultSchedule.Profile profile, Duration convergenceBound, Duration observation, boolean losesSyncedWrites,
            Set<Invariant> invariants, ElectionFactory factory, LongFunction<String> replay) {

        /**
         * The bound on settling after the faults stop, with the default timers (heartbeat 200 ms,
         * failure 1 s, answer 300 ms, coordinator 600 ms, candidates' timeouts jittered by up to
         * 20 %) and messages delayed by up to 0.8 s during the faults. On the majority side a
         * restarted node listens for one failure timeout (1 s) before its first election, an old
         * leader may count members whose last words are still in flight (0.8 s), and the highest
         * node may need one more round when a lower node moved to a higher epoch meanwhile
         * (0.72 s): about 2.5 s. On a minority cut off for good, its old leader steps down once
         * those last words are older than the failure timeout (0.8 + 1 + 0.2 s), and says so in
         * its next heartbeat: about 2 s. Hence 3 s; the summary line prints the slowest run seen.
         */
        public static final Duration DEFAULT_BOUND = Duration.ofSeconds(3);

        /** The production election with default timers, 3, 5 or 7 nodes, clocks within 2 % of real time. */
        public static Settings defaults(LongFunction<String> replay) {
            return new Settings(ElectionTimers.DEFAULTS, List.of(3, 5, 7), 20_000, FaultSchedule.Profile.DEFAULT,
                    DEFAULT_BOUND, Duration.ofSeconds(2), false, EnumSet.allOf(Invariant.class),
                    ElectionFactory.PRODUCTION, replay);
        }

        public Settings withFactory(ElectionFactory factory) {
            return new Settings(timers, clusterSizes, maxSkewPpm, profile, convergenceBound, observation,
                    losesSyncedWrites, invariants, factory, replay);
        }

        public Settings withClusterSizes(List<Integer> clusterSizes) {
            return new Settings(timers, List.copyOf(clusterSizes), maxSkewPpm, profile, convergenceBound, observation,
                    losesSyncedWrites, invariants, factory, replay);
        }

        public Settings withInvariants(Set<Invariant> invariants) {
            return new Settings(timers, clusterSizes, maxSkewPpm, profile, convergenceBound, observation,
                    losesSyncedWrites, invariants, factory, replay);
        }

        public Settings withLostWrites(Set<Invariant> invariants) {
            return new Settings(timers, clusterSizes, maxSkewPpm, profile, convergenceBound, observation, true,
                    invariants, factory, replay);
        }
    }

    /**
     * What a run did.
     *
     * @param seed the seed
     * @param nodes how many nodes
     * @param steps events run
     * @param faults faults injected, by kind
     * @param virtualNanos virtual time the run covered
     * @param settledAfterNanos how long after the faults stopped the cluster settled for good
     * @param lastUnsettled why the cluster was not settled at the last moment it was not, after the
     *     faults stopped; empty if it never was
     * @param epochsLed how many epochs had a leader
     * @param traceHash the hash of every step and election event
     */
    public record Result(long seed, int nodes, long steps, Map<String, Integer> faults, long virtualNanos,
            long settledAfterNanos, String lastUnsettled, int epochsLed, long traceHash) {
    }

    private final long seed;
    private final Settings settings;
    private final EventQueue queue = new EventQueue();
    private final Trace trace = new Trace(40);
    private final List<SimulatedNode> nodes = new ArrayList<>();
    private final Map<String, Integer> faults = new TreeMap<>();
    private final SimulatedNetwork network;
    private final FaultSchedule schedule;
    private final ElectionChecker checker;
    private long steps;

    private ElectionSimulation(long seed, Settings settings) {
        this.seed = seed;
        this.settings = settings;
        SplittableRandom random = new SplittableRandom(seed);
        int size = settings.clusterSizes().get(random.nextInt(settings.clusterSizes().size()));
        List<NodeId> ids = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            ids.add(new NodeId(i));
        }
        Set<NodeId> members = new TreeSet<>(ids);
        this.schedule = FaultSchedule.generate(random.split(), ids, settings.profile());
        this.network = new SimulatedNetwork(queue, random.split(), ids);
        this.checker = new ElectionChecker(nodes, size, settings.invariants(), this::fail);
        for (NodeId id : ids) {
            long skew = settings.maxSkewPpm() == 0 ? 0 : random.nextLong(-settings.maxSkewPpm(), settings.maxSkewPpm() + 1);
            if (skew != 0) {
                faults.merge("skewed-clock", 1, Integer::sum);
            }
            SimulatedClock clock = new SimulatedClock(queue, skew, 1_900_000_000_000L + random.nextLong(1L << 40));
            SimulatedDisk disk = new SimulatedDisk(id, checker::saved, settings.losesSyncedWrites());
            nodes.add(new SimulatedNode(id, members, settings.timers(), queue, clock, disk, network, settings.factory(),
                    random.split(), (node, event) -> trace.election(queue.now(), node, event)));
        }
        for (SimulatedNode node : nodes) {
            queue.after(random.nextLong(500_000_000L), node.id().value() - 1, "start", null, () -> {
                if (!node.up()) {
                    node.start();
                }
            });
        }
        for (FaultSchedule.Timed timed : schedule.faults()) {
            queue.after(timed.at(), -1, "fault", timed.fault(), () -> apply(timed.fault()));
        }
    }

    /**
     * Runs {@code seed}.
     *
     * @throws SimulationFailure if an invariant breaks, with the seed, the step, a trace and the replay command
     */
    public static Result run(long seed, Settings settings) {
        return new ElectionSimulation(seed, settings).run();
    }

    private Result run() {
        long settleBy = schedule.faultsEnd() + settings.convergenceBound().toNanos();
        long end = settleBy + settings.observation().toNanos();
        long lastUnsettled = schedule.faultsEnd();
        String lastReason = "";
        Set<NodeId> cutOff = ((Fault.EndOfFaults) schedule.faults().get(schedule.faults().size() - 1).fault()).cutOff();
        EventQueue.Event event;
        while ((event = queue.next(end)) != null) {
            steps++;
            trace.step(event);
            event.run();
            if (event.node() >= 0) {
                checker.check(nodes.get(event.node()));
            } else {
                checker.checkAll();
            }
            if (queue.now() >= schedule.faultsEnd() && settings.invariants().contains(Invariant.CONVERGES_AFTER_FAULTS)) {
                String unsettled = checker.unsettled(cutOff);
                if (unsettled != null) {
                    lastUnsettled = queue.now();
                    lastReason = unsettled;
                    if (queue.now() >= settleBy) {
                        fail(Invariant.CONVERGES_AFTER_FAULTS, "not settled " + settings.convergenceBound().toMillis()
                                + " ms after the faults stopped: " + unsettled);
                    }
                }
            }
        }
        return new Result(seed, nodes.size(), steps, faults, end, lastUnsettled - schedule.faultsEnd(),
                lastReason, checker.epochsLed(), trace.hash());
    }

    private void apply(Fault fault) {
        if (fault instanceof Fault.Crash crash) {
            if (!node(crash.node()).up()) {
                return; // it had not started yet
            }
            node(crash.node()).crash();
        } else if (fault instanceof Fault.Restart restart) {
            if (node(restart.node()).up()) {
                return;
            }
            node(restart.node()).start();
        } else if (fault instanceof Fault.Partition partition) {
            for (SimulatedNode a : nodes) {
                for (SimulatedNode b : nodes) {
                    if (partition.side().contains(a.id()) && !partition.side().contains(b.id())) {
                        network.block(a.id(), b.id(), true);
                        network.block(b.id(), a.id(), true);
                    }
                }
            }
            network.linksChanged();
        } else if (fault instanceof Fault.OneWay oneWay) {
            network.block(oneWay.from(), oneWay.to(), true);
            network.linksChanged();
        } else if (fault instanceof Fault.PartialPartition partial) {
            for (List<NodeId> pair : partial.cutPairs()) {
                network.block(pair.get(0), pair.get(1), true);
                network.block(pair.get(1), pair.get(0), true);
            }
            network.linksChanged();
        } else if (fault instanceof Fault.Heal) {
            network.healAll();
            network.linksChanged();
        } else if (fault instanceof Fault.Weather weather) {
            network.conditions(weather.conditions());
        } else if (fault instanceof Fault.DiskFailure disk) {
            node(disk.node()).disk().failing(disk.failing());
        } else if (fault instanceof Fault.EndOfFaults end) {
            network.healAll();
            for (SimulatedNode a : nodes) {
                for (SimulatedNode b : nodes) {
                    if (end.cutOff().contains(a.id()) && !end.cutOff().contains(b.id())) {
                        network.block(a.id(), b.id(), true);
                        network.block(b.id(), a.id(), true);
                    }
                }
            }
            network.conditions(SimulatedNetwork.Conditions.NORMAL);
            for (SimulatedNode node : nodes) {
                node.disk().failing(false);
                if (!node.up()) {
                    node.start();
                }
            }
            network.linksChanged();
        }
        faults.merge(fault.kind(), 1, Integer::sum);
    }

    private SimulatedNode node(NodeId id) {
        return nodes.get(id.value() - 1);
    }

    private void fail(Invariant invariant, String detail) {
        throw new SimulationFailure(invariant, seed, String.format(
                "seed %d (%d nodes) broke %s at step %d, %.6f s into the run (faults stopped at %.3f s): %s%n"
                        + "recent events:%n%s%nreplay: %s",
                seed, nodes.size(), invariant, steps, queue.now() / 1e9, schedule.faultsEnd() / 1e9, detail,
                trace.recent(), settings.replay().apply(seed)));
    }
}
