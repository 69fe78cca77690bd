package dev.dhcpcluster.port.plugin;

import dev.dhcpcluster.port.store.LeaseStore;

/**
 * Offers a {@link LeaseStore} under {@code "lease-store": {"type": ...}}; the section's other
 * fields are the store's own settings.
 *
 * <p>Register an implementation in {@code META-INF/services/dev.dhcpcluster.port.plugin.LeaseStoreProvider}.
 */
public interface LeaseStoreProvider extends AdapterProvider<LeaseStore> {
}
