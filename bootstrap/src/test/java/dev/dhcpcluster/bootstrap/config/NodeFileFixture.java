package dev.dhcpcluster.bootstrap.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The shipped example node file as a mutable JSON tree, and loading it: the tests of one field
 * change the example a little and look at what the loader makes of it.
 */
final class NodeFileFixture {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path EXAMPLE = Path.of("..", "examples", "node.json");

    private NodeFileFixture() {
    }

    /** A fresh copy of the example. */
    static ObjectNode example() {
        try {
            return (ObjectNode) JSON.readTree(EXAMPLE.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example changed by {@code mutation}. */
    static ObjectNode mutated(Consumer<ObjectNode> mutation) {
        ObjectNode file = example();
        mutation.accept(file);
        return file;
    }

    static NodeConfig parse(ObjectNode file) throws ConfigException {
        try {
            return new ConfigLoader().parse(JSON.writeValueAsString(file), "test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example changed by {@code mutation} loads; its configuration. */
    static NodeConfig load(Consumer<ObjectNode> mutation) throws ConfigException {
        return parse(mutated(mutation));
    }

    /** Every error the loader reports for the example changed by {@code mutation}, as {@code path: message}. */
    static List<String> errors(Consumer<ObjectNode> mutation) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(mutated(mutation)));
        return e.errors().stream().map(ConfigError::toString).toList();
    }

    /** The one error the loader reports for the example changed by {@code mutation}. */
    static ConfigError onlyError(Consumer<ObjectNode> mutation) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(mutated(mutation)));
        assertEquals(1, e.errors().size(), e.getMessage());
        return e.errors().get(0);
    }

    static ObjectNode dhcp4(ObjectNode file) {
        return (ObjectNode) file.get("Dhcp4");
    }

    static ArrayNode subnets(ObjectNode file) {
        return (ArrayNode) dhcp4(file).get("subnet4");
    }

    static ObjectNode subnet(ObjectNode file, int index) {
        return (ObjectNode) subnets(file).get(index);
    }

    static ObjectNode pool(ObjectNode file, int subnet, int index) {
        return (ObjectNode) subnet(file, subnet).get("pools").get(index);
    }

    static ObjectNode reservation(ObjectNode file, int subnet, int index) {
        return (ObjectNode) subnet(file, subnet).get("reservations").get(index);
    }

    static ArrayNode classes(ObjectNode file) {
        return (ArrayNode) dhcp4(file).get("client-classes");
    }

    static ObjectNode clientClass(ObjectNode file, int index) {
        return (ObjectNode) classes(file).get(index);
    }
}
