package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.core.cluster.AssignmentPlanner;
import dev.dhcpcluster.core.election.ElectionTimers;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.plugin.AdapterSettings;
import dev.dhcpcluster.port.plugin.PeerTransportFactory;
import dev.dhcpcluster.port.plugin.PeerTransportProvider;
import dev.dhcpcluster.port.plugin.SettingsProblem;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The {@code "cluster"} section, resolved: which cluster the node belongs to, who the other
 * members are, how it proves it belongs, the election's timers, how its leader deals address
 * blocks, and the peer transport that
 * carries it all with that transport's own settings. A node without the section runs alone.
 *
 * @param name the cluster's name; a peer of another name is refused
 * @param transport the peer transport's type ({@code cluster.transport}, {@code "tcp"} by default),
 *     offered by a {@link PeerTransportProvider} on the class path
 * @param secretFile the file holding the cluster's shared secret, absolute
 * @param peers the other members, in the order of the file; never this node
 * @param timers the election's timers
 * @param addressBlocks how the leader deals the pools' blocks ({@code cluster.address-blocks}, the
 *     defaults of {@link AssignmentPlanner.Rules#DEFAULTS} where absent)
 * @param transportSettings the section's other fields, as written: the transport's own, which its
 *     provider read and found valid when the file was loaded
 * @param provider the provider of {@code transport}, from the catalog the file was loaded with
 */
public record ClusterSettings(String name, String transport, Path secretFile, List<Peer> peers, ElectionTimers timers,
        AssignmentPlanner.Rules addressBlocks, Map<String, Object> transportSettings, PeerTransportProvider provider) {

    /** The peer transport of a cluster section without {@code transport}. */
    public static final String DEFAULT_TRANSPORT = "tcp";

    public ClusterSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(secretFile, "secretFile");
        Objects.requireNonNull(timers, "timers");
        Objects.requireNonNull(addressBlocks, "addressBlocks");
        Objects.requireNonNull(provider, "provider");
        peers = List.copyOf(peers);
        transportSettings = Collections.unmodifiableMap(new LinkedHashMap<>(transportSettings));
        if (!secretFile.isAbsolute()) {
            throw new IllegalArgumentException("the secret file must be resolved to an absolute path, not " + secretFile);
        }
        if (peers.stream().map(Peer::id).distinct().count() != peers.size()) {
            throw new IllegalArgumentException("a peer id is listed twice: " + peers);
        }
    }

    /** The peers' addresses by id, as written, in the order of the file. */
    public Map<NodeId, String> peerAddresses() {
        Map<NodeId, String> addresses = new LinkedHashMap<>();
        peers.forEach(peer -> addresses.put(peer.id(), peer.address()));
        return Collections.unmodifiableMap(addresses);
    }

    /**
     * The factory of this section's peer transport: its provider configured again with
     * {@link #transportSettings}.
     *
     * @param dataDirectory the node's data directory, against which the transport's relative paths resolve
     * @throws IllegalStateException if the provider now finds a problem with its settings (each
     *     named, with its path)
     */
    public PeerTransportFactory transportFactory(Path dataDirectory) {
        AdapterSettings settings = AdapterSettings.of("cluster", transportSettings, dataDirectory);
        ClusterResolver.NODE_FIELDS.forEach(settings::has);
        PeerTransportFactory factory = provider.configure(settings);
        List<SettingsProblem> problems = settings.problems();
        if (!problems.isEmpty() || !settings.unread().isEmpty()) {
            throw new IllegalStateException(problems.isEmpty() ? settings.unread().toString()
                    : problems.stream().map(SettingsProblem::toString).collect(Collectors.joining("; ")));
        }
        return factory;
    }

    /**
     * One other member of the cluster.
     *
     * @param id its {@code node.id}
     * @param address where it can be reached, as written; its transport found it valid
     */
    public record Peer(NodeId id, String address) {

        public Peer {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
        }
    }
}
