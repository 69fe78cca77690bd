package dev.dhcpcluster.bootstrap.config;

import java.util.Set;

/**
 * The adapter names a node file may choose from. The Dagger modules register their adapters
 * under exactly these names (a test holds the two together), so that a typo in the file is caught
 * when the file is checked, before anything starts.
 */
public final class AdapterNames {

    /** Values of {@code transport.type}. */
    public static final Set<String> TRANSPORTS = Set.of("udp", "pcap");

    /**
     * The values of {@code transport.type} whose transport serves the several interfaces listed
     * in {@code transport.interfaces}; the others serve one, named by {@code transport.interface}.
     */
    public static final Set<String> TRANSPORTS_WITH_INTERFACE_LIST = Set.of("pcap");

    /** Values of {@code lease-store.type}. */
    public static final Set<String> STORES = Set.of("sqlite", "memory");

    /**
     * The values of {@code lease-store.type} whose store keeps a file (named by
     * {@code lease-store.file}, in the data directory unless absolute); the others keep nothing on
     * disk and take no file.
     */
    public static final Set<String> STORES_WITH_FILE = Set.of("sqlite");

    private AdapterNames() {
    }
}
