package dev.dhcpcluster.adapter.tcppeer;

import dev.dhcpcluster.port.model.NodeId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The members of one test cluster on loopback: a free port for each, chosen when the cluster is
 * made, so that every member knows the others' addresses before any starts, and a restarted member
 * comes back where its peers look for it.
 */
final class LoopbackCluster {

    static final String NAME = "lab";
    static final byte[] SECRET = "a cluster secret of 32 bytes....".getBytes(StandardCharsets.US_ASCII);

    private final Map<NodeId, InetSocketAddress> addresses;
    private final Map<NodeId, RecordingPeerEvents> events = new ConcurrentHashMap<>();
    private final UnaryOperator<TcpPeerTransport.Settings> tweak;

    private LoopbackCluster(Map<NodeId, InetSocketAddress> addresses, UnaryOperator<TcpPeerTransport.Settings> tweak) {
        this.addresses = addresses;
        this.tweak = tweak;
    }

    /** A cluster of {@code members} with the default settings. */
    static LoopbackCluster of(Set<NodeId> members) throws IOException {
        return of(members, UnaryOperator.identity());
    }

    /** A cluster of {@code members} whose settings pass through {@code tweak}. */
    static LoopbackCluster of(Set<NodeId> members, UnaryOperator<TcpPeerTransport.Settings> tweak) throws IOException {
        Map<NodeId, InetSocketAddress> addresses = new TreeMap<>();
        for (NodeId member : members) {
            addresses.put(member, freeLoopbackAddress());
        }
        return new LoopbackCluster(Map.copyOf(addresses), tweak);
    }

    /** A loopback address with a TCP port that is free at the time of the call. */
    static InetSocketAddress freeLoopbackAddress() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), probe.getLocalPort());
        }
    }

    /** "host:port", as reports write an address. */
    static String describe(InetSocketAddress address) {
        return Connection.describe(address);
    }

    InetSocketAddress address(NodeId node) {
        return addresses.get(node);
    }

    /** The settings of {@code node}: its own address, every other member as a peer. */
    TcpPeerTransport.Settings settings(NodeId node) {
        Map<NodeId, InetSocketAddress> peers = new HashMap<>(addresses);
        peers.remove(node);
        return tweak.apply(TcpPeerTransport.Settings.of(node, NAME, addresses.get(node), peers, SECRET));
    }

    /** What {@code node}'s transports have reported, across restarts. */
    RecordingPeerEvents events(NodeId node) {
        return events.computeIfAbsent(node, n -> new RecordingPeerEvents());
    }

    /** A new, unstarted transport for {@code node}. */
    TcpPeerTransport transport(NodeId node) {
        return new TcpPeerTransport(settings(node), events(node));
    }
}
