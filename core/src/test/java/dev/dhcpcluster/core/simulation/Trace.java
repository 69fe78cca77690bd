package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.telemetry.ElectionEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a run did: a hash over every step and election event, so that two runs of one seed can be
 * compared bit for bit, and the last few entries in words, for a failure message.
 */
public final class Trace {

    private record Entry(long time, int node, String kind, Object detail) {
        @Override
        public String toString() {
            return String.format("%12.6f s  %-8s %-9s %s", time / 1e9, node < 0 ? "cluster" : "node-" + (node + 1),
                    kind, detail == null ? "" : detail);
        }
    }

    private final Entry[] recent;
    private int next;
    private long count;
    private long hash = 17;

    /** Keeps the last {@code keep} entries in words. */
    public Trace(int keep) {
        this.recent = new Entry[keep];
    }

    /** One step: an event taken off the queue. */
    public void step(EventQueue.Event event) {
        mix(event.time());
        mix(event.node());
        mix(event.kind().hashCode());
        mix(Objects.hashCode(event.detail()));
        keep(new Entry(event.time(), event.node(), event.kind(), event.detail()));
    }

    /** One election event of a node, at virtual time {@code time}. */
    public void election(long time, NodeId node, ElectionEvent event) {
        mix(node.value());
        mix(event.kind().ordinal());
        mix(event.epoch());
        mix(event.detail().hashCode());
        keep(new Entry(time, node.value() - 1, "event", event.kind() + " epoch " + event.epoch() + " leader "
                + event.leader().map(NodeId::toString).orElse("none") + ": " + event.detail()));
    }

    /** The hash of everything so far. */
    public long hash() {
        return hash;
    }

    /** The last entries, oldest first, one per line. */
    public String recent() {
        List<String> lines = new ArrayList<>();
        int kept = (int) Math.min(count, recent.length);
        for (int i = 0; i < kept; i++) {
            lines.add("  " + recent[Math.floorMod(next - kept + i, recent.length)]);
        }
        return String.join("\n", lines);
    }

    private void keep(Entry entry) {
        recent[next] = entry;
        next = (next + 1) % recent.length;
        count++;
    }

    private void mix(long value) {
        hash = hash * 0x100000001B3L ^ value;
        hash ^= hash >>> 29;
    }
}
