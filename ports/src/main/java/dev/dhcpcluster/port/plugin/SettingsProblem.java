package dev.dhcpcluster.port.plugin;

import java.util.Objects;

/**
 * One thing wrong with an adapter's settings.
 *
 * @param path the JSON path of the field, from the top of the node file, for example
 *     {@code transport.listen-port}
 * @param message what is wrong, for example {@code must be 0-65535, not 70000}
 */
public record SettingsProblem(String path, String message) {

    public SettingsProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
