package dev.dhcpcluster.bootstrap.runtime;

import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a node's config came from: the file a reload reads again, or nothing to read again (the
 * demo's nodes are configured from resources).
 *
 * @param file the node file, if the config was read from one
 * @param description what the config came from, for the message of a reload that has no file
 */
public record ConfigSource(Optional<Path> file, String description, ConfigLoader loader) {

    public ConfigSource {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(loader, "loader");
    }

    /** A config read from {@code file} by a loader that knows the class path's adapters. */
    public static ConfigSource file(Path file) {
        return file(file, new ConfigLoader());
    }

    /**
     * A config read from {@code file} by {@code loader}: a reload reads it again with the same
     * loader, so that a plugin's adapter named in the file is still known.
     */
    public static ConfigSource file(Path file, ConfigLoader loader) {
        return new ConfigSource(Optional.of(file), file.toString(), loader);
    }

    /** A config that did not come from a file, {@code description} saying what it came from. */
    public static ConfigSource none(String description) {
        return new ConfigSource(Optional.empty(), description, new ConfigLoader());
    }
}
