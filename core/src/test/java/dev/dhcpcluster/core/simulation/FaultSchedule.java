package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.port.model.NodeId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The faults of one run, drawn from the seed before the run starts: a random period of faults,
 * then {@link Fault.EndOfFaults} after which the network and every node are healthy for good, but
 * for one run in three, where a random minority stays cut off from the rest.
 *
 * @param faults the faults in time order, each with its virtual time in nanoseconds
 * @param faultsEnd when the faults stop
 */
public record FaultSchedule(List<Timed> faults, long faultsEnd) {

    /** A fault at a virtual time, in nanoseconds from the start of the run. */
    public record Timed(long at, Fault fault) {
    }

    /**
     * How harsh a schedule may be.
     *
     * @param shortest shortest period of faults, nanoseconds
     * @param longest longest period of faults, nanoseconds
     * @param meanGap mean time between two faults, nanoseconds
     * @param maxDelay the longest message delay a fault may set, nanoseconds
     * @param diskFailures true to include failing disks
     */
    public record Profile(long shortest, long longest, long meanGap, long maxDelay, boolean diskFailures) {

        /** 1 to 8 s of faults, one every 300 ms on average, delays up to 800 ms, failing disks included. */
        public static final Profile DEFAULT = new Profile(1_000_000_000L, 8_000_000_000L, 300_000_000L, 800_000_000L,
                true);
    }

    public FaultSchedule {
        faults = List.copyOf(faults);
    }

    /** Draws a schedule for {@code nodes} from {@code random}. */
    public static FaultSchedule generate(SplittableRandom random, List<NodeId> nodes, Profile profile) {
        long end = random.nextLong(profile.shortest(), profile.longest() + 1);
        List<Timed> faults = new ArrayList<>();
        Set<NodeId> down = new TreeSet<>();
        Set<NodeId> failingDisks = new TreeSet<>();
        long at = 0;
        while (true) {
            at += 1 + (long) (-Math.log(1 - random.nextDouble()) * profile.meanGap());
            if (at >= end) {
                break;
            }
            Fault fault = draw(random, nodes, profile, down, failingDisks);
            if (fault != null) {
                faults.add(new Timed(at, fault));
            }
        }
        Set<NodeId> cutOff = new TreeSet<>();
        if (random.nextInt(3) == 0) {
            int size = 1 + random.nextInt((nodes.size() - 1) / 2);
            while (cutOff.size() < size) {
                cutOff.add(nodes.get(random.nextInt(nodes.size())));
            }
        }
        faults.add(new Timed(end, new Fault.EndOfFaults(cutOff)));
        return new FaultSchedule(faults, end);
    }

    private static Fault draw(SplittableRandom random, List<NodeId> nodes, Profile profile, Set<NodeId> down,
            Set<NodeId> failingDisks) {
        int roll = random.nextInt(100);
        NodeId node = nodes.get(random.nextInt(nodes.size()));
        if (roll < 14) {
            if (down.contains(node)) {
                return null;
            }
            down.add(node);
            return new Fault.Crash(node);
        } else if (roll < 30) {
            if (down.isEmpty()) {
                return null;
            }
            NodeId back = new ArrayList<>(down).get(random.nextInt(down.size()));
            down.remove(back);
            return new Fault.Restart(back);
        } else if (roll < 40) {
            Set<NodeId> side = new TreeSet<>();
            for (NodeId each : nodes) {
                if (random.nextBoolean()) {
                    side.add(each);
                }
            }
            return side.isEmpty() || side.size() == nodes.size() ? null : new Fault.Partition(side);
        } else if (roll < 50) {
            NodeId to = nodes.get(random.nextInt(nodes.size()));
            return to.equals(node) ? null : new Fault.OneWay(node, to);
        } else if (roll < 58) {
            List<List<NodeId>> pairs = new ArrayList<>();
            for (int i = 0; i < nodes.size(); i++) {
                for (int j = i + 1; j < nodes.size(); j++) {
                    if (random.nextInt(3) == 0) {
                        pairs.add(List.of(nodes.get(i), nodes.get(j)));
                    }
                }
            }
            return pairs.isEmpty() ? null : new Fault.PartialPartition(pairs);
        } else if (roll < 70) {
            return new Fault.Heal();
        } else if (roll < 92) {
            return new Fault.Weather(weather(random, profile));
        } else if (profile.diskFailures()) {
            boolean failing = !failingDisks.contains(node);
            if (failing) {
                failingDisks.add(node);
            } else {
                failingDisks.remove(node);
            }
            return new Fault.DiskFailure(node, failing);
        }
        return null;
    }

    private static SimulatedNetwork.Conditions weather(SplittableRandom random, Profile profile) {
        SimulatedNetwork.Conditions normal = SimulatedNetwork.Conditions.NORMAL;
        switch (random.nextInt(4)) {
            case 0:
                return normal;
            case 1:
                return new SimulatedNetwork.Conditions(random.nextDouble(0.05, 0.5), 0, normal.minDelay(), normal.maxDelay());
            case 2:
                return new SimulatedNetwork.Conditions(0, random.nextDouble(0.05, 0.4), normal.minDelay(),
                        random.nextLong(normal.maxDelay(), profile.maxDelay() / 4 + 1));
            default:
                long max = random.nextLong(50_000_000L, profile.maxDelay() + 1);
                return new SimulatedNetwork.Conditions(0, 0, normal.minDelay(), max);
        }
    }
}
