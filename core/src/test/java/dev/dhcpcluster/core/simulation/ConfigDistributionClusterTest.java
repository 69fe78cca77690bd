package dev.dhcpcluster.core.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.core.cluster.ConfigDistribution;
import dev.dhcpcluster.core.election.BullyElection;
import dev.dhcpcluster.core.election.ElectionTimers;
import dev.dhcpcluster.core.election.Role;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.peer.PeerMessage.ServerConfigOffer;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Three nodes with the real election on the simulated network, each running a
 * {@link ConfigDistribution}: every node ends up serving its leader's file, through a reload, a
 * follower's own reload, the leader's crash and its return, and none ever goes back to an earlier
 * epoch's configuration.
 */
class ConfigDistributionClusterTest {

    private static final NodeId ONE = new NodeId(1);
    private static final NodeId TWO = new NodeId(2);
    private static final NodeId THREE = new NodeId(3);
    private static final List<NodeId> IDS = List.of(ONE, TWO, THREE);

    private final EventQueue queue = new EventQueue();
    private final SplittableRandom random = new SplittableRandom(10);
    private final SimulatedNetwork network = new SimulatedNetwork(queue, random.split(), IDS);
    private final Map<NodeId, Node> nodes = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();

    /** One node: its disk and clock outlive a crash; its file is a configuration of its own. */
    private final class Node implements ConfigDistribution.Target {
        final NodeId id;
        final SimulatedClock clock;
        final SimulatedDisk disk;
        String file;
        String served;
        SimulatedScheduler scheduler;
        BullyElection election;
        ConfigDistribution distribution;
        /** The latest leader's version this incarnation served or recorded. */
        ServerConfigOffer latest;

        Node(NodeId id) {
            this.id = id;
            this.clock = new SimulatedClock(queue, 0, 1_900_000_000_000L);
            this.disk = new SimulatedDisk(id, (node, before, vote) -> { }, false);
            this.file = "{\"valid-lifetime\":" + (1000 * id.value()) + "}";
        }

        void start() {
            disk.started();
            served = file;
            latest = null;
            scheduler = new SimulatedScheduler(queue, clock, id.value() - 1);
            BullyElection bully = ElectionFactory.PRODUCTION.create(id, java.util.Set.copyOf(IDS), ElectionTimers.DEFAULTS,
                    clock, scheduler, network.transport(id), disk, random.split(), ClusterEvents.NONE);
            ConfigDistribution configs = new ConfigDistribution(id, clock, scheduler, network.transport(id),
                    () -> GrantNode.leadership(bully.status()), this, ElectionTimers.DEFAULTS.heartbeatInterval(),
                    ConfigDistribution.DEFAULT_REFRESH, 1 << 20);
            election = bully;
            distribution = configs;
            network.attach(id, new PeerHandler() {
                @Override
                public void received(PeerMessage message) {
                    if (message instanceof ServerConfigOffer) {
                        configs.received(message);
                    } else {
                        bully.received(message);
                        configs.electionChanged();
                    }
                }

                @Override
                public void connected(NodeId peer) {
                    bully.connected(peer);
                    configs.connected(peer);
                }

                @Override
                public void disconnected(NodeId peer) {
                    bully.disconnected(peer);
                }
            });
            bully.start();
            configs.start(file);
        }

        void crash() {
            scheduler.kill();
            network.detach(id);
            disk.crashed();
            election = null;
            distribution = null;
        }

        @Override
        public boolean followLeader(ServerConfigOffer offer, String own) {
            record(offer);
            served = offer.dhcp4Json();
            return true;
        }

        @Override
        public boolean serveOwn(String own, Optional<ServerConfigOffer> leaving) {
            served = own;
            return true;
        }

        @Override
        public void ownSetAside(ServerConfigOffer followed, String own) {
            record(followed);
        }

        @Override
        public void tooLarge(long epoch, long version, int bytes, int limit) {
            violations.add(id + " found its configuration too large");
        }

        private void record(ServerConfigOffer offer) {
            if (latest != null && offer.epoch() < latest.epoch()) {
                violations.add(id + " went back from version " + latest.label() + " to " + offer.label());
            }
            latest = offer;
        }
    }

    private void run(Duration duration) {
        long end = queue.now() + duration.toNanos();
        EventQueue.Event event;
        while ((event = queue.next(end)) != null) {
            event.run();
            for (Node node : nodes.values()) {
                if (node.distribution != null && node.distribution.followedLeader().isPresent()) {
                    node.record(node.distribution.followedLeader().get());
                }
            }
        }
    }

    private Node node(NodeId id) {
        return nodes.get(id);
    }

    private void assertEveryUpNodeServes(String file) {
        for (Node node : nodes.values()) {
            if (node.distribution != null) {
                assertEquals(file, node.served, node.id + " in " + node.election.status());
            }
        }
    }

    @Test
    @DisplayName("every node serves its leader's file through reloads, a leader's crash and its return; none goes back")
    void everyNodeFollowsItsLeader() {
        IDS.forEach(id -> nodes.put(id, new Node(id)));
        nodes.values().forEach(Node::start);
        run(Duration.ofSeconds(5));

        assertEquals(Role.LEADER, node(THREE).election.status().role());
        assertEveryUpNodeServes(node(THREE).file);

        node(THREE).file = "{\"valid-lifetime\":600}";
        node(THREE).distribution.ownChanged(node(THREE).file);
        run(Duration.ofSeconds(1));
        assertEveryUpNodeServes("{\"valid-lifetime\":600}");

        node(ONE).file = "{\"valid-lifetime\":1}";
        assertEquals(ConfigDistribution.OwnChange.SET_ASIDE, node(ONE).distribution.ownChanged(node(ONE).file));
        run(Duration.ofSeconds(1));
        assertEveryUpNodeServes("{\"valid-lifetime\":600}");

        node(THREE).crash();
        run(Duration.ofSeconds(10));
        assertEquals(Role.LEADER, node(TWO).election.status().role());
        assertEveryUpNodeServes(node(TWO).file);

        node(THREE).start();
        run(Duration.ofSeconds(10));
        assertEquals(Role.LEADER, node(THREE).election.status().role());
        assertEveryUpNodeServes("{\"valid-lifetime\":600}");
        ServerConfigOffer followed = node(ONE).distribution.followedLeader().orElseThrow();
        assertEquals(THREE, followed.from());
        assertEquals(node(THREE).election.status().epoch(), followed.epoch());
        assertTrue(node(TWO).distribution.followedLeader().orElseThrow().equals(followed));

        assertEquals(List.of(), violations);
    }
}
