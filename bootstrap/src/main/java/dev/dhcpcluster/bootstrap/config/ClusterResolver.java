package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.core.election.ElectionTimers;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves the {@code "cluster"} section into {@link ClusterSettings}, reporting every mistake
 * with its path. Files named in the section (the secret, the TLS stores and their passwords) are
 * taken relative to the data directory when relative, as {@code admin.token-file} and
 * {@code lease-store.file} are; they are read when the node starts, not here, so that a file can
 * be checked on another host.
 */
final class ClusterResolver {

    /** The longest cluster name: it travels in every handshake. */
    static final int MAX_NAME_LENGTH = 64;
    /** The longest timer accepted, in milliseconds: ten minutes is already far beyond any sensible value. */
    static final long MAX_TIMER_MS = 600_000;
    /** The longest handshake timeout accepted, in milliseconds. */
    static final long MAX_HANDSHAKE_MS = 60_000;

    private final Problems problems;

    ClusterResolver(Problems problems) {
        this.problems = problems;
    }

    /**
     * The settings, or empty if the section is absent ({@code present} false) or has an error
     * (reported).
     *
     * @param self this node's id, if it resolved
     */
    Optional<ClusterSettings> resolve(NodeFile.Cluster cluster, Optional<NodeId> self, Optional<Path> dataDirectory) {
        int before = problems.size();
        String name = name(cluster.name());
        InetSocketAddress listen = cluster.listen() == null ? null
                : socketAddress(cluster.listen(), "cluster.listen", 0);
        if (cluster.listen() == null) {
            problems.add("cluster.listen", "missing; the address:port this node listens on for its peers, like "
                    + "\"198.18.0.1:6767\"");
        }
        Optional<Path> secret = Optional.empty();
        if (cluster.secretFile() == null) {
            problems.add("cluster.secret-file", "missing; the file holding the cluster's shared secret "
                    + "(dhcpcluster cluster-key FILE writes one)");
        } else {
            secret = file(cluster.secretFile(), "cluster.secret-file", dataDirectory);
        }
        List<ClusterSettings.Peer> peers = peers(cluster.peers(), self, listen);
        ElectionTimers timers = timers(cluster.timers());
        int maxFrame = ClusterSettings.DEFAULT_MAX_FRAME_BYTES;
        if (cluster.maxFrameBytes() != null) {
            if (cluster.maxFrameBytes() < ClusterSettings.MIN_MAX_FRAME_BYTES
                    || cluster.maxFrameBytes() > ClusterSettings.MAX_MAX_FRAME_BYTES) {
                problems.add("cluster.max-frame-bytes", cluster.maxFrameBytes() + " is not "
                        + ClusterSettings.MIN_MAX_FRAME_BYTES + " to " + ClusterSettings.MAX_MAX_FRAME_BYTES + " bytes");
            } else {
                maxFrame = cluster.maxFrameBytes();
            }
        }
        Duration handshake = ClusterSettings.DEFAULT_HANDSHAKE_TIMEOUT;
        if (cluster.handshakeTimeoutMs() != null) {
            if (cluster.handshakeTimeoutMs() < 1 || cluster.handshakeTimeoutMs() > MAX_HANDSHAKE_MS) {
                problems.add("cluster.handshake-timeout-ms", cluster.handshakeTimeoutMs() + " is not 1 to "
                        + MAX_HANDSHAKE_MS + " ms");
            } else {
                handshake = Duration.ofMillis(cluster.handshakeTimeoutMs());
            }
        }
        Optional<ClusterSettings.TlsSettings> tls = tls(cluster.tls(), dataDirectory);
        if (problems.size() > before || name == null || listen == null || secret.isEmpty() || timers == null
                || (cluster.tls() != null && tls.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new ClusterSettings(name, listen, secret.get(), peers, timers, maxFrame, handshake, tls));
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
            InetSocketAddress listen) {
        if (entries == null || entries.isEmpty()) {
            problems.add("cluster.peers", (entries == null ? "missing" : "empty")
                    + "; list the other members, like [{\"id\": 2, \"address\": \"198.18.0.2:6767\"}] "
                    + "(a node that runs alone needs no cluster section)");
            return List.of();
        }
        List<ClusterSettings.Peer> peers = new ArrayList<>();
        Map<Long, Integer> ids = new HashMap<>();
        Map<InetSocketAddress, Integer> addresses = new HashMap<>();
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
            InetSocketAddress address = null;
            if (entry.address() == null) {
                problems.add(path + ".address", "missing; where the peer listens, address:port like \"198.18.0.2:6767\"");
            } else {
                address = socketAddress(entry.address(), path + ".address", 1);
                if (address != null && address.equals(listen)) {
                    problems.add(path + ".address", Syntax.quote(entry.address())
                            + " is this node's own cluster.listen");
                    address = null;
                } else if (address != null && addresses.containsKey(address)) {
                    problems.add(path + ".address", Syntax.quote(entry.address()) + " is listed already, at cluster.peers["
                            + addresses.get(address) + "]");
                    address = null;
                } else if (address != null) {
                    addresses.put(address, i);
                }
            }
            if (id != null && address != null) {
                peers.add(new ClusterSettings.Peer(id, address));
            }
        }
        return peers;
    }

    /** {@code address:port}, the address a dotted quad (no name to look up), the port from {@code lowest}. */
    private InetSocketAddress socketAddress(String text, String path, int lowest) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            problems.add(path, Syntax.quote(text) + " is not address:port (like \"198.18.0.1:6767\")");
            return null;
        }
        Ipv4Address address;
        try {
            address = Syntax.address(text.substring(0, colon));
        } catch (IllegalArgumentException e) {
            problems.add(path, e.getMessage());
            return null;
        }
        if (address.equals(Ipv4Address.BROADCAST) || (lowest > 0 && address.isZero())) {
            problems.add(path, Syntax.quote(text) + " is not an address a peer can be reached at");
            return null;
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            problems.add(path, Syntax.quote(text) + " has a port that is not a number");
            return null;
        }
        if (port < lowest || port > 65535) {
            problems.add(path, Syntax.quote(text) + " has port " + port + ", not a TCP port (" + lowest + "-65535)");
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(address.toBytes()), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four octets are always an address", e);
        }
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

    private Optional<ClusterSettings.TlsSettings> tls(NodeFile.ClusterTls tls, Optional<Path> dataDirectory) {
        if (tls == null) {
            return Optional.empty();
        }
        Optional<Path> keystore = required(tls.keystore(), "cluster.tls.keystore",
                "the node's key and certificate, a PKCS#12 file", dataDirectory);
        Optional<Path> keystorePassword = required(tls.keystorePasswordFile(), "cluster.tls.keystore-password-file",
                "the file holding the keystore's password", dataDirectory);
        Optional<Path> truststore = required(tls.truststore(), "cluster.tls.truststore",
                "the certificates the node trusts, a PKCS#12 file", dataDirectory);
        Optional<Path> truststorePassword = required(tls.truststorePasswordFile(),
                "cluster.tls.truststore-password-file", "the file holding the truststore's password", dataDirectory);
        if (keystore.isEmpty() || keystorePassword.isEmpty() || truststore.isEmpty() || truststorePassword.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ClusterSettings.TlsSettings(keystore.get(), keystorePassword.get(), truststore.get(),
                truststorePassword.get()));
    }

    private Optional<Path> required(String text, String path, String what, Optional<Path> dataDirectory) {
        if (text == null) {
            problems.add(path, "missing; " + what);
            return Optional.empty();
        }
        return file(text, path, dataDirectory);
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
