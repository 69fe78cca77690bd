package dev.dhcpcluster.bootstrap;

import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.port.plugin.NodeContext;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import dev.dhcpcluster.port.time.Cancellable;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;

/** Opens a node's lease store from outside the node, as an earlier or a later run of it would. */
public final class StoreFiles {

    private StoreFiles() {
    }

    /** The store {@code config} names, created but not yet loaded. */
    public static LeaseStore of(NodeConfig config) {
        Clock clock = System::currentTimeMillis;
        Scheduler refusing = new Scheduler() {
            @Override
            public void execute(Runnable task) {
                throw new UnsupportedOperationException("a store opened by a test runs nothing on the node's thread");
            }

            @Override
            public Cancellable schedule(Duration delay, Runnable task) {
                throw new UnsupportedOperationException("a store opened by a test runs nothing on the node's thread");
            }
        };
        return config.leaseStore().factory().create(new NodeContext(config.node(), config.dataDirectory(), clock,
                refusing, ClusterEvents.NONE));
    }
}
