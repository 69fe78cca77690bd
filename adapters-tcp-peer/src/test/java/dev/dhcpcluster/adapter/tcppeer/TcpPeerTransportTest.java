package dev.dhcpcluster.adapter.tcppeer;

import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AbstractPeerTransportTest;
import java.util.Set;

/** The {@link dev.dhcpcluster.port.peer.PeerTransport} contract over TCP on loopback. */
class TcpPeerTransportTest extends AbstractPeerTransportTest {

    @Override
    protected Cluster newCluster(Set<NodeId> members) throws Exception {
        return LoopbackCluster.of(members)::transport;
    }
}
