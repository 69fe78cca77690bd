package dev.dhcpcluster.bootstrap.runtime;

import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoMap;
import dagger.multibindings.StringKey;
import dev.dhcpcluster.adapter.storage.MemoryLeaseStore;
import dev.dhcpcluster.port.store.LeaseStore;

/** Registers the in-memory lease store under {@code "lease-store": {"type": "memory"}}. */
@Module
public final class MemoryStoreModule {

    private MemoryStoreModule() {
    }

    /** An empty, volatile store: every lease is lost when the node stops. */
    @Provides
    @IntoMap
    @StringKey("memory")
    static LeaseStore memoryLeaseStore() {
        return new MemoryLeaseStore();
    }
}
