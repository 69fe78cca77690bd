package dev.dhcpcluster.bootstrap.runtime;

import java.util.Map;
import java.util.TreeSet;
import javax.inject.Provider;

/**
 * Picks an adapter by the name the node file gives. The adapters are registered by their Dagger
 * modules into a map of providers, so only the chosen one is ever built.
 */
final class Adapters {

    private Adapters() {
    }

    /**
     * The adapter registered as {@code name}, built now.
     *
     * @param field the node-file field that named it, for the message
     * @param kind what the adapter is ("transport"), for the message
     * @throws IllegalStateException naming the field and the known names if none is registered so
     */
    static <T> T build(Map<String, Provider<T>> registered, String name, String field, String kind) {
        Provider<T> provider = registered.get(name);
        if (provider == null) {
            throw new IllegalStateException(field + ": \"" + name + "\" is not a known " + kind + "; known: "
                    + String.join(", ", new TreeSet<>(registered.keySet())));
        }
        return provider.get();
    }
}
