package dev.dhcpcluster.bootstrap.metrics;

import dev.dhcpcluster.bootstrap.runtime.EventLoop;
import dev.dhcpcluster.bootstrap.runtime.ShedReason;
import dev.dhcpcluster.core.dhcp.DatagramClass;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Objects;

/**
 * The node's event loop: how many tasks wait for its one thread (a growing backlog means the node
 * cannot keep up with its traffic), how many DHCP datagrams wait and were shed, by class, how many
 * timers are set, and how many tasks it has run. Read from the loop's queues at each scrape.
 */
public final class EventLoopMetrics {

    private final EventLoop loop;

    /** @param loop the node's loop */
    public EventLoopMetrics(EventLoop loop) {
        this.loop = Objects.requireNonNull(loop, "loop");
    }

    /** Registers the loop's metrics in {@code registry}. */
    public void register(PrometheusRegistry registry) {
        GaugeWithCallback.builder()
                .name("dhcpcluster_event_loop_queued_tasks")
                .help("Tasks due on the event loop and waiting for its thread (peer messages, store callbacks, "
                        + "timers whose time has come, turns of the DHCP lane): the priority lane's depth")
                .callback(callback -> callback.call(loop.backlog().due()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("dhcpcluster_event_loop_scheduled_timers")
                .help("Timers set on the event loop for later")
                .callback(callback -> callback.call(loop.backlog().scheduled()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("dhcpcluster_event_loop_queued_datagrams")
                .help("DHCP datagrams waiting in the event loop's DHCP lane, by class (request: REQUEST, DECLINE, "
                        + "RELEASE, INFORM; discover; other), each class bounded by node.dhcp-queue.capacity")
                .labelNames("class")
                .callback(callback -> {
                    for (DatagramClass datagramClass : DatagramClass.values()) {
                        callback.call(loop.queuedDatagrams(datagramClass), datagramClass.label());
                    }
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("dhcpcluster_event_loop_datagrams_shed_total")
                .help("DHCP datagrams dropped unanswered by the event loop's DHCP lane (load shed, so that timers "
                        + "and peer messages are not delayed), by class and reason (full: the oldest of a full "
                        + "queue, pushed out by a newer one; expired: waited longer than node.dhcp-queue.max-age-ms)")
                .labelNames("class", "reason")
                .callback(callback -> {
                    for (DatagramClass datagramClass : DatagramClass.values()) {
                        for (ShedReason reason : ShedReason.values()) {
                            callback.call(loop.datagramsShed(datagramClass, reason), datagramClass.label(),
                                    reason.label());
                        }
                    }
                })
                .register(registry);
        CounterWithCallback.builder()
                .name("dhcpcluster_event_loop_tasks_completed_total")
                .help("Tasks the event loop has run, each datagram counted as one")
                .callback(callback -> callback.call(loop.completedTasks()))
                .register(registry);
    }
}
