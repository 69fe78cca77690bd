package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.bootstrap.plugin.AdapterCatalog;
import dev.dhcpcluster.core.cluster.AssignmentPlanner;
import dev.dhcpcluster.core.election.ElectionTimers;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.plugin.AdapterSettings;
import dev.dhcpcluster.port.plugin.PeerTransportFactory;
import dev.dhcpcluster.port.plugin.PeerTransportProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves the {@code "cluster"} section into {@link ClusterSettings}, reporting every mistake
 * with its path. The node reads its own fields ({@code name}, {@code transport},
 * {@code secret-file}, {@code peers}, {@code timers}, {@code address-blocks}); the peer transport named by
 * {@code transport}, one of the {@link PeerTransportProvider}s of the loader's
 * {@link AdapterCatalog}, reads the rest and judges the peers' addresses. Files named in the section (the
 * secret, a transport's key stores) are taken relative to the data directory when relative, as
 * {@code admin.token-file} and {@code lease-store.file} are; they are read when the node starts,
 * not here, so that a file can be checked on another host.
 */
final class ClusterResolver {

    /** The longest cluster name: it travels in every handshake. */
    static final int MAX_NAME_LENGTH = 64;
    /** The longest timer accepted, in milliseconds: ten minutes is already far beyond any sensible value. */
    static final long MAX_TIMER_MS = 600_000;
    /** The fields of the section the node reads itself; the transport reads the others. */
    static final List<String> NODE_FIELDS = List.of("name", "transport", "secret-file", "peers", "timers",
            "address-blocks");
    /** The most blocks {@code address-blocks.initial} and {@code reserve} may name: the blocks of a /8. */
    static final int MAX_BLOCKS = 65_536;

    private final Problems problems;
    private final AdapterCatalog catalog;

    ClusterResolver(Problems problems, AdapterCatalog catalog) {
        this.problems = problems;
        this.catalog = catalog;
    }

    /**
     * The settings, or empty if the section has an error (reported).
     *
     * @param self this node's id, if it resolved
     */
    Optional<ClusterSettings> resolve(NodeFile.Cluster cluster, Optional<NodeId> self, Optional<Path> dataDirectory) {
        int before = problems.size();
        String name = name(cluster.name());
        Optional<PeerTransportProvider> provider = catalog.peerTransport(transportType(cluster));
        Optional<PeerTransportFactory> transport = transport(cluster, provider, dataDirectory);
        Optional<Path> secret = Optional.empty();
        if (cluster.secretFile() == null) {
            problems.add("cluster.secret-file", "missing; the file holding the cluster's shared secret "
                    + "(dhcpcluster cluster-key FILE writes one)");
        } else {
            secret = file(cluster.secretFile(), "cluster.secret-file", dataDirectory);
        }
        List<ClusterSettings.Peer> peers = peers(cluster.peers(), self, transport);
        ElectionTimers timers = timers(cluster.timers());
        AssignmentPlanner.Rules blocks = addressBlocks(cluster.addressBlocks());
        if (problems.size() > before || name == null || transport.isEmpty() || secret.isEmpty() || timers == null) {
            return Optional.empty();
        }
        return Optional.of(new ClusterSettings(name, transportType(cluster), secret.get(), peers, timers, blocks,
                cluster.transportSettings(), provider.get()));
    }

    private static String transportType(NodeFile.Cluster cluster) {
        return cluster.transport() == null ? ClusterSettings.DEFAULT_TRANSPORT : cluster.transport();
    }

    /** The transport's provider configured with its fields; empty after reporting a problem. */
    private Optional<PeerTransportFactory> transport(NodeFile.Cluster cluster, Optional<PeerTransportProvider> found,
            Optional<Path> dataDirectory) {
        String type = transportType(cluster);
        if (found.isEmpty()) {
            Set<String> types = catalog.peerTransportTypes();
            problems.add("cluster.transport", Syntax.quote(type) + " is not a known peer transport; "
                    + (types.isEmpty() ? "none is on the class path" : "known: " + String.join(", ", types)));
            return Optional.empty();
        }
        PeerTransportProvider provider = found.get();
        if (dataDirectory.isEmpty()) {
            // The data directory has its own error; the transport's paths cannot resolve without it.
            return Optional.empty();
        }
        AdapterSettings settings = AdapterSettings.of("cluster", cluster.transportSettings(), dataDirectory.get());
        // The node's own fields are read already: named as read, they are listed among the known.
        NODE_FIELDS.forEach(settings::has);
        PeerTransportFactory factory = provider.configure(settings);
        int before = problems.size();
        settings.problems().forEach(problem -> problems.add(problem.path(), problem.message()));
        settings.unread().forEach(problem -> problems.add(problem.path(), problem.message()));
        return problems.size() > before ? Optional.empty() : Optional.of(factory);
    }

    private String name(String name) {
        if (name == null) {
            problems.add("cluster.name", "missing; the cluster's name, the same on every member, like \"lab\"");
            return null;
        }
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            problems.add("cluster.name", Syntax.quote(name) + " is not 1 to " + MAX_NAME_LENGTH + " characters");
            return null;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                problems.add("cluster.name", "holds a character that is not printable ASCII ("
                        + String.format("U+%04X", (int) c) + "); use letters, digits and punctuation, no spaces");
                return null;
            }
        }
        return name;
    }

    private List<ClusterSettings.Peer> peers(List<NodeFile.ClusterPeer> entries, Optional<NodeId> self,
            Optional<PeerTransportFactory> transport) {
        if (entries == null || entries.isEmpty()) {
            problems.add("cluster.peers", (entries == null ? "missing" : "empty")
                    + "; list the other members, like [{\"id\": 2, \"address\": \"198.18.0.2:6767\"}] "
                    + "(a node that runs alone needs no cluster section)");
            return List.of();
        }
        List<ClusterSettings.Peer> peers = new ArrayList<>();
        Map<Long, Integer> ids = new HashMap<>();
        Map<String, Integer> addresses = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = "cluster.peers[" + i + "]";
            NodeFile.ClusterPeer entry = entries.get(i);
            if (entry == null) {
                problems.add(path, "null; give {\"id\": 2, \"address\": \"198.18.0.2:6767\"}");
                continue;
            }
            NodeId id = null;
            if (entry.id() == null) {
                problems.add(path + ".id", "missing; the peer's node.id");
            } else if (entry.id() < 1) {
                problems.add(path + ".id", entry.id() + " is not a positive number");
            } else if (self.isPresent() && self.get().value() == entry.id()) {
                problems.add(path + ".id", entry.id() + " is this node's own node.id; list only the other members");
            } else if (ids.containsKey((long) entry.id())) {
                problems.add(path + ".id", entry.id() + " is listed already, at cluster.peers[" + ids.get((long) entry.id())
                        + "]");
            } else {
                ids.put((long) entry.id(), i);
                id = new NodeId(entry.id());
            }
            String address = null;
            if (entry.address() == null) {
                problems.add(path + ".address", "missing; where the peer listens, address:port like \"198.18.0.2:6767\"");
            } else {
                String canonical = null;
                try {
                    // Without a transport (its type unknown, or its settings wrong) any address will do for now.
                    canonical = transport.isPresent() ? transport.get().peerAddress(entry.address()) : entry.address();
                } catch (IllegalArgumentException e) {
                    problems.add(path + ".address", e.getMessage());
                }
                if (canonical != null && addresses.containsKey(canonical)) {
                    problems.add(path + ".address", Syntax.quote(entry.address()) + " is listed already, at cluster.peers["
                            + addresses.get(canonical) + "]");
                } else if (canonical != null) {
                    addresses.put(canonical, i);
                    address = entry.address();
                }
            }
            if (id != null && address != null) {
                peers.add(new ClusterSettings.Peer(id, address));
            }
        }
        return peers;
    }

    private ElectionTimers timers(NodeFile.ClusterTimers given) {
        ElectionTimers defaults = ElectionTimers.DEFAULTS;
        NodeFile.ClusterTimers timers = given == null ? new NodeFile.ClusterTimers(null, null, null, null) : given;
        int before = problems.size();
        Duration heartbeat = millis(timers.heartbeatIntervalMs(), defaults.heartbeatInterval(),
                "cluster.timers.heartbeat-interval-ms");
        Duration failure = millis(timers.failureTimeoutMs(), defaults.failureTimeout(),
                "cluster.timers.failure-timeout-ms");
        Duration answer = millis(timers.answerTimeoutMs(), defaults.answerTimeout(), "cluster.timers.answer-timeout-ms");
        Duration coordinator = millis(timers.coordinatorTimeoutMs(), defaults.coordinatorTimeout(),
                "cluster.timers.coordinator-timeout-ms");
        if (problems.size() > before) {
            return null;
        }
        if (failure.compareTo(heartbeat.multipliedBy(2)) < 0) {
            // Name the field the operator set; if both are defaults this cannot happen.
            String path = timers.failureTimeoutMs() != null ? "cluster.timers.failure-timeout-ms"
                    : "cluster.timers.heartbeat-interval-ms";
            problems.add(path, "the failure timeout (" + failure.toMillis() + " ms) must be at least twice the "
                    + "heartbeat interval (" + heartbeat.toMillis() + " ms), or one late heartbeat starts an election");
            return null;
        }
        try {
            return new ElectionTimers(heartbeat, failure, answer, coordinator);
        } catch (IllegalArgumentException e) {
            // Every rule of ElectionTimers is checked above with a path; this is a last line.
            problems.add("cluster.timers", e.getMessage());
            return null;
        }
    }

    /** {@code cluster.address-blocks}, each field absent taking its default; a wrong one is reported and defaulted. */
    private AssignmentPlanner.Rules addressBlocks(NodeFile.ClusterAddressBlocks given) {
        AssignmentPlanner.Rules defaults = AssignmentPlanner.Rules.DEFAULTS;
        if (given == null) {
            return defaults;
        }
        int initial = defaults.initialBlocks();
        if (given.initial() != null) {
            if (given.initial() < 1 || given.initial() > MAX_BLOCKS) {
                problems.add("cluster.address-blocks.initial", given.initial() + " is not 1 to " + MAX_BLOCKS
                        + " blocks; the most blocks of 256 addresses a member gets when it holds none");
            } else {
                initial = given.initial();
            }
        }
        int reserve = defaults.reserveBlocks();
        if (given.reserve() != null) {
            if (given.reserve() < 0 || given.reserve() > MAX_BLOCKS) {
                problems.add("cluster.address-blocks.reserve", given.reserve() + " is not 0 to " + MAX_BLOCKS
                        + " blocks; the free blocks kept for a member that comes with none");
            } else {
                reserve = given.reserve();
            }
        }
        long lowWater = defaults.lowWater();
        long maxLowWater = (long) MAX_BLOCKS * AssignmentPlanner.BLOCK_ADDRESSES;
        if (given.lowWater() != null) {
            if (given.lowWater() < 0 || given.lowWater() > maxLowWater) {
                problems.add("cluster.address-blocks.low-water", given.lowWater() + " is not 0 to " + maxLowWater
                        + " addresses; a member with fewer free is dealt blocks until it has twice as many");
            } else {
                lowWater = given.lowWater();
            }
        }
        return new AssignmentPlanner.Rules(reserve, initial, lowWater);
    }

    private Duration millis(Long value, Duration fallback, String path) {
        if (value == null) {
            return fallback;
        }
        if (value < 1 || value > MAX_TIMER_MS) {
            problems.add(path, value + " is not 1 to " + MAX_TIMER_MS + " ms");
            return fallback;
        }
        return Duration.ofMillis(value);
    }

    /** A file's path, absolute: a relative one is taken inside the data directory. */
    private Optional<Path> file(String text, String path, Optional<Path> dataDirectory) {
        Optional<Path> file = ConfigResolver.path(text, path, problems);
        if (file.isEmpty()) {
            return file;
        }
        Path name = file.get().getFileName();
        if (text.endsWith("/") || name == null || name.toString().equals(".") || name.toString().equals("..")) {
            problems.add(path, Syntax.quote(text) + " names a directory; name a file");
            return Optional.empty();
        }
        if (file.get().isAbsolute()) {
            return Optional.of(file.get().normalize());
        }
        return dataDirectory.map(directory -> directory.resolve(file.get()).normalize());
    }
}
