package dev.dhcpcluster.bootstrap.metrics;

import dagger.Binds;
import dagger.Module;
import dagger.Provides;
import dev.dhcpcluster.bootstrap.runtime.ClusterService;
import dev.dhcpcluster.bootstrap.runtime.EventLoop;
import dev.dhcpcluster.bootstrap.runtime.LoggingClusterEvents;
import dev.dhcpcluster.bootstrap.runtime.NodeService;
import dev.dhcpcluster.bootstrap.runtime.StoreCommitObserver;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Optional;
import javax.inject.Singleton;

/**
 * A node's metrics: its own {@link PrometheusRegistry} (not the client library's default one, so
 * that several nodes in one process, as in tests and the demo, each show only their own) with
 * everything registered in it. Whoever serves {@code /metrics} injects the registry.
 */
@Module
public abstract class MetricsModule {

    /** How long a scrape waits for the event loop to read the pool usage. */
    static final Duration USAGE_TIMEOUT = Duration.ofSeconds(2);

    private MetricsModule() {
    }

    @Provides
    @Singleton
    static CommitHistograms commitHistograms() {
        return new CommitHistograms();
    }

    @Binds
    abstract StoreCommitObserver storeCommitObserver(CommitHistograms histograms);

    @Provides
    @Singleton
    static PrometheusRegistry registry(LoggingClusterEvents events, CommitHistograms commits, NodeService node,
            EventLoop loop, ClusterService cluster) {
        PrometheusRegistry registry = new PrometheusRegistry();
        new EventMetrics(events::counts).register(registry);
        commits.register(registry);
        new PoolUsageCollector(() -> node.isRunning() ? Optional.of(node.usage(USAGE_TIMEOUT)) : Optional.empty())
                .register(registry);
        new EventLoopMetrics(loop).register(registry);
        if (cluster.clustered()) {
            new ClusterMetrics(cluster::view, events::clusterCounts).register(registry);
        }
        BuildInfo.register(registry);
        JvmMetrics.builder().register(registry);
        return registry;
    }
}
