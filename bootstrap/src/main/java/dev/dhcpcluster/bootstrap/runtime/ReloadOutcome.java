package dev.dhcpcluster.bootstrap.runtime;

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
}
