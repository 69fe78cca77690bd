package dev.dhcpcluster.bootstrap.runtime;

import com.google.common.util.concurrent.Service;
import com.google.common.util.concurrent.ServiceManager;
import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoSet;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import dev.dhcpcluster.port.time.Clock;
import dev.dhcpcluster.port.time.Scheduler;
import java.time.Duration;
import java.util.Set;
import javax.inject.Singleton;

/**
 * The parts of a node that do not depend on the chosen adapters: thread, clock, telemetry, the
 * cluster, services.
 */
@Module
public abstract class RuntimeModule {

    /** How often rate-limited warnings may repeat, and how often malformed datagrams are summarized. */
    static final Duration LOG_INTERVAL = Duration.ofSeconds(60);

    private RuntimeModule() {
    }

    @Provides
    @Singleton
    static EventLoop eventLoop(NodeConfig config) {
        return new EventLoop("dhcpcluster-node-" + config.node().value(), config.dhcpQueue());
    }

    @Binds
    abstract Clock clock(EventLoop loop);

    @Binds
    abstract Scheduler scheduler(EventLoop loop);

    @Provides
    @Singleton
    static LoggingClusterEvents loggingClusterEvents(EventLoop loop, StoreCommitObserver commits) {
        return new LoggingClusterEvents(loop, loop, LOG_INTERVAL, commits);
    }

    @Binds
    abstract ClusterEvents clusterEvents(LoggingClusterEvents events);

    @Binds
    @IntoSet
    abstract Service eventLoopService(EventLoop loop);

    @Binds
    @IntoSet
    abstract Service nodeService(NodeService node);

    /** The cluster: the peer transport and the election; does nothing for a node without a cluster section. */
    @Binds
    @IntoSet
    abstract Service clusterService(ClusterService cluster);

    @Provides
    @Singleton
    static ServiceManager serviceManager(Set<Service> services) {
        return new ServiceManager(services);
    }
}
