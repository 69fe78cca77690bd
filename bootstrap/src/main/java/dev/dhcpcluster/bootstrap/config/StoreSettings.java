package dev.dhcpcluster.bootstrap.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code "lease-store"} section, resolved.
 *
 * @param type the store's name, one of {@link AdapterNames#STORES}
 * @param file the store's file, absolute, for a store that keeps one ({@code sqlite}); empty for
 *     a store that keeps nothing on disk ({@code memory})
 * @param expiredRetention how long a lease past its expiry is kept before the store deletes it
 */
public record StoreSettings(String type, Optional<Path> file, Duration expiredRetention) {

    /** The store a node file gets when it names none: {@code sqlite}. */
    public static final String DEFAULT_TYPE = "sqlite";
    /** The file name of the SQLite store, in the data directory, when the file names none. */
    public static final String DEFAULT_FILE = "leases.db";
    /** How long expired leases are kept when the file does not say: one day. */
    public static final Duration DEFAULT_EXPIRED_RETENTION = Duration.ofDays(1);

    public StoreSettings {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(expiredRetention, "expiredRetention");
        if (file.isPresent() && !file.get().isAbsolute()) {
            throw new IllegalArgumentException("the store file must be resolved to an absolute path, not " + file.get());
        }
        if (expiredRetention.isNegative()) {
            throw new IllegalArgumentException("the expired-lease retention must not be negative");
        }
    }

    /** A store that keeps no file, with the default retention: {@code "lease-store": {"type": "memory"}}. */
    public static StoreSettings withoutFile(String type) {
        return new StoreSettings(type, Optional.empty(), DEFAULT_EXPIRED_RETENTION);
    }
}
