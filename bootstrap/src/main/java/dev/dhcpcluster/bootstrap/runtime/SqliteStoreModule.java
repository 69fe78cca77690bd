package dev.dhcpcluster.bootstrap.runtime;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoMap;
import dagger.multibindings.StringKey;
import dev.dhcpcluster.adapter.storage.SqliteLeaseStore;
import dev.dhcpcluster.bootstrap.config.NodeConfig;
import dev.dhcpcluster.bootstrap.config.StoreSettings;
import dev.dhcpcluster.port.store.LeaseStore;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import dev.dhcpcluster.port.time.Clock;

/**
 * Registers the durable SQLite lease store under {@code "lease-store": {"type": "sqlite"}}, the
 * store a node gets when its file names none.
 */
@Module
public final class SqliteStoreModule {

    private SqliteStoreModule() {
    }

    /**
     * A store over the configured file (in the data directory unless absolute). It opens nothing
     * until the node loads its leases, after the node has created the file's directory.
     */
    @Provides
    @IntoMap
    @StringKey("sqlite")
    static LeaseStore sqliteLeaseStore(NodeConfig config, Clock clock, ClusterEvents events) {
        StoreSettings settings = config.leaseStore();
        return new SqliteLeaseStore(settings.file().orElseThrow(() -> new IllegalStateException(
                "lease-store.file: the sqlite lease store needs a file, and the config loader always gives one")),
                clock, events, settings.expiredRetention());
    }
}
