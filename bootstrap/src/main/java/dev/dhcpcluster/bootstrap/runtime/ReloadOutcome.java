package dev.dhcpcluster.bootstrap.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * What reloading a running node's config file did (SIGHUP, {@code dhcpcluster reload}).
 *
 * @param applied true if the new file was valid and its live-changeable parts now serve; false if
 *     the node runs on unchanged, on its old config
 * @param changes what changed live, one readable line each ({@code subnet 198.18.0.0/24: option
 *     domain-name-servers changed}); empty if the file did not change anything live
 * @param restartNeeded fields that differ from the running config but take effect only after a
 *     restart, by JSON path ({@code transport.listen-port}); the node keeps their old values
 * @param errors why the file was refused, each with the JSON path of its field; empty if applied
 */
public record ReloadOutcome(boolean applied, List<String> changes, List<String> restartNeeded, List<String> errors) {

    public ReloadOutcome {
        changes = List.copyOf(changes);
        restartNeeded = List.copyOf(restartNeeded);
        errors = List.copyOf(errors);
        if (applied && !errors.isEmpty()) {
            throw new IllegalArgumentException("a reload with errors is not applied: " + errors);
        }
    }

    /**
     * The outcome's items, one line each, for a log or a terminal: every change, every field that
     * needs a restart ({@link #restartLine}), every error. The text may quote the file; escape it
     * where one line is expected.
     */
    public List<String> lines() {
        List<String> lines = new ArrayList<>(changes);
        restartNeeded.forEach(path -> lines.add(restartLine(path)));
        lines.addAll(errors);
        return lines;
    }

    /** {@code transport.listen-port changed; it takes effect after a restart}. */
    public static String restartLine(String path) {
        return path + " changed; it takes effect after a restart";
    }
}
