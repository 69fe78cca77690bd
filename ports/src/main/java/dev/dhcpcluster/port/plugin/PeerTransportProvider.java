package dev.dhcpcluster.port.plugin;

import dev.dhcpcluster.port.peer.PeerTransport;

/**
 * Offers a {@link PeerTransport} under {@code "cluster": {"transport": ...}}; a cluster section
 * without {@code transport} uses {@code "tcp"}. The transport's settings are the cluster section's
 * fields other than those the node reads itself: {@code name}, {@code transport},
 * {@code secret-file}, {@code peers} and {@code timers}, which become the {@link PeerMembership}
 * the transport is created with.
 *
 * <p>The contract is {@link AdapterProvider}'s (a public no-argument constructor, no state,
 * {@code configure} opens nothing and reads every field it takes through
 * {@link AdapterSettings}); only the factory differs, since a peer transport needs the membership
 * too. Register an implementation in
 * {@code META-INF/services/dev.dhcpcluster.port.plugin.PeerTransportProvider}.
 */
public interface PeerTransportProvider {

    /**
     * The name a node file gives in {@code cluster.transport}: lower case, digits and hyphens,
     * unique among the peer transport providers on the class path.
     */
    String type();

    /**
     * Reads and checks the transport's settings and returns the factory that will create it. Every
     * problem is reported through {@link AdapterSettings#problem} (the typed getters report their
     * own); the factory of a configuration with problems is thrown away unused.
     *
     * @param settings the cluster section, at path {@code cluster}; the node's own fields are
     *     read already
     */
    PeerTransportFactory configure(AdapterSettings settings);
}
