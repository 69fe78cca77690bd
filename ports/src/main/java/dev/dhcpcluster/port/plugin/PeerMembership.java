package dev.dhcpcluster.port.plugin;

import dev.dhcpcluster.port.model.NodeId;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Who a node's peer transport carries messages between: what the node reads from its
 * {@code cluster} section, whichever transport it uses, and hands the transport when it creates it.
 *
 * @param clusterName the cluster's name ({@code cluster.name}); a transport refuses a peer of
 *     another name
 * @param self this node's id
 * @param peers every other member and its address exactly as the node file writes it
 *     ({@code cluster.peers[].address}), in the file's order; never this node. The address means
 *     what the transport says it means; the node checked each through
 *     {@link PeerTransportFactory#peerAddress} when it read the file.
 * @param secret the cluster's shared secret, which the transport proves membership with; a copy
 *     is kept, and {@link #secret()} returns a copy
 * @param heartbeatInterval how often the election sends heartbeats ({@code cluster.timers}); a
 *     transport that checks its connections for life does it at this pace
 */
public record PeerMembership(String clusterName, NodeId self, Map<NodeId, String> peers, byte[] secret,
        Duration heartbeatInterval) {

    public PeerMembership {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Map<NodeId, String> ordered = new LinkedHashMap<>();
        peers.forEach((id, address) -> ordered.put(Objects.requireNonNull(id, "peer"),
                Objects.requireNonNull(address, "address of " + id)));
        if (ordered.containsKey(self)) {
            throw new IllegalArgumentException("the peers of " + self + " include itself");
        }
        peers = Collections.unmodifiableMap(ordered);
        secret = secret.clone();
        if (heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("the heartbeat interval must be positive, not " + heartbeatInterval);
        }
    }

    /** A copy of the secret: wipe it once used. */
    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PeerMembership that && clusterName.equals(that.clusterName) && self.equals(that.self)
                && peers.equals(that.peers) && Arrays.equals(secret, that.secret)
                && heartbeatInterval.equals(that.heartbeatInterval);
    }

    @Override
    public int hashCode() {
        return Objects.hash(clusterName, self, peers, Arrays.hashCode(secret), heartbeatInterval);
    }

    /** Everything but the secret, which never reaches a log. */
    @Override
    public String toString() {
        return "PeerMembership[clusterName=" + clusterName + ", self=" + self + ", peers=" + peers + ", secret=("
                + secret.length + " bytes), heartbeatInterval=" + heartbeatInterval + "]";
    }
}
