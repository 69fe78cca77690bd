package dev.dhcpcluster.bootstrap.runtime;

import dagger.BindsInstance;
import dagger.Component;
import dev.dhcpcluster.bootstrap.admin.AdminModule;
import dev.dhcpcluster.bootstrap.admin.AdminService;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.metrics.MetricsModule;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import javax.inject.Singleton;

/**
 * One node: the object graph built from a loaded {@link NodeConfig}. The adapters are not part of
 * the graph: the config carries them, chosen and configured from the providers found on the class
 * path ({@link dev.dhcpcluster.bootstrap.plugin.AdapterCatalog}), and the node creates them when
 * it starts.
 */
@Singleton
@Component(modules = {RuntimeModule.class, MetricsModule.class, AdminModule.class})
public interface NodeComponent {

    /** The node, ready to start. */
    NodeRuntime runtime();

    /** The node's metrics, as {@code /metrics} shows them (docs/metrics.md lists them). */
    PrometheusRegistry metrics();

    /**
     * The admin HTTP endpoint; one of the runtime's services only if {@code admin.enabled} is not
     * false (then it never starts, and {@link AdminService#port()} says so).
     */
    AdminService admin();

    /** Builds a node's graph. */
    @Component.Factory
    interface Factory {
        NodeComponent create(@BindsInstance NodeConfig config, @BindsInstance ConfigSource source);
    }

    /**
     * A node's graph for {@code config}, which did not come from a file: a reload of that node is
     * refused, since there is nothing to read again.
     */
    static NodeComponent of(NodeConfig config) {
        return of(config, ConfigSource.none("a config that is not a file"));
    }

    /** A node's graph for {@code config}, read from {@code source}; a reload reads the file again. */
    static NodeComponent of(NodeConfig config, ConfigSource source) {
        return DaggerNodeComponent.factory().create(config, source);
    }
}
