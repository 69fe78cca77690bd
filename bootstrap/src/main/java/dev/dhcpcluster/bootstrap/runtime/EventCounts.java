package dev.dhcpcluster.bootstrap.runtime;

import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import java.util.Map;

/**
 * What a node has counted so far (see {@link LoggingClusterEvents}).
 *
 * @param requests well-formed requests received, by type
 * @param replies replies sent, by type
 * @param drops datagrams answered with silence, by reason
 * @param leasesBound DHCPACKs that bound or renewed a lease
 * @param leasesReleased leases given back
 * @param addressesDeclined addresses reported in use by another host
 * @param poolExhaustions requests that found no free address
 */
public record EventCounts(
        Map<DhcpMessageType, Long> requests,
        Map<DhcpMessageType, Long> replies,
        Map<DropReason, Long> drops,
        long leasesBound,
        long leasesReleased,
        long addressesDeclined,
        long poolExhaustions) {

    public EventCounts {
        requests = Map.copyOf(requests);
        replies = Map.copyOf(replies);
        drops = Map.copyOf(drops);
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
}
