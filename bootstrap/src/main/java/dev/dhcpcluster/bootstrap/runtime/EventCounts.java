package dev.dhcpcluster.bootstrap.runtime;

import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a node has counted so far (see {@link LoggingClusterEvents}).
 *
 * @param requests well-formed requests received, by type
 * @param replies replies sent, by type
 * @param drops datagrams answered with silence, by reason
 * @param leasesBound DHCPACKs that bound or renewed a lease
 * @param leasesReleased leases given back
 * @param addressesDeclined addresses reported in use by another host
 * @param poolExhaustions reports that a subnet had no free address for a new client, made at most once
 *     per interval per subnet while it lasts; the requests left unanswered are counted in
 *     {@code drops} as {@link DropReason#POOL_EXHAUSTED}
 * @param hostnamesRefused host names (option 81 or 12) that were not valid DNS names and were not
 *     stored; the leases were bound without them
 * @param store what the lease store reported about its commits
 */
public record EventCounts(
        Map<DhcpMessageType, Long> requests,
        Map<DhcpMessageType, Long> replies,
        Map<DropReason, Long> drops,
        long leasesBound,
        long leasesReleased,
        long addressesDeclined,
        long poolExhaustions,
        long hostnamesRefused,
        StoreCounts store) {

    public EventCounts {
        requests = Map.copyOf(requests);
        replies = Map.copyOf(replies);
        drops = Map.copyOf(drops);
        Objects.requireNonNull(store, "store");
    }

    /**
     * The lease store's commits so far (group commit: one commit makes many changes durable).
     *
     * @param commits transactions committed
     * @param changesCommitted leases made durable by them
     * @param lastBatch changes in the latest commit
     * @param maxBatch the most changes one commit held
     * @param commitLatencyTotal the latencies of every commit added up
     * @param commitLatencyMax the slowest commit
     * @param pending changes waiting for the next commit, as of the store's latest report
     * @param failures commits that failed (each failed every write it held)
     */
    public record StoreCounts(
            long commits,
            long changesCommitted,
            int lastBatch,
            int maxBatch,
            Duration commitLatencyTotal,
            Duration commitLatencyMax,
            int pending,
            long failures) {

        public StoreCounts {
            Objects.requireNonNull(commitLatencyTotal, "commitLatencyTotal");
            Objects.requireNonNull(commitLatencyMax, "commitLatencyMax");
        }

        /** Changes per commit on average; 0 before the first commit. */
        public double averageBatch() {
            return commits == 0 ? 0 : (double) changesCommitted / commits;
        }

        /** The mean commit latency; zero before the first commit. */
        public Duration averageCommitLatency() {
            return commits == 0 ? Duration.ZERO : commitLatencyTotal.dividedBy(commits);
        }
    }

    /** Requests of {@code type} received. */
    public long requests(DhcpMessageType type) {
        return requests.getOrDefault(type, 0L);
    }

    /** Replies of {@code type} sent. */
    public long replies(DhcpMessageType type) {
        return replies.getOrDefault(type, 0L);
    }

    /** Datagrams dropped for {@code reason}. */
    public long drops(DropReason reason) {
        return drops.getOrDefault(reason, 0L);
    }

    /**
     * The DHCP traffic in one line, each kind of message and each drop reason that occurred, in
     * protocol order: {@code received 10000 DISCOVER, 100 REQUEST; sent 100 OFFER, 100 ACK;
     * dropped 9900 POOL_EXHAUSTED}. A part with nothing in it reads {@code nothing}.
     */
    public String describeTraffic() {
        return "received " + nonZero(requests, DhcpMessageType.values()) + "; sent "
                + nonZero(replies, DhcpMessageType.values()) + "; dropped " + nonZero(drops, DropReason.values());
    }

    private static <E extends Enum<E>> String nonZero(Map<E, Long> counts, E[] order) {
        List<String> parts = new ArrayList<>();
        for (E key : order) {
            long count = counts.getOrDefault(key, 0L);
            if (count > 0) {
                parts.add(count + " " + key.name());
            }
        }
        return parts.isEmpty() ? "nothing" : String.join(", ", parts);
    }
}
