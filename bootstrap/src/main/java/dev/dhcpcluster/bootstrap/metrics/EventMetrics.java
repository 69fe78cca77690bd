package dev.dhcpcluster.bootstrap.metrics;

import dev.dhcpcluster.bootstrap.runtime.EventCounts;
import dev.dhcpcluster.core.dhcp.DhcpPolicy;
import dev.dhcpcluster.port.model.DhcpMessageType;
import dev.dhcpcluster.port.model.DropReason;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * The node's event counts as Prometheus metrics: DHCP messages in and out by type, drops by
 * reason, lease events, pool exhaustion reports and the lease store's failures and backlog.
 *
 * <p>Every metric reads {@link EventCounts} when it is scraped, through callbacks: the counting
 * itself stays in {@link dev.dhcpcluster.bootstrap.runtime.LoggingClusterEvents}, where it costs
 * one {@code LongAdder} increment per event, and nothing is counted twice.
 */
public final class EventMetrics {

    private final Supplier<EventCounts> counts;

    /** @param counts what the node has counted so far, read at each scrape */
    public EventMetrics(Supplier<EventCounts> counts) {
        this.counts = Objects.requireNonNull(counts, "counts");
    }

    /** Registers every metric of this class in {@code registry}. */
    public void register(PrometheusRegistry registry) {
        CounterWithCallback.builder()
                .name("dhcpcluster_dhcp_packets_received_total")
                .help("Well-formed DHCP messages received, by message type")
                .labelNames("type")
                .callback(callback -> {
                    EventCounts now = counts.get();
                    // Only the types a client sends: a server's types are never counted as received.
                    for (DhcpMessageType type : DhcpMessageType.values()) {
                        if (DhcpPolicy.isClientMessage(type)) {
                            callback.call(now.requests(type), label(type));
                        }
                    }
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("dhcpcluster_dhcp_packets_sent_total")
                .help("DHCP replies handed to the transport, by message type")
                .labelNames("type")
                .callback(callback -> {
                    EventCounts now = counts.get();
                    for (DhcpMessageType type : DhcpMessageType.values()) {
                        if (!DhcpPolicy.isClientMessage(type)) {
                            callback.call(now.replies(type), label(type));
                        }
                    }
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("dhcpcluster_dhcp_packets_dropped_total")
                .help("Datagrams answered with silence, by reason")
                .labelNames("reason")
                .callback(callback -> {
                    EventCounts now = counts.get();
                    for (DropReason reason : DropReason.values()) {
                        callback.call(now.drops(reason), label(reason));
                    }
                })
                .register(registry);
        counter(registry, "dhcpcluster_leases_bound_total",
                "DHCPACKs that bound or renewed a lease (each after the lease was durable)", EventCounts::leasesBound);
        counter(registry, "dhcpcluster_leases_released_total", "Leases given back by their clients (DHCPRELEASE)",
                EventCounts::leasesReleased);
        counter(registry, "dhcpcluster_leases_declined_total",
                "Addresses a client reported in use by another host (DHCPDECLINE), quarantined since",
                EventCounts::addressesDeclined);
        counter(registry, "dhcpcluster_pool_exhaustion_reports_total",
                "Reports that a subnet had no address for a new client, at most one per minute per subnet",
                EventCounts::poolExhaustions);
        counter(registry, "dhcpcluster_hostnames_refused_total",
                "Client host names (option 81 or 12) that were not valid DNS names; their leases were bound without "
                        + "a host name", EventCounts::hostnamesRefused);
        counter(registry, "dhcpcluster_lease_store_commit_failures_total",
                "Lease store commits that failed; every lease change they held was refused",
                now -> now.store().failures());
        GaugeWithCallback.builder()
                .name("dhcpcluster_lease_store_pending_changes")
                .help("Lease changes accepted by the store and waiting for its next commit, as of its latest report")
                .callback(callback -> callback.call(counts.get().store().pending()))
                .register(registry);
    }

    private void counter(PrometheusRegistry registry, String name, String help, ToLongFunction<EventCounts> value) {
        CounterWithCallback.builder()
                .name(name)
                .help(help)
                .callback(callback -> callback.call(value.applyAsLong(counts.get())))
                .register(registry);
    }

    /** A label value for an enum constant: {@code POOL_EXHAUSTED} becomes {@code pool_exhausted}. */
    static String label(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}
