package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.bootstrap.plugin.AdapterCatalog;
import dev.dhcpcluster.bootstrap.plugin.PluginException;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.port.model.NodeId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a node file (JSON) and turns it into a validated {@link NodeConfig}, or fails with every
 * error found, each naming the JSON path of its field, for example
 * {@code Dhcp4.subnet4[0].pools[1].pool: "198.18.9.1 - 198.18.1.2" ends before it starts}.
 *
 * <p>The format is described field by field in {@code docs/configuration.md}.
 */
public final class ConfigLoader {

    private final NodeFileReader reader = new NodeFileReader();
    private final AdapterCatalog catalog;
    private final ConfigResolver resolver;
    private final Optional<CompanionSection> companion;

    /**
     * A loader that accepts the adapters found on the class path ({@link AdapterCatalog#fromClassPath}).
     *
     * @throws IllegalStateException if the class path's providers cannot be loaded (two of one type)
     */
    public ConfigLoader() {
        this(classPath());
    }

    /** A loader that accepts the adapters of {@code catalog}. */
    public ConfigLoader(AdapterCatalog catalog) {
        this(catalog, Optional.empty());
    }

    private ConfigLoader(AdapterCatalog catalog, Optional<CompanionSection> companion) {
        this.catalog = catalog;
        this.resolver = new ConfigResolver(catalog);
        this.companion = companion;
    }

    /**
     * A loader like this one that accepts a node file's {@code relay} section, checked by
     * {@code relay}; this one refuses it.
     */
    public ConfigLoader withCompanion(CompanionSection relay) {
        return new ConfigLoader(catalog, Optional.of(Objects.requireNonNull(relay, "relay")));
    }

    /** The adapters this loader accepts. */
    public AdapterCatalog catalog() {
        return catalog;
    }

    private static AdapterCatalog classPath() {
        try {
            return AdapterCatalog.fromClassPath();
        } catch (PluginException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /**
     * Loads the node file at {@code file}.
     *
     * @throws ConfigException if the file cannot be read or is not a valid node file
     */
    public NodeConfig load(Path file) throws ConfigException {
        return parse(text(file), file.toString());
    }

    /**
     * A configuration file's text (UTF-8).
     *
     * @throws ConfigException naming the file if it does not exist or cannot be read
     */
    public static String text(Path file) throws ConfigException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), List.of(new ConfigError("(file)", "does not exist")));
        } catch (IOException e) {
            throw new ConfigException(file.toString(), List.of(new ConfigError("(file)", "cannot be read: " + e)));
        }
    }

    /**
     * Parses a node file's text.
     *
     * @param source where the text came from, for messages
     * @throws ConfigException if the text is not a valid node file
     */
    public NodeConfig parse(String json, String source) throws ConfigException {
        Problems problems = new Problems();
        Optional<NodeFile> file = reader.read(json, problems);
        NodeConfig config = file.flatMap(read -> resolver.resolve(read, problems)).orElse(null);
        if (file.isPresent() && file.get().relay() != null) {
            if (companion.isEmpty()) {
                problems.add("relay", "this program runs the node alone; a relay runs in one process with a node "
                        + "under dhcpcluster run");
            } else {
                companion.get().check(json, Optional.ofNullable(config))
                        .forEach(error -> problems.add(error.path(), error.message()));
            }
        }
        if (!problems.isEmpty() || config == null) {
            if (problems.isEmpty()) {
                problems.add("(file)", "could not be resolved");
            }
            throw new ConfigException(source, problems.list());
        }
        return config;
    }

    /**
     * Reads {@code json} into {@code type} (Jackson-annotated records) by the rules of a node file:
     * comments allowed; unknown or duplicate fields, coerced scalars and trailing garbage refused,
     * the error naming its JSON path. For files of the same family, such as a relay's, whose reader
     * then checks the values itself.
     *
     * @param source where the text came from, for messages
     * @throws ConfigException if the text does not fit {@code type}
     */
    public static <T> T readStrictly(String json, Class<T> type, String source) throws ConfigException {
        Problems problems = new Problems();
        Optional<T> read = new NodeFileReader().readAs(json, type, problems);
        if (!problems.isEmpty() || read.isEmpty()) {
            if (problems.isEmpty()) {
                problems.add("(file)", "could not be read");
            }
            throw new ConfigException(source, problems.list());
        }
        return read.get();
    }

    /**
     * Parses a {@code Dhcp4} section alone (the leader's configuration, as it distributes it) as a
     * node file's {@code Dhcp4} would be, for node {@code node}. The client and relay ports are the
     * defaults: they belong to the node's own {@code transport} section.
     *
     * @param source where the text came from, for messages
     * @throws ConfigException if the text is not a valid {@code Dhcp4} section, each error naming its
     *     path from {@code Dhcp4}
     */
    public ServerConfig parseDhcp4(String json, NodeId node, String source) throws ConfigException {
        Problems problems = new Problems();
        ServerConfig server = reader.readDhcp4(json, problems)
                .flatMap(dhcp4 -> resolver.resolveDhcp4(dhcp4, node, problems))
                .orElse(null);
        if (!problems.isEmpty() || server == null) {
            if (problems.isEmpty()) {
                problems.add("Dhcp4", "could not be resolved");
            }
            throw new ConfigException(source, problems.list());
        }
        return server;
    }
}
