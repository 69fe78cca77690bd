package dev.dhcpcluster.bootstrap.relay;

import dev.dhcpcluster.bootstrap.config.ConfigError;
import dev.dhcpcluster.bootstrap.config.ConfigException;
import dev.dhcpcluster.bootstrap.config.ConfigLoader;
import dev.dhcpcluster.core.config.Octets;
import dev.dhcpcluster.core.dhcp.OptionCatalog;
import dev.dhcpcluster.core.relay.RelayInterface;
import dev.dhcpcluster.core.relay.RelaySettings;
import dev.dhcpcluster.port.model.HardwareAddress;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a relay's config file into a {@link RelayConfig}, by the rules of a node file: comments
 * allowed, unknown fields refused, and every problem reported at once, each naming the JSON path of
 * its field ({@code relay.servers[1].node: missing; ...}).
 *
 * <p>An interface without an {@code address} takes the interface's first IPv4 address, looked up
 * when the file is read: a relay on an interface that does not exist or has no IPv4 address is
 * refused like any other mistake in the file.
 */
public final class RelayConfigReader {

    /** The observer name's longest form: it travels in every handshake, as the cluster's name does. */
    static final int MAX_NAME_LENGTH = 64;
    /** The most clients a rate limiter's table may be asked to hold. */
    static final int MAX_CLIENTS_LIMIT = 1 << 24;
    /** A rate limiter's table size when the file does not say. */
    static final int DEFAULT_MAX_CLIENTS = 65_536;
    /** The admin endpoint's default port, next to a node's 9067. */
    public static final int DEFAULT_ADMIN_PORT = 9068;

    private final Function<String, Optional<Ipv4Address>> interfaceAddresses;

    /** A reader that looks interfaces up on this host. */
    public RelayConfigReader() {
        this(RelayConfigReader::firstIpv4Address);
    }

    /** A reader that finds an interface's first IPv4 address with {@code interfaceAddresses}. */
    RelayConfigReader(Function<String, Optional<Ipv4Address>> interfaceAddresses) {
        this.interfaceAddresses = Objects.requireNonNull(interfaceAddresses, "interfaceAddresses");
    }

    /**
     * Reads the relay file at {@code file}.
     *
     * @throws ConfigException with every problem found, each naming its JSON path
     */
    public RelayConfig load(Path file) throws ConfigException {
        return parse(ConfigLoader.text(file), file.toString(), file.toAbsolutePath().getParent());
    }

    /**
     * Reads a relay file's text.
     *
     * @param source where the text came from, for messages
     * @param directory what relative paths in the file are relative to
     * @throws ConfigException with every problem found, each naming its JSON path
     */
    public RelayConfig parse(String json, String source, Path directory) throws ConfigException {
        RelayFile file = ConfigLoader.readStrictly(json, RelayFile.class, source);
        List<ConfigError> problems = new ArrayList<>();
        RelayConfig config = new Resolution(problems, directory).resolve(file);
        if (!problems.isEmpty() || config == null) {
            if (problems.isEmpty()) {
                problems.add(new ConfigError("relay", "could not be resolved"));
            }
            throw new ConfigException(source, problems);
        }
        return config;
    }

    /** One pass over one file, collecting its problems. */
    private final class Resolution {

        private final List<ConfigError> problems;
        private final Path directory;

        Resolution(List<ConfigError> problems, Path directory) {
            this.problems = problems;
            this.directory = directory;
        }

        private void problem(String path, String message) {
            ConfigError error = new ConfigError(path, message);
            if (!problems.contains(error)) {
                problems.add(error);
            }
        }

        RelayConfig resolve(RelayFile file) {
            RelayFile.Relay relay = file.relay();
            if (relay == null) {
                problem("relay", "missing; a relay file is {\"relay\": {...}}");
                return null;
            }
            Optional<String> name = name(relay.name());
            RelayConfig.Transport transport = transport(relay.transport());
            List<RelayInterface> interfaces = interfaces(relay.interfaces(), transport);
            Optional<Octets> remoteId = remoteId(relay.remoteId());
            int maxHops = bounded("relay.max-hops", relay.maxHops(), RelaySettings.DEFAULT_MAX_HOPS, 0,
                    RelaySettings.MAX_HOPS_LIMIT);
            int maxLength = bounded("relay.max-message-length", relay.maxMessageLength(),
                    RelaySettings.DEFAULT_MAX_MESSAGE_LENGTH, RelaySettings.MIN_MESSAGE_LENGTH,
                    dev.dhcpcluster.core.dhcp.DhcpCodec.MAX_DATAGRAM_LENGTH);
            Optional<RelayConfig.Cluster> cluster = cluster(relay.cluster());
            List<RelayConfig.Server> servers = servers(relay.servers(), relay.cluster() != null);
            RelayConfig.Overrides overrides = overrides(relay.overrides(), servers);
            Optional<RelayConfig.RateLimit> rateLimit = rateLimit(relay.rateLimit());
            Optional<RelayConfig.Listen> admin = admin(relay.admin());
            int serverPort = port("relay.transport.server-port",
                    relay.transport() == null ? null : relay.transport().serverPort(), RelaySettings.DEFAULT_SERVER_PORT);
            int clientPort = port("relay.transport.client-port",
                    relay.transport() == null ? null : relay.transport().clientPort(), RelaySettings.DEFAULT_CLIENT_PORT);
            if (!problems.isEmpty() || transport == null || interfaces == null || servers == null) {
                return null;
            }
            RelaySettings settings;
            try {
                settings = new RelaySettings(interfaces, remoteId, maxHops,
                        servers.stream().map(RelayConfig.Server::address).toList(), serverPort, clientPort, maxLength);
            } catch (IllegalArgumentException e) {
                // What only the whole can say: option 82 too long for an interface with this remote-id.
                problem("relay", e.getMessage());
                return null;
            }
            return new RelayConfig(name, transport, settings, servers, overrides, rateLimit, cluster, admin);
        }

        private Optional<String> name(String name) {
            if (name == null) {
                return Optional.empty();
            }
            if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
                problem("relay.name", quote(name) + " is not 1 to " + MAX_NAME_LENGTH + " characters");
                return Optional.empty();
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c < 0x21 || c > 0x7e) {
                    problem("relay.name", "holds a character that is not printable ASCII ("
                            + String.format("U+%04X", (int) c) + "); use letters, digits and punctuation, no spaces");
                    return Optional.empty();
                }
            }
            return Optional.of(name);
        }

        private RelayConfig.Transport transport(RelayFile.Transport transport) {
            if (transport == null) {
                problem("relay.transport", "missing; {\"type\": \"udp\"}");
                return null;
            }
            String type = transport.type();
            if (type == null) {
                problem("relay.transport.type", "missing; \"udp\"");
                return null;
            }
            if (!type.equals(RelayConfig.UDP) && !type.equals(RelayConfig.PCAP)) {
                problem("relay.transport.type", quote(type) + " is not a relay transport; \"udp\" or \"pcap\"");
                return null;
            }
            Ipv4Address listen = Ipv4Address.ZERO;
            if (transport.listenAddress() != null) {
                Optional<Ipv4Address> parsed = address("relay.transport.listen-address", transport.listenAddress());
                if (parsed.isEmpty()) {
                    return null;
                }
                listen = parsed.get();
            }
            int port = port("relay.transport.listen-port", transport.listenPort(), RelaySettings.DEFAULT_SERVER_PORT);
            return new RelayConfig.Transport(type, listen, port);
        }

        private List<RelayInterface> interfaces(List<RelayFile.Interface> entries, RelayConfig.Transport transport) {
            if (entries == null || entries.isEmpty()) {
                problem("relay.interfaces", (entries == null ? "missing" : "empty")
                        + "; the client-facing interface, like [{\"name\": \"eth1\"}]");
                return null;
            }
            if (transport != null && transport.type().equals(RelayConfig.UDP) && entries.size() > 1) {
                problem("relay.interfaces", "lists " + entries.size() + " interfaces; the udp transport serves one "
                        + "(run one relay per interface)");
            }
            List<RelayInterface> interfaces = new ArrayList<>();
            Map<String, Integer> names = new HashMap<>();
            Map<Ipv4Address, Integer> addresses = new HashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                String path = "relay.interfaces[" + i + "]";
                RelayFile.Interface entry = entries.get(i);
                if (entry == null) {
                    problem(path, "is null; an interface is {\"name\": \"eth1\"}");
                    continue;
                }
                if (entry.name() == null || entry.name().isBlank()) {
                    problem(path + ".name", entry.name() == null ? "missing; the interface's name, like \"eth1\""
                            : "is blank; the interface's name, like \"eth1\"");
                    continue;
                }
                Integer first = names.putIfAbsent(entry.name(), i);
                if (first != null) {
                    problem(path + ".name", quote(entry.name()) + " is listed already, at relay.interfaces[" + first + "]");
                    continue;
                }
                Optional<Ipv4Address> address;
                if (entry.address() != null) {
                    address = address(path + ".address", entry.address());
                } else {
                    address = interfaceAddresses.apply(entry.name());
                    if (address.isEmpty()) {
                        problem(path + ".address", "missing, and this host has no interface " + quote(entry.name())
                                + " with an IPv4 address to take it from");
                    }
                }
                if (address.isEmpty()) {
                    continue;
                }
                Integer taken = addresses.putIfAbsent(address.get(), i);
                if (taken != null) {
                    problem(path + ".address", address.get() + " belongs to relay.interfaces[" + taken + "] already");
                    continue;
                }
                try {
                    interfaces.add(new RelayInterface(entry.name(), address.get(),
                            entry.trusted() != null && entry.trusted()));
                } catch (IllegalArgumentException e) {
                    problem(path, e.getMessage());
                }
            }
            return interfaces.size() == entries.size() ? interfaces : null;
        }

        private Optional<Octets> remoteId(String text) {
            if (text == null) {
                return Optional.empty();
            }
            return octets("relay.remote-id", text);
        }

        private Optional<RelayConfig.Cluster> cluster(RelayFile.Cluster cluster) {
            if (cluster == null) {
                return Optional.empty();
            }
            String name = cluster.name();
            if (name == null || name.isEmpty()) {
                problem("relay.cluster.name", (name == null ? "missing" : "is empty")
                        + "; the cluster's name, as in its nodes' files");
            }
            if (cluster.secretFile() == null || cluster.secretFile().isEmpty()) {
                problem("relay.cluster.secret-file", (cluster.secretFile() == null ? "missing" : "is empty")
                        + "; the cluster's secret file, a copy of the nodes' one");
                return Optional.empty();
            }
            Optional<RelayConfig.Tls> tls = cluster.tls() == null ? Optional.empty() : tls(cluster.tls());
            if (name == null || name.isEmpty() || (cluster.tls() != null && tls.isEmpty())) {
                return Optional.empty();
            }
            Path secret = directory.resolve(cluster.secretFile()).toAbsolutePath().normalize();
            return Optional.of(new RelayConfig.Cluster(name, secret, tls));
        }

        /** {@code relay.cluster.tls}: the four files a node's {@code cluster.tls} names, by the same rules. */
        private Optional<RelayConfig.Tls> tls(RelayFile.Tls tls) {
            Path keystore = tlsFile("keystore", tls.keystore(), "the relay's key and certificate, a PKCS#12 file");
            Path keystorePassword = tlsFile("keystore-password-file", tls.keystorePasswordFile(),
                    "the file holding the keystore's password");
            Path truststore = tlsFile("truststore", tls.truststore(),
                    "the certificates the relay trusts (the nodes'), a PKCS#12 file");
            Path truststorePassword = tlsFile("truststore-password-file", tls.truststorePasswordFile(),
                    "the file holding the truststore's password");
            if (keystore == null || keystorePassword == null || truststore == null || truststorePassword == null) {
                return Optional.empty();
            }
            return Optional.of(new RelayConfig.Tls(keystore, keystorePassword, truststore, truststorePassword));
        }

        /** One file of {@code relay.cluster.tls}, resolved against the file's directory; null after a problem. */
        private Path tlsFile(String field, String text, String what) {
            String path = "relay.cluster.tls." + field;
            if (text == null || text.isEmpty()) {
                problem(path, (text == null ? "missing" : "is empty") + "; " + what);
                return null;
            }
            Path file = directory.resolve(text).toAbsolutePath().normalize();
            Path fileName = file.getFileName();
            if (text.endsWith("/") || fileName == null || text.endsWith("/.") || text.endsWith("/..")
                    || text.equals(".") || text.equals("..")) {
                problem(path, quote(text) + " names a directory; name a file");
                return null;
            }
            return file;
        }

        private List<RelayConfig.Server> servers(List<RelayFile.Server> entries, boolean clustered) {
            if (entries == null || entries.isEmpty()) {
                problem("relay.servers", (entries == null ? "missing" : "empty")
                        + "; the servers to forward to, like [{\"address\": \"198.18.0.1\"}]");
                return null;
            }
            List<RelayConfig.Server> servers = new ArrayList<>();
            Map<Ipv4Address, Integer> addresses = new HashMap<>();
            Map<Integer, Integer> nodes = new HashMap<>();
            boolean whole = true;
            for (int i = 0; i < entries.size(); i++) {
                String path = "relay.servers[" + i + "]";
                RelayFile.Server entry = entries.get(i);
                if (entry == null) {
                    problem(path, "is null; a server is {\"address\": \"198.18.0.1\"}");
                    whole = false;
                    continue;
                }
                Optional<Ipv4Address> address = Optional.empty();
                if (entry.address() == null) {
                    problem(path + ".address", "missing; the server's DHCP address, like \"198.18.0.1\"");
                } else {
                    address = address(path + ".address", entry.address());
                    if (address.isPresent() && (address.get().isZero() || address.get().equals(Ipv4Address.BROADCAST))) {
                        problem(path + ".address", address.get() + " is not a server's unicast address");
                        address = Optional.empty();
                    }
                    if (address.isPresent()) {
                        Integer first = addresses.putIfAbsent(address.get(), i);
                        if (first != null) {
                            problem(path + ".address", address.get() + " is listed already, at relay.servers[" + first + "]");
                            address = Optional.empty();
                        }
                    }
                }
                Optional<NodeId> node = Optional.empty();
                if (entry.node() != null) {
                    if (entry.node() < 1) {
                        problem(path + ".node", entry.node() + " is not a node id (1 or more, as in the node's node.id)");
                    } else {
                        Integer first = nodes.putIfAbsent(entry.node(), i);
                        if (first != null) {
                            problem(path + ".node", entry.node() + " is listed already, at relay.servers[" + first + "]");
                        } else {
                            node = Optional.of(new NodeId(entry.node()));
                        }
                    }
                } else if (clustered) {
                    problem(path + ".node", "missing; with \"cluster\", every server names its node's node.id");
                }
                Optional<String> peer = Optional.empty();
                if (entry.peer() != null) {
                    peer = peer(path + ".peer", entry.peer());
                } else if (clustered) {
                    problem(path + ".peer", "missing; with \"cluster\", every server names its node's peer address, "
                            + "like \"198.18.0.1:6767\"");
                }
                if (address.isPresent()) {
                    servers.add(new RelayConfig.Server(address.get(), node, peer));
                } else {
                    whole = false;
                }
            }
            return whole ? servers : null;
        }

        private Optional<String> peer(String path, String text) {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                problem(path, quote(text) + " is not host:port, like \"198.18.0.1:6767\"");
                return Optional.empty();
            }
            String host = text.substring(0, colon);
            String port = text.substring(colon + 1);
            if (host.isEmpty()) {
                problem(path, quote(text) + " has no host; host:port, like \"198.18.0.1:6767\"");
                return Optional.empty();
            }
            try {
                int value = Integer.parseInt(port);
                if (value < 1 || value > 65535) {
                    problem(path, quote(text) + " has port " + value + "; a TCP port is 1-65535");
                    return Optional.empty();
                }
            } catch (NumberFormatException e) {
                problem(path, quote(text) + " has no port number after the colon; host:port, like \"198.18.0.1:6767\"");
                return Optional.empty();
            }
            return Optional.of(text);
        }

        private RelayConfig.Overrides overrides(List<RelayFile.Override> entries, List<RelayConfig.Server> servers) {
            if (entries == null) {
                return RelayConfig.Overrides.none();
            }
            Map<HardwareAddress, Ipv4Address> byMac = new LinkedHashMap<>();
            Map<Octets, Ipv4Address> byCircuitId = new LinkedHashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                String path = "relay.overrides[" + i + "]";
                RelayFile.Override entry = entries.get(i);
                if (entry == null) {
                    problem(path, "is null; an override is {\"mac\": \"02:00:00:00:00:01\", \"server\": \"198.18.0.2\"}");
                    continue;
                }
                Optional<Ipv4Address> target = overrideTarget(path, entry, servers);
                if ((entry.mac() == null) == (entry.circuitId() == null)) {
                    problem(path, "names " + (entry.mac() == null ? "neither" : "both") + " \"mac\" "
                            + (entry.mac() == null ? "nor" : "and") + " \"circuit-id\"; one of them picks the clients");
                    continue;
                }
                if (entry.mac() != null) {
                    HardwareAddress mac;
                    try {
                        mac = HardwareAddress.parseEthernet(entry.mac());
                    } catch (IllegalArgumentException e) {
                        problem(path + ".mac", e.getMessage());
                        continue;
                    }
                    if (byMac.containsKey(mac)) {
                        problem(path + ".mac", mac + " is pinned already by an earlier override");
                        continue;
                    }
                    target.ifPresent(server -> byMac.put(mac, server));
                } else {
                    Optional<Octets> circuit = octets(path + ".circuit-id", entry.circuitId());
                    if (circuit.isEmpty()) {
                        continue;
                    }
                    if (byCircuitId.containsKey(circuit.get())) {
                        problem(path + ".circuit-id", quote(entry.circuitId()) + " is pinned already by an earlier override");
                        continue;
                    }
                    target.ifPresent(server -> byCircuitId.put(circuit.get(), server));
                }
            }
            return new RelayConfig.Overrides(byMac, byCircuitId);
        }

        private Optional<Ipv4Address> overrideTarget(String path, RelayFile.Override entry, List<RelayConfig.Server> servers) {
            if ((entry.server() == null) == (entry.node() == null)) {
                problem(path, "names " + (entry.server() == null ? "neither" : "both") + " \"server\" "
                        + (entry.server() == null ? "nor" : "and") + " \"node\"; one of them is where the clients go");
                return Optional.empty();
            }
            if (servers == null) {
                return Optional.empty();
            }
            if (entry.server() != null) {
                Optional<Ipv4Address> address = address(path + ".server", entry.server());
                if (address.isPresent() && servers.stream().noneMatch(server -> server.address().equals(address.get()))) {
                    problem(path + ".server", address.get() + " is not one of relay.servers");
                    return Optional.empty();
                }
                return address;
            }
            Optional<RelayConfig.Server> server = servers.stream()
                    .filter(candidate -> candidate.node().map(NodeId::value).equals(Optional.of(entry.node())))
                    .findFirst();
            if (server.isEmpty()) {
                problem(path + ".node", entry.node() + " is not the node of any of relay.servers");
                return Optional.empty();
            }
            return Optional.of(server.get().address());
        }

        private Optional<RelayConfig.RateLimit> rateLimit(RelayFile.RateLimit limit) {
            if (limit == null) {
                return Optional.empty();
            }
            boolean good = true;
            Double rate = limit.requestsPerSecond();
            if (rate == null) {
                problem("relay.rate-limit.requests-per-second", "missing; the requests each client may send a second, like 10");
                good = false;
            } else if (!(rate > 0) || rate > 1_000_000 || rate.isInfinite()) {
                problem("relay.rate-limit.requests-per-second", rate + " is not more than 0 and at most 1000000");
                good = false;
            }
            int burst = bounded("relay.rate-limit.burst", limit.burst(),
                    rate == null ? 1 : (int) Math.max(1, Math.min(1_000_000, Math.ceil(rate * 2))), 1, 1_000_000);
            int maxClients = bounded("relay.rate-limit.max-clients", limit.maxClients(), DEFAULT_MAX_CLIENTS, 1,
                    MAX_CLIENTS_LIMIT);
            return good ? Optional.of(new RelayConfig.RateLimit(rate, burst, maxClients)) : Optional.empty();
        }

        private Optional<RelayConfig.Listen> admin(RelayFile.Admin admin) {
            if (admin == null) {
                return Optional.empty();
            }
            if (admin.listen() == null) {
                problem("relay.admin.listen", "missing; address:port, like \"127.0.0.1:" + DEFAULT_ADMIN_PORT + "\"");
                return Optional.empty();
            }
            String text = admin.listen();
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                problem("relay.admin.listen", quote(text) + " is not address:port, like \"127.0.0.1:" + DEFAULT_ADMIN_PORT + "\"");
                return Optional.empty();
            }
            Optional<Ipv4Address> address;
            try {
                address = Optional.of(Ipv4Address.parse(text.substring(0, colon)));
            } catch (IllegalArgumentException e) {
                problem("relay.admin.listen", quote(text) + " does not start with an IPv4 address; address:port, like \"127.0.0.1:"
                        + DEFAULT_ADMIN_PORT + "\"");
                return Optional.empty();
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                problem("relay.admin.listen", quote(text) + " has no TCP port (0-65535) after the colon");
                return Optional.empty();
            }
            int chosen = port;
            return address.map(value -> new RelayConfig.Listen(value, chosen));
        }

        private Optional<Octets> octets(String path, String text) {
            byte[] value;
            if (text.startsWith("0x") || text.startsWith("0X")) {
                try {
                    value = OptionCatalog.parseHex(text);
                } catch (IllegalArgumentException e) {
                    problem(path, quote(text) + " is not hex octets after 0x: " + e.getMessage());
                    return Optional.empty();
                }
            } else {
                value = text.getBytes(StandardCharsets.UTF_8);
            }
            if (value.length == 0 || value.length > 255) {
                problem(path, quote(text) + " is " + value.length + " octets; 1 to 255");
                return Optional.empty();
            }
            return Optional.of(Octets.of(value));
        }

        private Optional<Ipv4Address> address(String path, String text) {
            try {
                return Optional.of(Ipv4Address.parse(text));
            } catch (IllegalArgumentException e) {
                problem(path, quote(text) + " is not an IPv4 address (dotted quad, like 198.18.0.1)");
                return Optional.empty();
            }
        }

        private int port(String path, Integer value, int otherwise) {
            if (value == null) {
                return otherwise;
            }
            if (value < 1 || value > 65535) {
                problem(path, value + " is not a UDP port (1-65535)");
                return otherwise;
            }
            return value;
        }

        private int bounded(String path, Integer value, int otherwise, int min, int max) {
            if (value == null) {
                return otherwise;
            }
            if (value < min || value > max) {
                problem(path, value + " is out of range (" + min + " to " + max + ")");
                return otherwise;
            }
            return value;
        }
    }

    private static String quote(String text) {
        return "\"" + text + "\"";
    }

    /** The first IPv4 address of the interface called {@code name}, as the UDP transport picks it. */
    static Optional<Ipv4Address> firstIpv4Address(String name) {
        try {
            NetworkInterface networkInterface = NetworkInterface.getByName(name);
            if (networkInterface == null) {
                return Optional.empty();
            }
            for (InterfaceAddress address : networkInterface.getInterfaceAddresses()) {
                if (address.getAddress() instanceof Inet4Address ipv4) {
                    return Optional.of(Ipv4Address.fromBytes(ipv4.getAddress()));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
