package dev.dhcpcluster.bootstrap.relay;

import dev.dhcpcluster.bootstrap.metrics.BuildInfo;
import dev.dhcpcluster.core.relay.AgentInformation;
import dev.dhcpcluster.core.relay.RelayDropReason;
import dev.dhcpcluster.core.relay.ClusterPicture;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;

/**
 * A relay's metrics (listed in {@code docs/metrics.md}), read from its {@link RelayCounters} at
 * each scrape, in a registry of the relay's own, with the build and JVM metrics a node shows too.
 */
final class RelayMetrics {

    private RelayMetrics() {
    }

    /** A registry with every metric of {@code relay}, and the build's and the JVM's. */
    static PrometheusRegistry registry(RelayRuntime relay) {
        PrometheusRegistry registry = new PrometheusRegistry();
        register(registry, relay);
        BuildInfo.register(registry);
        JvmMetrics.builder().register(registry);
        return registry;
    }

    /**
     * Registers the {@code dhcpcluster_relay_*} metrics of {@code relay} in {@code registry}: a
     * relay's own, or the node's whose process it runs in.
     */
    static void register(PrometheusRegistry registry, RelayRuntime relay) {
        RelayCounters counters = relay.counters();
        CounterWithCallback.builder()
                .name("dhcpcluster_relay_forwarded_total")
                .help("Requests forwarded to servers, one per request whatever the number of servers it went to")
                .callback(callback -> callback.call(counters.forwarded()))
                .register(registry);
        CounterWithCallback.builder()
                .name("dhcpcluster_relay_sent_total")
                .help("Datagrams sent to each server")
                .labelNames("server")
                .callback(callback -> {
                    for (var server : relay.config().settings().servers()) {
                        callback.call(counters.sent(server), server.toString());
                    }
                    // A server a reload removed keeps its count, so that the series does not go back.
                    for (Map.Entry<?, Long> entry : counters.sentByServer().entrySet()) {
                        if (!relay.config().settings().servers().contains(entry.getKey())) {
                            callback.call(entry.getValue(), entry.getKey().toString());
                        }
                    }
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("dhcpcluster_relay_returned_total")
                .help("Replies returned to clients")
                .callback(callback -> callback.call(counters.returned()))
                .register(registry);
        CounterWithCallback.builder()
                .name("dhcpcluster_relay_dropped_total")
                .help("Datagrams the relay forwarded nowhere, by reason")
                .labelNames("reason")
                .callback(callback -> {
                    for (RelayDropReason reason : RelayDropReason.values()) {
                        callback.call(counters.dropped(reason), RelayCounters.label(reason));
                    }
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("dhcpcluster_relay_agent_information_total")
                .help("Requests forwarded, by what became of option 82 (relay agent information)")
                .labelNames("outcome")
                .callback(callback -> {
                    for (AgentInformation outcome : AgentInformation.values()) {
                        callback.call(counters.agentInformation(outcome), RelayCounters.label(outcome));
                    }
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("dhcpcluster_relay_config_reloads_total")
                .help("Config reloads (SIGHUP or a change of the file), applied or refused")
                .labelNames("outcome")
                .callback(callback -> {
                    callback.call(counters.reloads(true), "applied");
                    callback.call(counters.reloads(false), "refused");
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("dhcpcluster_relay_node_up")
                .help("With relay.cluster: 1 for each node the relay hears now (reported within its failure timeout, "
                        + "connection up), else 0")
                .labelNames("node")
                .callback(callback -> {
                    ClusterPicture picture = relay.picture();
                    for (RelayConfig.Server server : relay.config().servers()) {
                        server.node().ifPresent(node -> callback.call(picture.isLive(node) ? 1 : 0,
                                Integer.toString(node.value())));
                    }
                })
                .register(registry);
        GaugeWithCallback.builder()
                .name("dhcpcluster_relay_node_round_trip_seconds")
                .help("With relay.cluster: the latest round-trip time measured on the relay's connection to each node")
                .labelNames("node")
                .callback(callback -> {
                    ClusterPicture picture = relay.picture();
                    for (RelayConfig.Server server : relay.config().servers()) {
                        server.node().ifPresent(node -> picture.roundTrip(node).ifPresent(rtt ->
                                callback.call(rtt.toNanos() / 1e9, Integer.toString(node.value()))));
                    }
                })
                .register(registry);
    }
}
