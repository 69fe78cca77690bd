package dev.dhcpcluster.bootstrap.runtime;

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
public record ConfigSource(Optional<Path> file, String description) {

    public ConfigSource {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(description, "description");
    }

    /** A config read from {@code file}. */
    public static ConfigSource file(Path file) {
        return new ConfigSource(Optional.of(file), file.toString());
    }

    /** A config that did not come from a file, {@code description} saying what it came from. */
    public static ConfigSource none(String description) {
        return new ConfigSource(Optional.empty(), description);
    }
}
