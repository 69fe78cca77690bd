package dev.dhcpcluster.bootstrap.metrics;

import dev.dhcpcluster.bootstrap.runtime.ClusterView;
import dev.dhcpcluster.bootstrap.runtime.MemberView;
import dev.dhcpcluster.bootstrap.runtime.LoggingClusterEvents;
import dev.dhcpcluster.core.election.ElectionStatus;
import dev.dhcpcluster.core.election.Role;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerRefusal;
import dev.dhcpcluster.port.telemetry.ElectionEvent;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The cluster's metrics, registered only in a node with a {@code cluster} section: its role, epoch
 * and leader, whether it hears a majority, elections started, peers connected, connection events,
 * refusals by reason, and the round trip to each peer. Role, epoch, peers and round trips come from
 * the cluster's latest snapshot (at most a heartbeat interval old), so a scrape never waits for the
 * event loop; the counts come from the node's events.
 */
public final class ClusterMetrics {

    private final Supplier<Optional<ClusterView>> view;
    private final Supplier<LoggingClusterEvents.ClusterCounts> counts;

    /**
     * @param view the cluster's latest snapshot, empty before the cluster has started
     * @param counts the cluster's event counts
     */
    public ClusterMetrics(Supplier<Optional<ClusterView>> view, Supplier<LoggingClusterEvents.ClusterCounts> counts) {
        this.view = Objects.requireNonNull(view, "view");
        this.counts = Objects.requireNonNull(counts, "counts");
    }

    /** The label of a role: {@code leader}. */
    static String label(Role role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    /** The label of a refusal or an election step: {@code wrong_secret}, {@code election_started}. */
    static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Registers every metric of this class in {@code registry}. */
    public void register(PrometheusRegistry registry) {
        GaugeWithCallback.builder()
                .name("dhcpcluster_election_role")
                .help("1 for the role this node has in the election now (leader, candidate or follower), 0 for the others")
                .labelNames("role")
                .callback(callback -> election().ifPresent(status -> {
                    for (Role role : Role.values()) {
                        callback.call(status.role() == role ? 1 : 0, label(role));
                    }
                }))
                .register(registry);
        GaugeWithCallback.builder()
                .name("dhcpcluster_election_epoch")
                .help("The highest epoch this node has acknowledged")
                .callback(callback -> election().ifPresent(status -> callback.call(status.epoch())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("dhcpcluster_election_leader")
                .help("The node id of the leader this node follows (its own when it leads); 0 when it knows none")
                .callback(callback -> election().ifPresent(status ->
                        callback.call(status.leader().map(NodeId::value).orElse(0))))
                .register(registry);
        GaugeWithCallback.builder()
                .name("dhcpcluster_election_majority_present")
                .help("1 if this node hears a majority of the configured cluster, itself included; else 0")
                .callback(callback -> election().ifPresent(status -> callback.call(status.majorityPresent() ? 1 : 0)))
                .register(registry);
        CounterWithCallback.builder()
                .name("dhcpcluster_elections_started_total")
                .help("Elections this node has started since it started")
                .callback(callback -> callback.call(counts.get().elections(ElectionEvent.Kind.ELECTION_STARTED)))
                .register(registry);
        CounterWithCallback.builder()
                .name("dhcpcluster_election_events_total")
                .help("Steps of this node's election, by kind (each is also one log line)")
                .labelNames("kind")
                .callback(callback -> {
                    LoggingClusterEvents.ClusterCounts now = counts.get();
                    for (ElectionEvent.Kind kind : ElectionEvent.Kind.values()) {
                        callback.call(now.elections(kind), label(kind));
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("dhcpcluster_peers_connected")
                .help("Peers connected and authenticated now")
                .callback(callback -> view.get().ifPresent(current -> callback.call(current.connected().size())))
                .register(registry);
        CounterWithCallback.builder()
                .name("dhcpcluster_peer_connection_events_total")
                .help("Peer connections made (connected) and ended (disconnected)")
                .labelNames("event")
                .callback(callback -> {
                    LoggingClusterEvents.ClusterCounts now = counts.get();
                    callback.call(now.connected(), "connected");
                    callback.call(now.disconnected(), "disconnected");
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("dhcpcluster_peer_refusals_total")
                .help("Would-be peers refused, or peer connections closed for what they sent, by reason")
                .labelNames("reason")
                .callback(callback -> {
                    LoggingClusterEvents.ClusterCounts now = counts.get();
                    for (PeerRefusal reason : PeerRefusal.values()) {
                        callback.call(now.refusals(reason), label(reason));
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("dhcpcluster_peer_round_trip_seconds")
                .help("The latest round-trip time measured to each connected peer, by peer node id")
                .labelNames("peer")
                .callback(callback -> view.get().ifPresent(current -> {
                    for (Map.Entry<NodeId, Duration> entry : current.roundTrips().entrySet()) {
                        callback.call(entry.getValue().toNanos() / 1e9, Integer.toString(entry.getKey().value()));
                    }
                }))
                .register(registry);
        registerAddressSpace(registry);
    }

    /** The address space this member holds and its replication lag; see {@link MemberView}. */
    private void registerAddressSpace(PrometheusRegistry registry) {
        GaugeWithCallback.builder()
                .name("dhcpcluster_held_blocks")
                .help("Address blocks this node may give new clients addresses from now: those its current grant holds")
                .callback(callback -> member().ifPresent(now -> callback.call(now.holdings().blocks().size())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("dhcpcluster_held_buckets")
                .help("Client hash buckets (RFC 3074) this node answers for now: those its current grant holds")
                .callback(callback -> member().ifPresent(now -> callback.call(now.holdings().buckets().size())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("dhcpcluster_held_free_addresses")
                .help("Free addresses in the blocks this node holds now")
                .callback(callback -> member().ifPresent(now -> callback.call(now.freeAddresses())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("dhcpcluster_replication_in_flight")
                .help("This node's lease changes waiting for a majority of the cluster to make them durable")
                .callback(callback -> member().ifPresent(now -> callback.call(now.replicating())))
                .register(registry);
        GaugeWithCallback.builder()
                .name("dhcpcluster_replication_recovering")
                .help("1 while this node, having lost its lease store, acknowledges no lease change; else 0")
                .callback(callback -> member().ifPresent(now -> callback.call(now.recovering() ? 1 : 0)))
                .register(registry);
    }

    private Optional<MemberView> member() {
        return view.get().flatMap(ClusterView::member);
    }

    private Optional<ElectionStatus> election() {
        return view.get().map(ClusterView::election);
    }
}
