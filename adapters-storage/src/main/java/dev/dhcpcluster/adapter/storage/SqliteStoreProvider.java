package dev.dhcpcluster.adapter.storage;

import dev.dhcpcluster.port.plugin.AdapterFactory;
import dev.dhcpcluster.port.plugin.AdapterSettings;
import dev.dhcpcluster.port.plugin.LeaseStoreProvider;
import dev.dhcpcluster.port.store.LeaseStore;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Offers the durable {@link SqliteLeaseStore} as {@code "lease-store": {"type": "sqlite"}}, the
 * store a node gets when its file names none. Its settings: {@code file} (default
 * {@value #DEFAULT_FILE}, in the data directory unless absolute) and {@code expired-retention}, in
 * seconds (default one day).
 */
public final class SqliteStoreProvider implements LeaseStoreProvider {

    /** The store's file name, in the data directory, when the settings name none. */
    public static final String DEFAULT_FILE = "leases.db";
    /** How long expired leases are kept when the settings do not say. */
    public static final Duration DEFAULT_EXPIRED_RETENTION = Duration.ofDays(1);
    /** The longest retention accepted: about 136 years, the longest finite lease time. */
    static final Duration MAX_EXPIRED_RETENTION = Duration.ofSeconds(0xFFFFFFFEL);

    @Override
    public String type() {
        return "sqlite";
    }

    @Override
    public AdapterFactory<LeaseStore> configure(AdapterSettings settings) {
        Path file = settings.file("file").orElse(settings.dataDirectory().resolve(DEFAULT_FILE));
        Object written = settings.values().get("file");
        if (written instanceof String text && (text.endsWith("/") || file.getFileName() == null
                || file.equals(settings.dataDirectory()))) {
            settings.problem("file", "\"" + text + "\" names a directory; name the store's file, like \""
                    + DEFAULT_FILE + "\"");
        }
        Duration retention = settings.seconds("expired-retention", Duration.ZERO, MAX_EXPIRED_RETENTION)
                .orElse(DEFAULT_EXPIRED_RETENTION);
        return context -> new SqliteLeaseStore(file, context.clock(), context.events(), retention);
    }
}
