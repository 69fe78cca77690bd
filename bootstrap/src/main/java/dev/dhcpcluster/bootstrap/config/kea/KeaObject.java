package dev.dhcpcluster.bootstrap.config.kea;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A JSON object of the Kea file that remembers which of its keys the converter has dealt with, so
 * that {@link #reportRest} can report every other key, including keys this converter has never
 * heard of. That is how the import drops nothing silently.
 */
final class KeaObject {

    private final JsonNode node;
    private final String path;
    private final Set<String> handled = new LinkedHashSet<>();

    KeaObject(JsonNode node, String path) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(path + " is not an object");
        }
        this.node = node;
        this.path = path;
    }

    /** This object's JSON path, such as {@code Dhcp4.subnet4[0]}. */
    String path() {
        return path;
    }

    /** The path of one of its keys. */
    String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** The value of {@code key}, marking the key as dealt with; empty if absent or JSON null. */
    Optional<JsonNode> take(String key) {
        handled.add(key);
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    /** The value of {@code key} without marking it, for decisions that look ahead. */
    Optional<JsonNode> peek(String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    /** Marks every key as dealt with (the whole object was converted or reported as one). */
    void takeAll() {
        node.fieldNames().forEachRemaining(handled::add);
    }

    /** The keys not yet dealt with, in file order. */
    List<String> rest() {
        List<String> rest = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!handled.contains(name)) {
                rest.add(name);
            }
        }
        return rest;
    }

    /**
     * Reports every key not yet dealt with as not converted, with the reason {@link Unsupported}
     * knows for it (or a general one for a key it does not know), and marks them dealt with. A
     * non-empty array is reported element by element, so each report names one thing.
     */
    void reportRest(Notes notes) {
        for (String key : rest()) {
            handled.add(key);
            JsonNode value = node.get(key);
            String reason = Unsupported.reason(key);
            if (value != null && value.isArray() && !value.isEmpty()) {
                for (int i = 0; i < value.size(); i++) {
                    notes.notConverted(path(key) + "[" + i + "]", reason);
                }
            } else {
                notes.notConverted(path(key), reason);
            }
        }
    }
}
