package dev.dhcpcluster.bootstrap.plugin;

import dev.dhcpcluster.port.plugin.AdapterFactory;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * The adapter a node file chose for one role (the DHCP transport, the lease store), configured and
 * ready to create.
 *
 * <p>Two choices are equal when they name the same type with the same settings: a reload compares
 * them to tell whether the file changed a section that needs a restart, and the factories of two
 * readings of one file are never the same object.
 *
 * @param type the provider's type, as the file names it
 * @param settings the section's fields as written, {@code type} excepted (what {@code status}
 *     shows)
 * @param interfaces the host's network interfaces the settings name, by the JSON path of their
 *     field, for the check against the host
 * @param factory creates the adapter when the node starts
 * @param <T> the adapter's kind
 */
public record AdapterChoice<T>(String type, Map<String, Object> settings, Map<String, String> interfaces,
        AdapterFactory<T> factory) {

    public AdapterChoice {
        Objects.requireNonNull(type, "type");
        // In file order, for what status and the messages show.
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        interfaces = Collections.unmodifiableMap(new LinkedHashMap<>(interfaces));
        Objects.requireNonNull(factory, "factory");
    }

    /**
     * An adapter the caller built itself (an embedding application's own transport or store),
     * shown as {@code type} with no settings.
     */
    public static <T> AdapterChoice<T> of(String type, T adapter) {
        Objects.requireNonNull(adapter, "adapter");
        return new AdapterChoice<>(type, Map.of(), Map.of(), context -> adapter);
    }

    /**
     * The type and the settings as written, for a one-line summary: {@code udp (listen-address
     * 198.18.0.1, listen-port 67)}, or the type alone for a section with no settings.
     */
    public String describe() {
        if (settings.isEmpty()) {
            return type;
        }
        StringJoiner fields = new StringJoiner(", ", " (", ")");
        new TreeMap<>(settings).forEach((name, value) -> fields.add(name + " " + value));
        return type + fields;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AdapterChoice<?> choice && type.equals(choice.type) && settings.equals(choice.settings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, settings);
    }

    @Override
    public String toString() {
        return type + " " + settings;
    }
}
