package dev.dhcpcluster.example;

import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.plugin.AdapterFactory;
import dev.dhcpcluster.port.plugin.AdapterSettings;
import dev.dhcpcluster.port.plugin.DhcpTransportProvider;
import dev.dhcpcluster.port.plugin.LeaseStoreProvider;
import dev.dhcpcluster.port.store.LeaseStore;
import java.nio.file.Path;

/**
 * Registers the example's adapters, found by {@link java.util.ServiceLoader} through
 * {@code META-INF/services}: {@code "transport": {"type": "unix-socket", "path": "dhcp.sock"}} and
 * {@code "lease-store": {"type": "map", "name": "leases"}}.
 */
public final class ExampleProviders {

    private ExampleProviders() {
    }

    /** The Unix socket transport; {@code path} (required): the controller's socket, in the data directory unless absolute. */
    public static final class Transport implements DhcpTransportProvider {
        @Override
        public String type() {
            return "unix-socket";
        }

        @Override
        public AdapterFactory<DhcpTransport> configure(AdapterSettings settings) {
            settings.require("path");
            Path path = settings.file("path").orElse(null);
            return context -> new UnixSocketTransport(path);
        }
    }

    /** The map store; {@code name} (default {@code leases}) names the map. */
    public static final class Store implements LeaseStoreProvider {
        @Override
        public String type() {
            return "map";
        }

        @Override
        public AdapterFactory<LeaseStore> configure(AdapterSettings settings) {
            String name = settings.string("name").orElse("leases");
            return context -> new MapLeaseStore(name);
        }
    }
}
