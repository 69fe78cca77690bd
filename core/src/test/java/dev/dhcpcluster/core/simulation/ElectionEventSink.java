package dev.dhcpcluster.core.simulation;

import dev.dhcpcluster.port.telemetry.ClusterEvents;
import dev.dhcpcluster.port.telemetry.ElectionEvent;
import java.util.function.Consumer;

/**
 * A simulated node's telemetry: its election events go to the simulation's trace, and the rest,
 * which no simulated node produces or no checker reads, is ignored (the interface's defaults).
 *
 * @param sink what receives each election event
 */
record ElectionEventSink(Consumer<ElectionEvent> sink) implements ClusterEvents {

    @Override
    public void election(ElectionEvent event) {
        sink.accept(event);
    }
}
