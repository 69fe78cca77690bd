package dev.dhcpcluster.bootstrap.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.dhcpcluster.adapter.tcppeer.TcpPeerTransport;
import dev.dhcpcluster.bootstrap.e2e.Poll;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.peer.PeerHandler;
import dev.dhcpcluster.port.peer.PeerMessage;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes on loopback and an observer played by the test: what each node tells an
 * observer about itself and the cluster.
 */
class ObserverViewTest {

    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Set<NodeId> ALL = Set.of(new NodeId(1), new NodeId(2), new NodeId(3));

    @TempDir
    Path data;
    private ThreeLoopbackNodes nodes;
    private final Map<NodeId, PeerMessage.ObserverView> latest = new ConcurrentHashMap<>();
    private TcpPeerTransport observer;

    @AfterEach
    void stop() {
        if (observer != null) {
            observer.close();
        }
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    @DisplayName("every node tells its observer the same leader and assignment, all 256 buckets held by live "
            + "members, the three members it hears and its timers")
    void nodesTellTheirObservers() throws Exception {
        nodes = ThreeLoopbackNodes.start(data);
        observer = TcpPeerTransport.observer(TcpPeerTransport.ObserverSettings.of("edge-1", ThreeLoopbackNodes.CLUSTER,
                nodes.peers(), nodes.secret()), ClusterEvents.NONE);
        observer.start(new PeerHandler() {
            @Override
            public void received(PeerMessage message) {
                latest.put(message.from(), (PeerMessage.ObserverView) message);
            }

            @Override
            public void connected(NodeId peer) {
            }

            @Override
            public void disconnected(NodeId peer) {
            }
        });

        // The first leader may deal every bucket to itself before the others have joined: wait for
        // the assignment that shares them out.
        Poll.until(SETTLE, "three nodes agreeing on a full assignment, shared out", () -> Optional.of(latest)
                .filter(views -> views.size() == 3 && agree(views)
                        && new HashSet<>(views.get(new NodeId(1)).buckets().values()).size() > 1), latest::toString);

        PeerMessage.ObserverView any = latest.get(new NodeId(1));
        assertEquals(Optional.of(new NodeId(3)), any.leader(), "the highest id leads");
        assertTrue(any.epoch() >= 1);
        assertEquals(Duration.ofMillis(200), any.heartbeatInterval());
        assertEquals(Duration.ofMillis(1000), any.failureTimeout());
        assertTrue(new HashSet<>(any.buckets().values()).size() > 1, "the buckets are shared out: " + any.buckets());
    }

    /** Every view names the same leader and assignment, all 256 buckets held by the three live members. */
    private static boolean agree(Map<NodeId, PeerMessage.ObserverView> views) {
        List<PeerMessage.ObserverView> all = new ArrayList<>(views.values());
        PeerMessage.ObserverView first = all.get(0);
        return all.stream().allMatch(view -> view.leader().equals(first.leader()) && view.epoch() == first.epoch()
                && view.assignmentEpoch() == first.assignmentEpoch() && view.sequence() == first.sequence()
                && view.buckets().equals(first.buckets()) && view.live().equals(ALL))
                && first.buckets().size() == 256 && ALL.containsAll(first.buckets().values());
    }
}
