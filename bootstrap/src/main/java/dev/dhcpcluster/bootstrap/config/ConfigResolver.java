package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.bootstrap.plugin.AdapterCatalog;
import dev.dhcpcluster.bootstrap.plugin.AdapterChoice;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.plugin.AdapterFactory;
import dev.dhcpcluster.port.plugin.AdapterProvider;
import dev.dhcpcluster.port.plugin.AdapterSettings;
import dev.dhcpcluster.port.plugin.DhcpTransportProvider;
import dev.dhcpcluster.port.plugin.LeaseStoreProvider;
import dev.dhcpcluster.port.store.LeaseStore;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Map;
import java.util.Objects;

/**
 * Validates a {@link NodeFile} and resolves it into a {@link NodeConfig}: defaults filled in,
 * global values inherited by subnets, every error reported with the path of its field. It goes on
 * after an error wherever the rest can still be checked, so that one run shows every mistake.
 */
final class ConfigResolver {

    static final int DEFAULT_LISTEN_PORT = 67;
    static final String DEFAULT_LISTEN_ADDRESS = "0.0.0.0";
    /** Where a node keeps its files when the node file does not say, as Kea keeps its in /var/lib/kea. */
    static final String DEFAULT_DATA_DIRECTORY = "/var/lib/dhcpcluster";

    /** The fields of the transport section that are the node's own, not the transport's. */
    private static final Set<String> NODE_TRANSPORT_FIELDS = Set.of("type", "client-port", "relay-port");

    private final AdapterCatalog catalog;

    ConfigResolver(AdapterCatalog catalog) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
    }

    Optional<NodeConfig> resolve(NodeFile file, Problems problems) {
        int before = problems.size();
        Optional<NodeId> node = node(file.node(), problems);
        Optional<Path> dataDirectory = dataDirectory(file.node(), problems);
        DhcpQueueSettings dhcpQueue = dhcpQueue(file.node(), problems);
        Optional<AdapterChoice<DhcpTransport>> transport = transport(file.transport(), dataDirectory, problems);
        Optional<AdapterChoice<LeaseStore>> store = store(file.leaseStore(), dataDirectory, problems);
        Optional<AdminSettings> admin = admin(file.admin(), dataDirectory, problems);
        Optional<ClusterSettings> cluster = file.cluster() == null ? Optional.empty()
                : new ClusterResolver(problems, catalog).resolve(file.cluster(), node, dataDirectory);
        Optional<ServerConfig> server = Optional.empty();
        if (file.dhcp4() == null) {
            problems.add("Dhcp4", "missing; the DHCPv4 service needs at least one subnet4");
        } else if (node.isPresent()) {
            server = new Dhcp4Resolver(problems).resolve(file.dhcp4(), node.get(), file.transport());
        } else {
            // Still report what is wrong in Dhcp4, with a stand-in id.
            new Dhcp4Resolver(problems).resolve(file.dhcp4(), new NodeId(1), file.transport());
        }
        if (problems.size() > before || node.isEmpty() || dataDirectory.isEmpty() || transport.isEmpty()
                || store.isEmpty() || server.isEmpty() || admin.isEmpty()
                || (file.cluster() != null && cluster.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new NodeConfig(node.get(), dataDirectory.get(), transport.get(), store.get(), server.get(),
                admin.get(), cluster, dhcpQueue));
    }

    /**
     * Resolves a {@code Dhcp4} section alone, for node {@code node}, as if its file had no
     * {@code transport} section: the client and relay ports are the defaults, and a running node
     * keeps its own ({@code ConfigChanges.applicable}).
     */
    Optional<ServerConfig> resolveDhcp4(NodeFile.Dhcp4 dhcp4, NodeId node, Problems problems) {
        return new Dhcp4Resolver(problems).resolve(dhcp4, node, null);
    }

    private static Optional<NodeId> node(NodeFile.Node node, Problems problems) {
        if (node == null) {
            problems.add("node", "missing; give at least {\"id\": 1}");
            return Optional.empty();
        }
        if (node.id() == null) {
            problems.add("node.id", "missing; a positive number unique in the cluster");
            return Optional.empty();
        }
        if (node.id() < 1) {
            problems.add("node.id", node.id() + " is not a positive number");
            return Optional.empty();
        }
        return Optional.of(new NodeId(node.id()));
    }

    /**
     * The data directory, absolute: a relative one is taken relative to the working directory, as
     * paths on the command line are. Nothing is created here; the node does that when it starts.
     */
    private static Optional<Path> dataDirectory(NodeFile.Node node, Problems problems) {
        String text = node == null || node.dataDirectory() == null ? DEFAULT_DATA_DIRECTORY : node.dataDirectory();
        return path(text, "node.data-directory", problems).map(path -> path.toAbsolutePath().normalize());
    }

    /** {@code node.dhcp-queue}: each field its default when absent; a bad one reported (and the default kept). */
    private static DhcpQueueSettings dhcpQueue(NodeFile.Node node, Problems problems) {
        NodeFile.DhcpQueue queue = node == null ? null : node.dhcpQueue();
        if (queue == null) {
            return DhcpQueueSettings.defaults();
        }
        int capacity = DhcpQueueSettings.DEFAULT_CAPACITY;
        if (queue.capacity() != null) {
            if (queue.capacity() < DhcpQueueSettings.MIN_CAPACITY || queue.capacity() > DhcpQueueSettings.MAX_CAPACITY) {
                problems.add("node.dhcp-queue.capacity", queue.capacity() + " is not " + DhcpQueueSettings.MIN_CAPACITY
                        + " to " + DhcpQueueSettings.MAX_CAPACITY + " datagrams");
            } else {
                capacity = queue.capacity();
            }
        }
        Duration maxAge = DhcpQueueSettings.DEFAULT_MAX_AGE;
        if (queue.maxAgeMs() != null) {
            long longest = DhcpQueueSettings.LONGEST_MAX_AGE.toMillis();
            if (queue.maxAgeMs() < 0 || queue.maxAgeMs() > longest) {
                problems.add("node.dhcp-queue.max-age-ms", queue.maxAgeMs() + " is not 0 (no limit) to " + longest
                        + " milliseconds");
            } else {
                maxAge = Duration.ofMillis(queue.maxAgeMs());
            }
        }
        return new DhcpQueueSettings(capacity, maxAge);
    }

    private Optional<AdapterChoice<DhcpTransport>> transport(Map<String, Object> section,
            Optional<Path> dataDirectory, Problems problems) {
        if (section == null) {
            problems.add("transport", "missing; give at least {\"type\": \"udp\"}");
            return Optional.empty();
        }
        port(integerField(section, "client-port", problems), ServerConfig.DEFAULT_CLIENT_PORT, "transport.client-port",
                1, problems);
        port(integerField(section, "relay-port", problems), ServerConfig.DEFAULT_RELAY_PORT, "transport.relay-port", 1,
                problems);
        Optional<String> type = type(section, "transport", null, catalog.transportTypes(), "transport", problems);
        Optional<DhcpTransportProvider> provider = type.flatMap(catalog::transport);
        if (provider.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> own = new LinkedHashMap<>(section);
        NODE_TRANSPORT_FIELDS.forEach(own::remove);
        return configure(provider.get(), "transport", own, dataDirectory, problems);
    }

    private Optional<AdapterChoice<LeaseStore>> store(Map<String, Object> section, Optional<Path> dataDirectory,
            Problems problems) {
        // No section, or no type: the durable default.
        Map<String, Object> own = new LinkedHashMap<>(section == null ? Map.of() : section);
        Optional<String> type = type(own, "lease-store", NodeConfig.DEFAULT_STORE_TYPE, catalog.storeTypes(),
                "lease store", problems);
        Optional<LeaseStoreProvider> provider = type.flatMap(catalog::store);
        if (provider.isEmpty()) {
            return Optional.empty();
        }
        own.remove("type");
        return configure(provider.get(), "lease-store", own, dataDirectory, problems);
    }

    /** The section's {@code type}: one of {@code known}, or {@code fallback} if it names none. */
    private static Optional<String> type(Map<String, Object> section, String path, String fallback, Set<String> known,
            String kind, Problems problems) {
        Object type = section.get("type");
        if (type == null && fallback != null) {
            return Optional.of(fallback);
        }
        if (type == null) {
            problems.add(path + ".type", "missing; one of " + String.join(", ", known));
            return Optional.empty();
        }
        if (!(type instanceof String name)) {
            problems.add(path + ".type", "must be a string, one of " + String.join(", ", known));
            return Optional.empty();
        }
        if (!known.contains(name)) {
            problems.add(path + ".type", Syntax.quote(name) + " is not a known " + kind + "; known: "
                    + String.join(", ", known));
            return Optional.empty();
        }
        return Optional.of(name);
    }

    /**
     * Lets the provider read its settings; every problem it reports, and every field it did not
     * read, is the file's problem.
     */
    private static <T> Optional<AdapterChoice<T>> configure(AdapterProvider<T> provider, String path,
            Map<String, Object> own, Optional<Path> dataDirectory, Problems problems) {
        // Without a valid data directory (reported already) a relative path resolves against the root.
        AdapterSettings settings = AdapterSettings.of(path, own, dataDirectory.orElse(Path.of("/")));
        AdapterFactory<T> factory;
        try {
            factory = provider.configure(settings);
        } catch (RuntimeException e) {
            problems.add(path, "the " + provider.type() + " provider (" + provider.getClass().getName()
                    + ") failed to read its settings: " + e);
            return Optional.empty();
        }
        int before = problems.size();
        settings.problems().forEach(problem -> problems.add(problem.path(), problem.message()));
        settings.unread().forEach(problem -> problems.add(problem.path(), problem.message()));
        if (problems.size() > before || factory == null || dataDirectory.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> written = new LinkedHashMap<>();
        own.forEach((name, value) -> {
            if (value != null) {
                written.put(name, value);
            }
        });
        return Optional.of(new AdapterChoice<>(provider.type(), written, settings.networkInterfaces(), factory));
    }

    /** An integer field of a section read as a map; null if absent or not an integer (reported). */
    private static Integer integerField(Map<String, Object> section, String name, Problems problems) {
        Object value = section.get(name);
        if (value == null) {
            return null;
        }
        if (value instanceof Integer number) {
            return number;
        }
        if (value instanceof Long number) {
            // Out of an int's range, so out of a port's: let the range check say so.
            return number > Integer.MAX_VALUE ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        }
        problems.add("transport." + name, "must be an integer");
        return null;
    }

    /**
     * The admin endpoint: on at {@value AdminSettings#DEFAULT_LISTEN} unless {@code enabled} is
     * false. The other fields are checked even when it is off, so that turning it on again cannot
     * reveal an old mistake.
     */
    private static Optional<AdminSettings> admin(NodeFile.Admin admin, Optional<Path> dataDirectory, Problems problems) {
        NodeFile.Admin given = admin == null ? new NodeFile.Admin(null, null, null) : admin;
        int before = problems.size();
        Ipv4Address address = AdminSettings.DEFAULT_ADDRESS;
        int port = AdminSettings.DEFAULT_PORT;
        if (given.listen() != null) {
            String text = given.listen();
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                problems.add("admin.listen", Syntax.quote(text) + " is not address:port (like \""
                        + AdminSettings.DEFAULT_LISTEN + "\")");
            } else {
                try {
                    address = Syntax.address(text.substring(0, colon));
                } catch (IllegalArgumentException e) {
                    problems.add("admin.listen", e.getMessage());
                }
                try {
                    port = Integer.parseInt(text.substring(colon + 1));
                    if (port < 0 || port > 65535) {
                        problems.add("admin.listen", Syntax.quote(text) + " has port " + port
                                + ", not a TCP port (0-65535)");
                    }
                } catch (NumberFormatException e) {
                    problems.add("admin.listen", Syntax.quote(text) + " has a port that is not a number");
                }
            }
        }
        String tokenText = given.tokenFile() == null ? AdminSettings.DEFAULT_TOKEN_FILE : given.tokenFile();
        Optional<Path> token = path(tokenText, "admin.token-file", problems);
        if (token.isPresent() && (tokenText.endsWith("/") || token.get().getFileName() == null)) {
            problems.add("admin.token-file", Syntax.quote(tokenText) + " names a directory; name the token's file, like \""
                    + AdminSettings.DEFAULT_TOKEN_FILE + "\"");
        }
        if (problems.size() > before || token.isEmpty()) {
            return Optional.empty();
        }
        boolean enabled = given.enabled() == null || given.enabled();
        if (token.get().isAbsolute()) {
            return Optional.of(new AdminSettings(enabled, address, port, token.get().normalize()));
        }
        Ipv4Address listenAddress = address;
        int listenPort = port;
        return dataDirectory.map(directory -> new AdminSettings(enabled, listenAddress, listenPort,
                directory.resolve(token.get()).normalize()));
    }

    /** A file-system path as written; not blank, no surrounding spaces, nothing the system cannot name. */
    static Optional<Path> path(String text, String field, Problems problems) {
        if (text.isBlank() || !text.strip().equals(text)) {
            problems.add(field, Syntax.quote(text) + " is not a path");
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(text));
        } catch (InvalidPathException e) {
            problems.add(field, Syntax.quote(text) + " is not a path: " + e.getReason());
            return Optional.empty();
        }
    }

    /** A port value or its default; {@code lowest} is 0 where "any free port" makes sense. */
    static int port(Integer value, int fallback, String path, int lowest, Problems problems) {
        if (value == null) {
            return fallback;
        }
        if (value < lowest || value > 65535) {
            problems.add(path, value + " is not a UDP port (" + lowest + "-65535)");
            return fallback;
        }
        return value;
    }

    /** Resolves the {@code Dhcp4} section. */
    private static final class Dhcp4Resolver {
        private final Problems problems;

        Dhcp4Resolver(Problems problems) {
            this.problems = problems;
        }

        Optional<ServerConfig> resolve(NodeFile.Dhcp4 dhcp4, NodeId node, Map<String, Object> transport) {
            int before = problems.size();
            Optional<Ipv4Address> serverIdentifier = Optional.empty();
            if (dhcp4.serverIdentifier() != null) {
                try {
                    serverIdentifier = Optional.of(Syntax.address(dhcp4.serverIdentifier()));
                    if (serverIdentifier.get().isZero() || serverIdentifier.get().equals(Ipv4Address.BROADCAST)) {
                        problems.add("Dhcp4.server-identifier", Syntax.quote(dhcp4.serverIdentifier())
                                + " cannot identify a server");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add("Dhcp4.server-identifier", e.getMessage());
                }
            }
            Duration offerHold = seconds(dhcp4.offerLifetime(), ServerConfig.DEFAULT_OFFER_HOLD, 1,
                    "Dhcp4.offer-lifetime");
            Duration probation = seconds(dhcp4.declineProbationPeriod(), ServerConfig.DEFAULT_DECLINE_PROBATION, 0,
                    "Dhcp4.decline-probation-period");
            int maxHops = ServerConfig.DEFAULT_MAX_HOPS;
            if (dhcp4.maxHops() != null) {
                if (dhcp4.maxHops() < 0 || dhcp4.maxHops() > 255) {
                    problems.add("Dhcp4.max-hops", dhcp4.maxHops() + " is not 0-255");
                } else {
                    maxHops = dhcp4.maxHops();
                }
            }
            DhcpOptions globalOptions = OptionDataResolver.resolve(dhcp4.optionData(), "Dhcp4.option-data", problems);
            Optional<LeaseTimesResolver> globalTimes = LeaseTimesResolver.global(dhcp4.lifetimes(), "Dhcp4", problems);
            ClientClassResolver.Resolved classes = new ClientClassResolver(problems)
                    .resolve(dhcp4.clientClasses(), "Dhcp4.client-classes");
            // Kea's default: a server that is not told otherwise leaves unknown clients to others.
            boolean authoritative = dhcp4.authoritative() != null && dhcp4.authoritative();
            List<SubnetConfig> subnets = subnets(dhcp4.subnet4(), globalTimes, authoritative, classes.names());

            int clientPort = ServerConfig.DEFAULT_CLIENT_PORT;
            int relayPort = ServerConfig.DEFAULT_RELAY_PORT;
            if (transport != null) {
                // Errors in these two were reported with the transport section.
                clientPort = port(integerField(transport, "client-port", new Problems()), clientPort,
                        "transport.client-port", 1, new Problems());
                relayPort = port(integerField(transport, "relay-port", new Problems()), relayPort,
                        "transport.relay-port", 1, new Problems());
            }
            if (problems.size() > before || globalTimes.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new ServerConfig(node, subnets, globalOptions, classes.classes(), serverIdentifier,
                        offerHold, probation, maxHops, clientPort, relayPort));
            } catch (IllegalArgumentException e) {
                // Every rule of ServerConfig is checked above with a path; this is a last line.
                problems.add("Dhcp4", e.getMessage());
                return Optional.empty();
            }
        }

        private Duration seconds(Long value, Duration fallback, long lowest, String path) {
            if (value == null) {
                return fallback;
            }
            if (value < lowest || value > LeaseTimesResolver.MAX_SECONDS) {
                problems.add(path, value + " is not " + lowest + " to " + LeaseTimesResolver.MAX_SECONDS + " seconds");
                return fallback;
            }
            return Duration.ofSeconds(value);
        }

        private List<SubnetConfig> subnets(List<NodeFile.Subnet4> entries, Optional<LeaseTimesResolver> globalTimes,
                boolean authoritative, Set<String> classNames) {
            if (entries == null || entries.isEmpty()) {
                problems.add("Dhcp4.subnet4", "missing or empty; a node serves at least one subnet");
                return List.of();
            }
            List<SubnetConfig> subnets = new ArrayList<>();
            SubnetResolver resolver = new SubnetResolver(problems, globalTimes, authoritative, classNames);
            for (int i = 0; i < entries.size(); i++) {
                resolver.resolve(entries.get(i), "Dhcp4.subnet4[" + i + "]").ifPresent(subnets::add);
            }
            return subnets;
        }
    }
}
