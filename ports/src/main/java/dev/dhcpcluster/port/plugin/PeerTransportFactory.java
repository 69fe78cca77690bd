package dev.dhcpcluster.port.plugin;

import dev.dhcpcluster.port.peer.PeerTransport;
import java.util.List;

/**
 * Creates one configured peer transport: what {@link PeerTransportProvider#configure} returns. It
 * differs from {@link AdapterFactory} in what it is given: the node's {@link PeerMembership} besides
 * its context, and a say in which peer addresses the node file may write.
 */
@FunctionalInterface
public interface PeerTransportFactory {

    /**
     * Creates the transport, called once, when the node starts, on the thread starting it. The
     * transport listens and dials later, in {@link PeerTransport#start}.
     *
     * @throws IllegalStateException if something the transport reads at start (a key store, a
     *     password file) cannot be used; the message names the field it came from
     *     ({@code cluster.tls.keystore: ...}) and the node refuses to start with it
     */
    PeerTransport create(NodeContext context, PeerMembership membership);

    /**
     * Reads a peer's address as the node file writes it ({@code cluster.peers[i].address}), when the
     * node reads its file, and returns it in this transport's canonical spelling: two peers whose
     * canonical addresses are equal are one place, which the node refuses. The default takes any
     * address that is not blank, as written.
     *
     * @throws IllegalArgumentException if no peer can be reached at that address with this
     *     transport (it is malformed, or it is where this node itself listens); the message says
     *     why, quoting the address, and the node reports it under the address's JSON path
     */
    default String peerAddress(String written) {
        if (written.isBlank()) {
            throw new IllegalArgumentException("is empty; where the peer can be reached");
        }
        return written;
    }

    /**
     * The problems that {@link #create} or {@code start} would meet on this host, for
     * {@code config check}: a file the transport reads that is missing, open to others or not what
     * it should be. Each names its field's JSON path. The default finds none.
     */
    default List<SettingsProblem> checkHost() {
        return List.of();
    }
}
