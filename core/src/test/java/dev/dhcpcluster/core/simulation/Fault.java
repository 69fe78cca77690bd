package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.port.model.NodeId;
import java.util.List;
import java.util.Set;

/** One fault a {@link FaultSchedule} injects, or the end of all faults. */
public sealed interface Fault {

    /** The name the summary counts it under. */
    String kind();

    /** The node dies at once (SIGKILL, power cut): only its disk remains. */
    record Crash(NodeId node) implements Fault {
        public String kind() {
            return "crash";
        }
    }

    /** A crashed node starts again from its disk. */
    record Restart(NodeId node) implements Fault {
        public String kind() {
            return "restart";
        }
    }

    /** The cluster splits in two: nothing passes between {@code side} and the rest, either way. */
    record Partition(Set<NodeId> side) implements Fault {
        public String kind() {
            return "partition";
        }
    }

    /** Messages from {@code from} to {@code to} are lost; the other way still works. */
    record OneWay(NodeId from, NodeId to) implements Fault {
        public String kind() {
            return "one-way-cut";
        }
    }

    /** Some links are cut both ways, without splitting the cluster cleanly (a node may bridge two that cannot talk). */
    record PartialPartition(List<List<NodeId>> cutPairs) implements Fault {
        public String kind() {
            return "partial-partition";
        }
    }

    /** Every cut link works again. */
    record Heal() implements Fault {
        public String kind() {
            return "heal";
        }
    }

    /** The network loses, duplicates and delays messages as given (delays reorder them). */
    record Weather(SimulatedNetwork.Conditions conditions) implements Fault {
        public String kind() {
            if (conditions.equals(SimulatedNetwork.Conditions.NORMAL)) {
                return "calm";
            }
            return conditions.drop() > 0 ? "lossy" : conditions.duplicate() > 0 ? "duplicating" : "slow";
        }
    }

    /** The node's disk fails every save ({@code failing}) or works again. */
    record DiskFailure(NodeId node, boolean failing) implements Fault {
        public String kind() {
            return failing ? "disk-failure" : "disk-repair";
        }
    }

    /**
     * All faults stop: links healed, the network calm, disks repaired, crashed nodes restarted;
     * except that a minority may stay cut off from the rest for good (a clean partition), so that
     * the run shows the majority side settling on its own and the minority never leading.
     *
     * @param cutOff the minority that stays cut off; empty for a whole cluster
     */
    record EndOfFaults(Set<NodeId> cutOff) implements Fault {
        public EndOfFaults {
            cutOff = Set.copyOf(cutOff);
        }

        public String kind() {
            return cutOff.isEmpty() ? "end-of-faults" : "end-with-minority-cut-off";
        }
    }
}
