package dev.dhcpcluster.port.plugin;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a node gives the adapters it creates.
 *
 * @param node the node's id
 * @param dataDirectory where the node keeps its files, absolute. The node creates it, if missing,
 *     once its DHCP transport has started (a node whose port is taken touches no file) and before
 *     it creates its lease store. An adapter that keeps files keeps them here unless told otherwise.
 * @param clock the node's clock
 * @param scheduler the node's application thread: an adapter's callback that must touch the
 *     node's state hops onto it with {@link Scheduler#execute}
 * @param events where the adapter reports what happened (the store's commits, the peers'
 *     connections), for the node's metrics and logs
 */
public record NodeContext(NodeId node, Path dataDirectory, Clock clock, Scheduler scheduler, ClusterEvents events) {

    public NodeContext {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(events, "events");
        if (!dataDirectory.isAbsolute()) {
            throw new IllegalArgumentException("the data directory must be absolute, not " + dataDirectory);
        }
    }
}
