package dev.dhcpcluster.bootstrap.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads the JSON of a node file into a {@link NodeFile}, strictly: unknown fields, duplicate
 * fields, a string where a number belongs (or the reverse), fractions, and trailing garbage are
 * all errors, each reported with the JSON path of the field. Comments are allowed, as Kea allows
 * them. Jackson stops at the first such
 * error, so this step reports one; {@link ConfigResolver} then reports every semantic error.
 */
final class NodeFileReader {

    private final ObjectMapper mapper;

    NodeFileReader() {
        mapper = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                // Kea's files may carry comments (// ..., /* ... */, # ...); so may ours.
                .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
                .enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
                .build();
        // A port written as "67" or an address written as a number is a mistake worth naming,
        // not something to coerce silently.
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Collection)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.POJO)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    }

    /**
     * True if {@code json} is an object with a top-level field {@code name}; false for anything
     * else, a text that does not parse included (reading it reports that).
     */
    boolean hasSection(String json, String name) {
        try {
            return mapper.readTree(json).has(name);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Parses {@code json}, or reports where and why it cannot. */
    Optional<NodeFile> read(String json, Problems problems) {
        Objects.requireNonNull(json, "json");
        if (json.isBlank()) {
            problems.add("(file)", "is empty; a node file is a JSON object");
            return Optional.empty();
        }
        return map(() -> mapper.readValue(json, NodeFile.class), problems);
    }

    /**
     * Parses {@code json} as a {@code Dhcp4} section alone (the leader's, as it distributes it), as
     * strictly as in a node file; errors name their path from {@code Dhcp4}.
     */
    Optional<NodeFile.Dhcp4> readDhcp4(String json, Problems problems) {
        Objects.requireNonNull(json, "json");
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            readError(e, problems);
            return Optional.empty();
        }
        if (tree == null || !tree.isObject()) {
            problems.add("Dhcp4", "is not a JSON object");
            return Optional.empty();
        }
        // The whole file around the section: every path keeps its "Dhcp4." prefix.
        ObjectNode root = mapper.createObjectNode();
        root.set("Dhcp4", tree);
        return map(() -> mapper.treeToValue(root, NodeFile.class), problems).map(NodeFile::dhcp4);
    }

    /**
     * Parses {@code json} as a {@code type}, as strictly as a node file (another file of the same
     * family, such as a relay's); errors name their path from the file's root.
     */
    <T> Optional<T> readAs(String json, Class<T> type, Problems problems) {
        Objects.requireNonNull(json, "json");
        if (json.isBlank()) {
            problems.add("(file)", "is empty; the file is a JSON object");
            return Optional.empty();
        }
        return map(() -> mapper.readValue(json, type), problems);
    }

    /** What {@code read} reads: Jackson's checked exception, as Jackson throws it. */
    private interface Read<T> {
        T read() throws JsonProcessingException;
    }

    private <T> Optional<T> map(Read<T> read, Problems problems) {
        try {
            T file = read.read();
            if (file == null) {
                problems.add("(file)", "is null; the file is a JSON object");
                return Optional.empty();
            }
            return Optional.of(file);
        } catch (UnrecognizedPropertyException e) {
            problems.add(path(e), "unknown field (known fields here: " + known(e.getKnownPropertyIds()) + ")");
        } catch (MismatchedInputException e) {
            problems.add(path(e), mismatch(e));
        } catch (JsonMappingException e) {
            if (e.getCause() instanceof JsonProcessingException cause) {
                // databind wraps errors of the tokenizer; report them as such.
                readError(cause, problems);
            } else {
                problems.add(path(e), e.getOriginalMessage());
            }
        } catch (JsonProcessingException e) {
            readError(e, problems);
        }
        return Optional.empty();
    }

    private static void readError(JsonProcessingException e, Problems problems) {
        if (e instanceof InputCoercionException) {
            problems.add(contextPath(e.getProcessor()), "number out of range (" + e.getOriginalMessage() + ")");
        } else {
            problems.add(location(e.getLocation()) + contextSuffix(e), "not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String known(Collection<Object> ids) {
        if (ids == null || ids.isEmpty()) {
            return "none";
        }
        return String.join(", ", new TreeSet<>(ids.stream().map(String::valueOf).toList()));
    }

    private static String mismatch(MismatchedInputException e) {
        Class<?> target = e.getTargetType();
        String expected = describeType(target);
        String found = describeToken(e.getProcessor() instanceof JsonParser parser ? parser.currentToken() : null);
        if (expected == null) {
            return e.getOriginalMessage();
        }
        return "expected " + expected + (found == null ? "" : ", found " + found);
    }

    private static String describeType(Class<?> type) {
        if (type == null) {
            return null;
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isRecord()) {
            return "an object";
        }
        return null;
    }

    private static String describeToken(JsonToken token) {
        if (token == null) {
            return null;
        }
        return switch (token) {
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT -> "a whole number";
            case VALUE_NUMBER_FLOAT -> "a fraction";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> null;
        };
    }

    /** The JSON path of a mapping error: {@code Dhcp4.subnet4[0].pools[1].pool}. */
    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "(file)" : path.toString();
    }

    /** The JSON path of the parser's position, for errors raised while reading tokens. */
    private static String contextPath(Object processor) {
        if (!(processor instanceof JsonParser parser)) {
            return "(file)";
        }
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext context = parser.getParsingContext(); context != null && !context.inRoot();
                context = context.getParent()) {
            if (context.inArray()) {
                parts.add(0, "[" + context.getCurrentIndex() + "]");
            } else if (context.getCurrentName() != null) {
                parts.add(0, "." + context.getCurrentName());
            }
        }
        String path = String.join("", parts);
        if (path.startsWith(".")) {
            path = path.substring(1);
        }
        return path.isEmpty() ? "(file)" : path;
    }

    private static String contextSuffix(JsonProcessingException e) {
        String path = contextPath(e.getProcessor());
        return path.equals("(file)") ? "" : " (in " + path + ")";
    }

    private static String location(JsonLocation location) {
        if (location == null) {
            return "(file)";
        }
        return "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
