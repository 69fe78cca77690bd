package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.core.config.SubnetConfig;
import dev.dhcpcluster.core.dhcp.DhcpOptions;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

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

    private final Set<String> transportTypes;
    private final Set<String> storeTypes;

    ConfigResolver(Set<String> transportTypes, Set<String> storeTypes) {
        this.transportTypes = Set.copyOf(transportTypes);
        this.storeTypes = Set.copyOf(storeTypes);
    }

    Optional<NodeConfig> resolve(NodeFile file, Problems problems) {
        int before = problems.size();
        Optional<NodeId> node = node(file.node(), problems);
        Optional<Path> dataDirectory = dataDirectory(file.node(), problems);
        Optional<TransportSettings> transport = transport(file.transport(), problems);
        Optional<StoreSettings> store = store(file.leaseStore(), dataDirectory, problems);
        Optional<AdminSettings> admin = admin(file.admin(), dataDirectory, problems);
        Optional<ClusterSettings> cluster = file.cluster() == null ? Optional.empty()
                : new ClusterResolver(problems).resolve(file.cluster(), node, dataDirectory);
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
                admin.get(), cluster));
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

    private Optional<TransportSettings> transport(NodeFile.Transport transport, Problems problems) {
        if (transport == null) {
            problems.add("transport", "missing; give at least {\"type\": \"udp\"}");
            return Optional.empty();
        }
        int before = problems.size();
        if (transport.type() == null) {
            problems.add("transport.type", "missing; one of " + sorted(transportTypes));
        } else if (!transportTypes.contains(transport.type())) {
            problems.add("transport.type", Syntax.quote(transport.type()) + " is not a known transport; known: "
                    + sorted(transportTypes));
        }
        Ipv4Address listenAddress = Ipv4Address.ZERO;
        try {
            listenAddress = Syntax.address(transport.listenAddress() == null ? DEFAULT_LISTEN_ADDRESS : transport.listenAddress());
        } catch (IllegalArgumentException e) {
            problems.add("transport.listen-address", e.getMessage());
        }
        int listenPort = port(transport.listenPort(), DEFAULT_LISTEN_PORT, "transport.listen-port", 0, problems);
        port(transport.clientPort(), ServerConfig.DEFAULT_CLIENT_PORT, "transport.client-port", 1, problems);
        port(transport.relayPort(), ServerConfig.DEFAULT_RELAY_PORT, "transport.relay-port", 1, problems);
        Optional<String> interfaceName = Optional.ofNullable(transport.interfaceName());
        if (interfaceName.isPresent() && (interfaceName.get().isBlank() || interfaceName.get().strip().length() != interfaceName.get().length())) {
            problems.add("transport.interface", Syntax.quote(interfaceName.get()) + " is not an interface name");
        }
        boolean severalLinks = transport.type() != null && AdapterNames.TRANSPORTS_WITH_INTERFACE_LIST.contains(transport.type());
        List<String> interfaceNames = severalLinks ? interfaceList(transport, problems) : List.of();
        if (!severalLinks && transport.interfaces() != null && transportTypes.contains(String.valueOf(transport.type()))) {
            problems.add("transport.interfaces", "only the " + sorted(AdapterNames.TRANSPORTS_WITH_INTERFACE_LIST)
                    + " transport serves several interfaces; the " + transport.type()
                    + " transport serves one, named by transport.interface");
        }
        if (severalLinks && interfaceName.isPresent()) {
            problems.add("transport.interface", "the " + transport.type()
                    + " transport serves the interfaces listed in transport.interfaces; list " + Syntax.quote(interfaceName.get())
                    + " there instead");
        }
        if (!severalLinks && listenAddress.isZero() && interfaceName.isEmpty() && problems.size() == before) {
            problems.add("transport.interface", "missing; listening on 0.0.0.0 needs the interface whose clients "
                    + "to serve (its address becomes the server's), or listen on one address instead");
        }
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new TransportSettings(transport.type(), listenAddress, listenPort, interfaceName, interfaceNames));
    }

    /** {@code transport.interfaces}: at least one interface name, each once. */
    private static List<String> interfaceList(NodeFile.Transport transport, Problems problems) {
        if (transport.interfaces() == null) {
            problems.add("transport.interfaces", "missing; the " + transport.type()
                    + " transport serves the interfaces listed here, as in [\"eth1\", \"eth2\"]");
            return List.of();
        }
        if (transport.interfaces().isEmpty()) {
            problems.add("transport.interfaces", "empty; list at least one interface");
            return List.of();
        }
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < transport.interfaces().size(); i++) {
            String name = transport.interfaces().get(i);
            String path = "transport.interfaces[" + i + "]";
            if (name == null || name.isBlank() || name.strip().length() != name.length()) {
                problems.add(path, (name == null ? "null" : Syntax.quote(name)) + " is not an interface name");
            } else if (!seen.add(name)) {
                problems.add(path, Syntax.quote(name) + " is listed twice");
            } else {
                names.add(name);
            }
        }
        return names;
    }

    private Optional<StoreSettings> store(NodeFile.LeaseStore store, Optional<Path> dataDirectory, Problems problems) {
        // No section, or no type: the durable default.
        NodeFile.LeaseStore given = store == null ? new NodeFile.LeaseStore(null, null, null) : store;
        String type = given.type() == null ? StoreSettings.DEFAULT_TYPE : given.type();
        if (!storeTypes.contains(type)) {
            problems.add("lease-store.type", Syntax.quote(type) + " is not a known lease store; known: "
                    + sorted(storeTypes));
            return Optional.empty();
        }
        int before = problems.size();
        Duration retention = StoreSettings.DEFAULT_EXPIRED_RETENTION;
        if (given.expiredRetention() != null) {
            if (given.expiredRetention() < 0 || given.expiredRetention() > LeaseTimesResolver.MAX_SECONDS) {
                problems.add("lease-store.expired-retention", given.expiredRetention() + " is not 0 to "
                        + LeaseTimesResolver.MAX_SECONDS + " seconds");
            } else {
                retention = Duration.ofSeconds(given.expiredRetention());
            }
        }
        if (!AdapterNames.STORES_WITH_FILE.contains(type)) {
            // A setting that would do nothing is a mistake worth naming, like an unknown field.
            if (given.file() != null) {
                problems.add("lease-store.file", "the " + type + " lease store keeps no file");
            }
            if (given.expiredRetention() != null) {
                problems.add("lease-store.expired-retention", "the " + type + " lease store keeps no expired leases");
            }
            return problems.size() > before ? Optional.empty() : Optional.of(StoreSettings.withoutFile(type));
        }
        Optional<Path> file = storeFile(given.file() == null ? StoreSettings.DEFAULT_FILE : given.file(), problems);
        if (problems.size() > before || file.isEmpty()) {
            return Optional.empty();
        }
        if (file.get().isAbsolute()) {
            return Optional.of(new StoreSettings(type, Optional.of(file.get().normalize()), retention));
        }
        // A relative file lives in the data directory (whose own error, if any, is reported already).
        Duration kept = retention;
        return dataDirectory.map(directory -> new StoreSettings(type,
                Optional.of(directory.resolve(file.get()).normalize()), kept));
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

    private static Optional<Path> storeFile(String text, Problems problems) {
        Optional<Path> file = path(text, "lease-store.file", problems);
        if (file.isEmpty()) {
            return file;
        }
        Path name = file.get().getFileName();
        if (text.endsWith("/") || name == null || name.toString().equals(".") || name.toString().equals("..")) {
            problems.add("lease-store.file", Syntax.quote(text) + " names a directory; name the store's file, "
                    + "like \"" + StoreSettings.DEFAULT_FILE + "\"");
            return Optional.empty();
        }
        return file;
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

    private static String sorted(Set<String> names) {
        return String.join(", ", new TreeSet<>(names));
    }

    /** Resolves the {@code Dhcp4} section. */
    private static final class Dhcp4Resolver {
        private final Problems problems;

        Dhcp4Resolver(Problems problems) {
            this.problems = problems;
        }

        Optional<ServerConfig> resolve(NodeFile.Dhcp4 dhcp4, NodeId node, NodeFile.Transport transport) {
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
                clientPort = port(transport.clientPort(), clientPort, "transport.client-port", 1, new Problems());
                relayPort = port(transport.relayPort(), relayPort, "transport.relay-port", 1, new Problems());
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
