package dev.dhcpcluster.bootstrap.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeMap;

/**
 * A relay's traffic counters at one instant, from one read of its {@code /metrics}: requests
 * forwarded (once each, whatever the fan-out), datagrams sent to each node of a
 * {@link LabCluster}, and replies returned to clients. {@link #minus} gives what moved between two
 * reads.
 *
 * @param forwarded {@code dhcpcluster_relay_forwarded_total}
 * @param returned {@code dhcpcluster_relay_returned_total}
 * @param sent {@code dhcpcluster_relay_sent_total{server="198.18.0.N"}} by node id N
 */
public record RelayCounters(long forwarded, long returned, Map<Integer, Long> sent) {

    /** Copies the map, sorted by node id. */
    public RelayCounters {
        sent = Map.copyOf(new TreeMap<>(sent));
    }

    /** Reads the counters from the relay's {@code /metrics}. */
    public static RelayCounters read(RelayProcess relay) {
        return parse(relay.metrics());
    }

    /**
     * The counters in the {@code /metrics} text {@code metrics}: a relay's, or that of a node that
     * runs a relay in its process.
     */
    public static RelayCounters parse(String metrics) {
        Map<Integer, Long> sent = new TreeMap<>();
        for (int id : LabCluster.all()) {
            sent.put(id, RelayProcess.metric(metrics,
                    "dhcpcluster_relay_sent_total{server=\"" + LabCluster.address(id) + "\"}"));
        }
        return new RelayCounters(RelayProcess.metric(metrics, "dhcpcluster_relay_forwarded_total"),
                RelayProcess.metric(metrics, "dhcpcluster_relay_returned_total"), sent);
    }

    /**
     * The counters in a relay's {@code /status} object ({@code forwarded}, {@code returned}, each
     * server's {@code sent}): a relay's whole answer, or the {@code relay} object of a node's.
     */
    public static RelayCounters ofStatus(JsonNode status) {
        Map<Integer, Long> sent = new TreeMap<>();
        for (int id : LabCluster.all()) {
            sent.put(id, 0L);
        }
        for (JsonNode server : status.path("servers")) {
            for (int id : LabCluster.all()) {
                if (LabCluster.address(id).equals(server.path("address").asText())) {
                    sent.put(id, server.path("sent").asLong());
                }
            }
        }
        return new RelayCounters(status.path("forwarded").asLong(), status.path("returned").asLong(), sent);
    }

    /** What moved since {@code earlier}. */
    public RelayCounters minus(RelayCounters earlier) {
        Map<Integer, Long> difference = new TreeMap<>();
        sent.forEach((id, count) -> difference.put(id, count - earlier.sent.getOrDefault(id, 0L)));
        return new RelayCounters(forwarded - earlier.forwarded, returned - earlier.returned, difference);
    }

    /** Datagrams sent to node {@code id}. */
    public long sentTo(int id) {
        return sent.getOrDefault(id, 0L);
    }

    /** Datagrams sent to every node together. */
    public long sentInAll() {
        return sent.values().stream().mapToLong(Long::longValue).sum();
    }
}
