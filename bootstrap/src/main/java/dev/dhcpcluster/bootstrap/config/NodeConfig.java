package dev.dhcpcluster.bootstrap.config;

import dev.dhcpcluster.bootstrap.plugin.AdapterChoice;
import dev.dhcpcluster.core.config.ServerConfig;
import dev.dhcpcluster.port.dhcp.DhcpTransport;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.store.LeaseStore;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A node's configuration, validated and resolved: what {@link ConfigLoader} makes of a node file.
 *
 * @param node this node's id
 * @param dataDirectory where the node keeps its files (the SQLite store's, by default), absolute;
 *     created when the node starts, if something is kept there
 * @param transport which DHCP transport to run, configured
 * @param leaseStore which lease store to use, configured
 * @param server everything the DHCP server policy needs, inherited values filled in
 * @param admin the admin HTTP endpoint
 * @param cluster the cluster the node is a member of; empty for a node that runs alone
 * @param dhcpQueue how the event loop queues and sheds DHCP datagrams ({@code node.dhcp-queue})
 */
public record NodeConfig(NodeId node, Path dataDirectory, AdapterChoice<DhcpTransport> transport, AdapterChoice<LeaseStore> leaseStore,
        ServerConfig server, AdminSettings admin, Optional<ClusterSettings> cluster, DhcpQueueSettings dhcpQueue) {

    /** The lease store a node file gets when it names none: the durable SQLite store. */
    public static final String DEFAULT_STORE_TYPE = "sqlite";

    public NodeConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(leaseStore, "leaseStore");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(dhcpQueue, "dhcpQueue");
        if (!dataDirectory.isAbsolute()) {
            throw new IllegalArgumentException("the data directory must be resolved to an absolute path, not "
                    + dataDirectory);
        }
        if (cluster.isPresent() && cluster.get().peers().stream().anyMatch(peer -> peer.id().equals(node))) {
            throw new IllegalArgumentException("node " + node + " is listed as its own peer");
        }
        if (!node.equals(server.node())) {
            throw new IllegalArgumentException("node " + node + " and server config node " + server.node() + " differ");
        }
    }

    /** This config with {@code chosen} as its DHCP transport (an embedding application's own, say). */
    public NodeConfig withTransport(AdapterChoice<DhcpTransport> chosen) {
        return new NodeConfig(node, dataDirectory, chosen, leaseStore, server, admin, cluster, dhcpQueue);
    }

    /** This config with {@code chosen} as its lease store. */
    public NodeConfig withLeaseStore(AdapterChoice<LeaseStore> chosen) {
        return new NodeConfig(node, dataDirectory, transport, chosen, server, admin, cluster, dhcpQueue);
    }

    /** A config with the default DHCP queue ({@link DhcpQueueSettings#defaults}). */
    public NodeConfig(NodeId node, Path dataDirectory, AdapterChoice<DhcpTransport> transport, AdapterChoice<LeaseStore> leaseStore,
            ServerConfig server, AdminSettings admin, Optional<ClusterSettings> cluster) {
        this(node, dataDirectory, transport, leaseStore, server, admin, cluster, DhcpQueueSettings.defaults());
    }

    /** A config of a node that runs alone. */
    public NodeConfig(NodeId node, Path dataDirectory, AdapterChoice<DhcpTransport> transport, AdapterChoice<LeaseStore> leaseStore,
            ServerConfig server, AdminSettings admin) {
        this(node, dataDirectory, transport, leaseStore, server, admin, Optional.empty());
    }

    /** A config with the default admin endpoint ({@link AdminSettings#defaults}). */
    public NodeConfig(NodeId node, Path dataDirectory, AdapterChoice<DhcpTransport> transport, AdapterChoice<LeaseStore> leaseStore,
            ServerConfig server) {
        this(node, dataDirectory, transport, leaseStore, server, AdminSettings.defaults(dataDirectory));
    }
}
