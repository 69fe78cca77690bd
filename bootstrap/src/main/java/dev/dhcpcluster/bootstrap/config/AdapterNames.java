package dev.dhcpcluster.bootstrap.config;

import java.util.Set;

/**
 * The adapter names a node file may choose from. The Dagger modules register their adapters
 * under exactly these names (a test holds the two together), so that a typo in the file is caught
 * when the file is checked, before anything starts.
 */
public final class AdapterNames {

    /** Values of {@code transport.type}. */
    public static final Set<String> TRANSPORTS = Set.of("udp");

    /** Values of {@code lease-store.type}. */
    public static final Set<String> STORES = Set.of("memory");

    private AdapterNames() {
    }
}
