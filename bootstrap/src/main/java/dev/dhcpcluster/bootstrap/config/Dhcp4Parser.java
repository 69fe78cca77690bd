package dev.dhcpcluster.bootstrap.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import dev.dhcpcluster.core.text.SafeText;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.port.model.NodeId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns a Kea-style {@code Dhcp4} section into a {@link ServerConfig}, for an application that
 * keeps its DHCP configuration in that form but not in a node file. The text is either the
 * section wrapped as in a Kea file, {@code {"Dhcp4": {"subnet4": [...]}}}, or the bare object,
 * {@code {"subnet4": [...]}}; both read exactly as a node file's {@code Dhcp4} does (the same
 * fields, defaults and checks, comments allowed, see {@code docs/configuration.md}), and every
 * error names its JSON path from {@code Dhcp4}, for example {@code Dhcp4.subnet4[0].pools[0].pool}.
 *
 * <p>The client and relay ports are the defaults (68 and 67): in a node file they belong to the
 * {@code transport} section, which this text does not have; change them with
 * {@link ServerConfig#toBuilder()} if the transport needs others.
 */
public final class Dhcp4Parser {

    private static final String SECTION = "Dhcp4";

    /** Lenient only where the node file reader is too: comments, as Kea's files may carry them. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .enable(JsonReadFeature.ALLOW_YAML_COMMENTS)
            .build();

    private Dhcp4Parser() {
    }

    /**
     * Parses a {@code Dhcp4} section for node {@code node}; messages name the text {@code Dhcp4}.
     *
     * @throws ConfigException if the text is not a valid {@code Dhcp4} section
     */
    public static ServerConfig parse(String json, NodeId node) throws ConfigException {
        return parse(json, node, SECTION);
    }

    /**
     * Parses a {@code Dhcp4} section for node {@code node}.
     *
     * @param source where the text came from (a file name, a key in a database), for messages
     * @throws ConfigException if the text is not a valid {@code Dhcp4} section, each error naming
     *     its path from {@code Dhcp4}
     */
    public static ServerConfig parse(String json, NodeId node, String source) throws ConfigException {
        Objects.requireNonNull(json, "json");
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(source, "source");
        String section = unwrapped(json, source).orElse(json);
        return new ConfigLoader().parseDhcp4(section, node, source);
    }

    /**
     * Reads a {@code Dhcp4} section from {@code file} (UTF-8) for node {@code node}.
     *
     * @throws ConfigException if the file cannot be read or does not hold a valid {@code Dhcp4} section
     */
    public static ServerConfig read(Path file, NodeId node) throws ConfigException {
        return parse(ConfigLoader.text(file), node, file.toString());
    }

    /**
     * The text of the section inside {@code {"Dhcp4": {...}}}, comments and all, cut from the
     * original so that the section's own reading still sees every duplicate key and stray token;
     * empty if the text is not in that form (it is then read as the bare section, which also
     * reports text that is not JSON at all). A bare section never has a field named {@code Dhcp4}.
     */
    private static Optional<String> unwrapped(String json, String source) throws ConfigException {
        String section = null;
        List<String> others = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            boolean wrapped = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (SECTION.equals(name)) {
                    if (wrapped) {
                        throw new ConfigException(source, List.of(new ConfigError(SECTION, "is given twice")));
                    }
                    wrapped = true;
                    if (value != JsonToken.START_OBJECT) {
                        throw new ConfigException(source, List.of(new ConfigError(SECTION, "is not a JSON object")));
                    }
                    int start = (int) parser.currentTokenLocation().getCharOffset();
                    parser.skipChildren();
                    section = json.substring(start, (int) parser.currentLocation().getCharOffset());
                } else {
                    others.add(name);
                    parser.skipChildren();
                }
            }
            if (!wrapped) {
                return Optional.empty();
            }
            if (parser.nextToken() != null) {
                throw new ConfigException(source, List.of(new ConfigError("(file)",
                        "has more after the object holding Dhcp4")));
            }
        } catch (IOException e) {
            // Not JSON, or not in the wrapped form: the section's own reading names the problem.
            return Optional.empty();
        }
        if (!others.isEmpty()) {
            List<ConfigError> errors = new ArrayList<>();
            for (String other : others) {
                errors.add(new ConfigError(SafeText.inline(other), "is not read: the text holds a Dhcp4 section alone"));
            }
            throw new ConfigException(source, errors);
        }
        return Optional.of(section);
    }
}
