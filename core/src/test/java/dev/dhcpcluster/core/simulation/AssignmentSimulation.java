package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.core.cluster.AssignmentPlanner;
import dev.dhcpcluster.core.cluster.GrantTimers;
import dev.dhcpcluster.core.cluster.PoolBlocks;
import dev.dhcpcluster.core.election.ElectionTimers;
import dev.dhcpcluster.port.model.Ipv4Address;
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
 * One run of the election and the grants of blocks and buckets on a simulated cluster, from one
 * seed, with the faults of the election's simulation (drops, delays, duplicates, partitions
 * one-way and partial, crashes and restarts from disk, failing disks, clock rates off by up to
 * 2 %). The {@link AssignmentChecker} judges the run after every step.
 */
public final class AssignmentSimulation {

    /** The pool of a run by default: one subnet of 16 blocks of 256 addresses, 198.18.0.0 to 198.18.15.255. */
    static final PoolBlocks ONE_SUBNET = PoolBlocks.oneSubnet(blocks(0, 16));

    /**
     * Two subnets of 8 blocks each, 198.18.0.0 to 198.18.7.255 and 198.18.64.0 to 198.18.71.255: a
     * relayed cluster's pools, which the leader deals per subnet.
     */
    public static final PoolBlocks TWO_SUBNETS = PoolBlocks.bySubnet(List.of(blocks(0, 8), blocks(64, 8)));

    private static List<Ipv4Address> blocks(int first, int count) {
        List<Ipv4Address> blocks = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            blocks.add(Ipv4Address.parse("198.18." + i + ".0"));
        }
        return List.copyOf(blocks);
    }

    /**
     * What a run looks like.
     *
     * @param timers the election's timers
     * @param grantTimers the grants' timers
     * @param rules how the leader hands out blocks
     * @param pool the blocks of the pools, by subnet
     * @param clusterSizes the sizes a seed picks from
     * @param maxSkewPpm the largest clock-rate error of a node, in parts per million either way
     * @param profile how harsh the faults are
     * @param convergenceBound how long after the faults stop the grants may take to settle
     * @param observation how long the run goes on after that bound
     * @param invariants the invariants checked
     * @param factory builds each node's grants
     * @param replay the command that replays a seed
     */
    public record Settings(ElectionTimers timers, GrantTimers grantTimers, AssignmentPlanner.Rules rules,
            PoolBlocks pool, List<Integer> clusterSizes, long maxSkewPpm, FaultSchedule.Profile profile, Duration convergenceBound,
            Duration observation, Set<Invariant> invariants, GrantsFactory factory, LongFunction<String> replay) {

        /**
         * The bound on settling after the faults stop: the election settles within 3 s (see
         * {@link ElectionSimulation.Settings#DEFAULT_BOUND}); a new leader then moves nothing for the
         * takeover wait, 5.66 s with the default timers; a share taken from a node still heard needs
         * two commits and a renewal, well under 1 s. Hence 10 s; the summary line prints the slowest.
         */
        public static final Duration DEFAULT_BOUND = Duration.ofSeconds(10);

        /** Production grants with default timers, 3, 5 or 7 nodes, clocks within 2 % of real time. */
        public static Settings defaults(LongFunction<String> replay) {
            return new Settings(ElectionTimers.DEFAULTS, GrantTimers.DEFAULTS, new AssignmentPlanner.Rules(4, 2, 1),
                    ONE_SUBNET, List.of(3, 5, 7), 20_000, FaultSchedule.Profile.DEFAULT, DEFAULT_BOUND, Duration.ofSeconds(2),
                    EnumSet.of(Invariant.ONE_HOLDER_AT_A_TIME, Invariant.ACTS_ONLY_ON_COMMITTED,
                            Invariant.GRANTS_CONVERGE_AFTER_FAULTS), GrantsFactory.PRODUCTION, replay);
        }

        public Settings withFactory(GrantsFactory factory) {
            return new Settings(timers, grantTimers, rules, pool, clusterSizes, maxSkewPpm, profile, convergenceBound,
                    observation, invariants, factory, replay);
        }

        public Settings withGrantTimers(GrantTimers grantTimers) {
            return new Settings(timers, grantTimers, rules, pool, clusterSizes, maxSkewPpm, profile, convergenceBound,
                    observation, invariants, factory, replay);
        }

        /** These settings with the pools {@code other}. */
        public Settings withPool(PoolBlocks other) {
            return new Settings(timers, grantTimers, rules, other, clusterSizes, maxSkewPpm, profile, convergenceBound,
                    observation, invariants, factory, replay);
        }

        public Settings withInvariants(Set<Invariant> invariants) {
            return new Settings(timers, grantTimers, rules, pool, clusterSizes, maxSkewPpm, profile, convergenceBound,
                    observation, Set.copyOf(invariants), factory, replay);
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
     * @param settledAfterNanos how long after the faults stopped the grants settled for good
     * @param lastUnsettled why they were not settled at the last moment they were not; empty if never
     * @param versionsCommitted assignment versions a majority saved
     * @param traceHash the hash of every step and election event
     */
    public record Result(long seed, int nodes, long steps, Map<String, Integer> faults, long virtualNanos,
            long settledAfterNanos, String lastUnsettled, long versionsCommitted, long traceHash) {
    }

    private final long seed;
    private final Settings settings;
    private final EventQueue queue = new EventQueue();
    private final Trace trace = new Trace(40);
    private final List<GrantNode> nodes = new ArrayList<>();
    private final Map<String, Integer> faults = new TreeMap<>();
    private final SimulatedNetwork network;
    private final FaultSchedule schedule;
    private final AssignmentChecker checker;
    private long steps;

    private AssignmentSimulation(long seed, Settings settings) {
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
        this.checker = new AssignmentChecker(nodes, settings.pool(), size, settings.invariants(), this::fail);
        for (NodeId id : ids) {
            long skew = settings.maxSkewPpm() == 0 ? 0 : random.nextLong(-settings.maxSkewPpm(), settings.maxSkewPpm() + 1);
            if (skew != 0) {
                faults.merge("skewed-clock", 1, Integer::sum);
            }
            SimulatedClock clock = new SimulatedClock(queue, skew, 1_900_000_000_000L + random.nextLong(1L << 40));
            SimulatedDisk disk = new SimulatedDisk(id, (node, before, vote) -> { }, false);
            SimulatedAssignmentDisk assignmentDisk = new SimulatedAssignmentDisk(id, checker::saved);
            nodes.add(new GrantNode(id, members, settings.timers(), settings.grantTimers(), settings.pool(),
                    settings.rules(), queue, clock, disk, assignmentDisk, network, settings.factory(), random.split(),
                    (node, event) -> trace.election(queue.now(), node, event)));
        }
        for (GrantNode node : nodes) {
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
        return new AssignmentSimulation(seed, settings).run();
    }

    private Result run() {
        long settleBy = schedule.faultsEnd() + settings.convergenceBound().toNanos();
        long end = settleBy + settings.observation().toNanos();
        long lastUnsettled = schedule.faultsEnd();
        String lastReason = "";
        Set<NodeId> cutOff = ((Fault.EndOfFaults) schedule.faults().get(schedule.faults().size() - 1).fault()).cutOff();
        boolean converge = settings.invariants().contains(Invariant.GRANTS_CONVERGE_AFTER_FAULTS);
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
            if (converge && queue.now() >= schedule.faultsEnd()) {
                String unsettled = checker.unsettled(cutOff);
                if (unsettled != null) {
                    lastUnsettled = queue.now();
                    lastReason = unsettled;
                    if (queue.now() >= settleBy) {
                        fail(Invariant.GRANTS_CONVERGE_AFTER_FAULTS, "not settled "
                                + settings.convergenceBound().toMillis() + " ms after the faults stopped: " + unsettled);
                    }
                }
            }
        }
        return new Result(seed, nodes.size(), steps, faults, end, lastUnsettled - schedule.faultsEnd(), lastReason,
                checker.versionsCommitted(), trace.hash());
    }

    private void apply(Fault fault) {
        if (fault instanceof Fault.Crash crash) {
            if (node(crash.node()).up()) {
                node(crash.node()).crash();
            }
        } else if (fault instanceof Fault.Restart restart) {
            if (!node(restart.node()).up()) {
                node(restart.node()).start();
            }
        } else if (fault instanceof Fault.Partition partition) {
            for (GrantNode a : nodes) {
                for (GrantNode b : nodes) {
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
            node(disk.node()).disksFailing(disk.failing());
        } else if (fault instanceof Fault.EndOfFaults end) {
            network.healAll();
            for (GrantNode a : nodes) {
                for (GrantNode b : nodes) {
                    if (end.cutOff().contains(a.id()) && !end.cutOff().contains(b.id())) {
                        network.block(a.id(), b.id(), true);
                        network.block(b.id(), a.id(), true);
                    }
                }
            }
            network.conditions(SimulatedNetwork.Conditions.NORMAL);
            for (GrantNode node : nodes) {
                node.disksFailing(false);
                if (!node.up()) {
                    node.start();
                }
            }
            network.linksChanged();
        }
        faults.merge(fault.kind(), 1, Integer::sum);
    }

    private GrantNode node(NodeId id) {
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
