package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.core.election.ElectionTimers;
import dev.dhcpcluster.port.model.NodeId;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code "cluster"} section, resolved: which cluster the node belongs to, where it listens for
 * its peers, who they are, how it proves it belongs, and the election's timers. A node without the
 * section runs alone.
 *
 * @param name the cluster's name; a peer of another name is refused
 * @param listen where the node listens for its peers (TCP)
 * @param secretFile the file holding the cluster's shared secret, absolute
 * @param peers the other members, in the order of the file; never this node
 * @param timers the election's timers
 * @param maxFrameBytes the largest peer frame accepted; a longer length prefix closes the connection
 * @param handshakeTimeout how long a peer has to finish its handshake
 * @param tls the TLS key and trust stores, when peer connections are encrypted
 */
public record ClusterSettings(String name, InetSocketAddress listen, Path secretFile, List<Peer> peers,
        ElectionTimers timers, int maxFrameBytes, Duration handshakeTimeout, Optional<TlsSettings> tls) {

    /** The largest frame by default: far above any election message, and what the next messages will need. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 1 << 20;
    /** The smallest {@code max-frame-bytes} allowed: a handshake must fit. */
    public static final int MIN_MAX_FRAME_BYTES = 1024;
    /** The largest {@code max-frame-bytes} allowed. */
    public static final int MAX_MAX_FRAME_BYTES = 64 << 20;
    /** How long a handshake may take by default. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);

    public ClusterSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(secretFile, "secretFile");
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
        Objects.requireNonNull(tls, "tls");
        peers = List.copyOf(peers);
        if (!secretFile.isAbsolute()) {
            throw new IllegalArgumentException("the secret file must be resolved to an absolute path, not " + secretFile);
        }
        if (peers.stream().map(Peer::id).distinct().count() != peers.size()) {
            throw new IllegalArgumentException("a peer id is listed twice: " + peers);
        }
    }

    /** The peers by id, in the order of the file. */
    public Map<NodeId, InetSocketAddress> peerAddresses() {
        Map<NodeId, InetSocketAddress> addresses = new LinkedHashMap<>();
        peers.forEach(peer -> addresses.put(peer.id(), peer.address()));
        return addresses;
    }

    /**
     * One other member of the cluster.
     *
     * @param id its {@code node.id}
     * @param address where it listens for its peers
     */
    public record Peer(NodeId id, InetSocketAddress address) {

        public Peer {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
        }
    }

    /**
     * {@code cluster.tls}: the node's own key and certificate, and the certificates it trusts, both
     * PKCS#12 files, each with its password in a file of its own. All paths are absolute.
     */
    public record TlsSettings(Path keystore, Path keystorePasswordFile, Path truststore, Path truststorePasswordFile) {

        public TlsSettings {
            for (Path path : new Path[] {keystore, keystorePasswordFile, truststore, truststorePasswordFile}) {
                Objects.requireNonNull(path, "path");
                if (!path.isAbsolute()) {
                    throw new IllegalArgumentException("a TLS file must be resolved to an absolute path, not " + path);
                }
            }
        }
    }
}
