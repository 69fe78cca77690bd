package dev.dhcpcluster.adapter.storage;

import dev.dhcpcluster.port.plugin.AdapterFactory;
import dev.dhcpcluster.port.plugin.AdapterSettings;
import dev.dhcpcluster.port.plugin.LeaseStoreProvider;
import dev.dhcpcluster.port.store.LeaseStore;

/**
 * Offers the volatile {@link MemoryLeaseStore} as {@code "lease-store": {"type": "memory"}}: every
 * lease is lost when the node stops. It takes no settings; the fields of a durable store are
 * refused by name, since they would do nothing.
 */
public final class MemoryStoreProvider implements LeaseStoreProvider {

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public AdapterFactory<LeaseStore> configure(AdapterSettings settings) {
        if (settings.has("file")) {
            settings.problem("file", "the memory lease store keeps no file");
        }
        if (settings.has("expired-retention")) {
            settings.problem("expired-retention", "the memory lease store keeps no expired leases");
        }
        return context -> new MemoryLeaseStore();
    }
}
