package dev.dhcpcluster.bootstrap.runtime;

import dev.dhcpcluster.core.cluster.Responsibility;
import dev.dhcpcluster.core.dhcp.DhcpServer;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AssignmentStore;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.store.LeaseStore;
import java.time.Duration;

/**
 * The node's wiring of its {@link dev.dhcpcluster.core.member.ClusterMember core cluster member}:
 * the cluster service's peers, election and epoch, and the event loop as its clock and scheduler.
 * What the member does (replication before the ACK, the grant applied before each datagram, the
 * peers' leases validated) is in core, where the full-stack simulation runs the same code.
 *
 * <p>Everything here runs on the event loop, except {@link #store()}'s start-time calls.
 */
final class ClusterMember implements PeerHandler {

    /** How long an address whose lease ended by time stays out of its pool (see the core member's settings). */
    static final Duration EXPIRY_GRACE = dev.dhcpcluster.core.member.ClusterMember.Settings.DEFAULTS.expiryGrace();

    private final ClusterService cluster;
    private final dev.dhcpcluster.core.member.ClusterMember member;

    /**
     * @param recovering true if this node's lease store was lost since it last voted
     */
    ClusterMember(ClusterService cluster, LeaseStore local, AssignmentStore assignments, EventLoop loop,
            boolean recovering) {
        this.cluster = cluster;
        this.member = new dev.dhcpcluster.core.member.ClusterMember(cluster.self(), cluster.members(), local,
                assignments, loop, loop, cluster.peers(), cluster::leadership, cluster::epoch, recovering,
                dev.dhcpcluster.core.member.ClusterMember.Settings.DEFAULTS);
    }

    /** The store the DHCP server writes to. */
    LeaseStore store() {
        return member.store();
    }

    /** What the server answers for: the buckets the grant holds now. */
    Responsibility buckets() {
        return member.buckets();
    }

    /**
     * On the loop, once the server has loaded its leases: the server owns nothing until granted,
     * the grants start, and the peers' lease and assignment messages reach this member from now on.
     */
    void start(DhcpServer loaded, EventLoop loop) {
        member.start(loaded);
        cluster.attach(this);
    }

    /** On the loop, before each datagram: the server gets the holdings of this moment. */
    void refresh() {
        member.refresh();
    }

    /** On the loop, after a reconfiguration: the holdings are applied again. */
    void reapply() {
        member.reapply();
    }

    /** On the loop: what this member holds and how far its replication lags, for status and metrics. */
    MemberView view() {
        return new MemberView(member.holdings(), member.freeAddresses(), member.replicating(), member.recovering(),
                member.grantCurrent(), member.accepted());
    }

    /** On the loop: no more grants or timers. */
    void stop() {
        member.stop();
    }

    @Override
    public void received(PeerMessage message) {
        member.received(message);
    }

    @Override
    public void connected(NodeId peer) {
    }

    @Override
    public void disconnected(NodeId peer) {
    }
}
