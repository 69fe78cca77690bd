package dev.dhcpcluster.bootstrap.runtime;

import dev.dhcpcluster.adapter.storage.LostStoreMark;
import dev.dhcpcluster.core.cluster.Assignment;
import dev.dhcpcluster.core.cluster.Responsibility;
import dev.dhcpcluster.core.dhcp.DhcpServer;
import dev.dhcpcluster.port.model.Ipv4Address;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.AssignmentStore;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.store.LeaseStore;
import java.io.IOException;
import java.time.Duration;
import java.util.SortedMap;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);

    private final ClusterService cluster;
    private final dev.dhcpcluster.core.member.ClusterMember member;
    private final LostStoreMark lostStore;

    /**
     * @param recovering true if this node's lease store was lost since it last voted
     * @param lostStore the note that the store was lost, set already if {@code recovering}; removed
     *     once the catch-up has settled every address it read
     */
    ClusterMember(ClusterService cluster, LeaseStore local, AssignmentStore assignments, EventLoop loop,
            boolean recovering, LostStoreMark lostStore) {
        this.cluster = cluster;
        this.lostStore = lostStore;
        this.member = new dev.dhcpcluster.core.member.ClusterMember(cluster.self(), cluster.members(), local,
                assignments, loop, loop, cluster.peers(), cluster::leadership, cluster::epoch, recovering,
                dev.dhcpcluster.core.member.ClusterMember.Settings.DEFAULTS.withRules(cluster.addressBlocks()));
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
        member.onShortSubnets(this::shortSubnets);
        member.start(loaded, this::caughtUp, this::settled);
        cluster.attach(this);
    }

    /** Once per plan this node proposes, leading, that leaves a live member without a block in a subnet. */
    private void shortSubnets(Assignment plan, SortedMap<Ipv4Address, SortedSet<NodeId>> lacking) {
        lacking.forEach((subnet, nodes) -> LOG.warn("assignment {}.{}: every address block of the subnet whose pools "
                + "start at {} is held, and nodes {} hold none: its clients whose bucket they answer for get no "
                + "address (pool_exhausted); give each subnet's pools at least one block of 256 addresses per member, "
                + "plus the reserve", plan.epoch(), plan.sequence(), subnet,
                nodes.stream().map(node -> String.valueOf(node.value())).toList()));
    }

    private void caughtUp() {
        LOG.info("node {} caught up with its peers' leases: it serves and acknowledges lease changes again",
                cluster.self().value());
    }

    private void settled() {
        try {
            lostStore.clear();
            LOG.info("node {}: every lease it read while catching up is settled; {} removed", cluster.self().value(),
                    lostStore);
        } catch (IOException e) {
            LOG.warn("node {} could not remove {}: it will catch up again at its next start: {}", cluster.self().value(),
                    lostStore, e.getMessage());
        }
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
        return new MemberView(member.holdings(), member.freeAddresses(), member.freeBySubnet(), member.replicating(),
                member.recovering(),
                member.grantCurrent(), member.accepted());
    }

    /**
     * On the loop: the assignment this node tells its observers about: the one it committed last
     * while it leads, else the latest it accepted.
     */
    dev.dhcpcluster.core.cluster.Assignment published() {
        return member.committed().orElseGet(member::accepted);
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
        member.connected(peer);
    }

    @Override
    public void disconnected(NodeId peer) {
        member.disconnected(peer);
    }
}
