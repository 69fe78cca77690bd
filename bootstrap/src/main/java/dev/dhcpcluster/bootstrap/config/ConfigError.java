package dev.dhcpcluster.bootstrap.config;

import java.util.Objects;

/**
 * One thing wrong with a node file.
 *
 * @param path where, as a JSON path ({@code Dhcp4.subnet4[0].pools[1].pool}); for a file that is
 *     not even JSON, the line and column
 * @param message what is wrong, with the offending value quoted
 */
public record ConfigError(String path, String message) {

    public ConfigError {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code path: message}, the form printed to the operator. */
    @Override
    public String toString() {
        return path + ": " + message;
    }
}
