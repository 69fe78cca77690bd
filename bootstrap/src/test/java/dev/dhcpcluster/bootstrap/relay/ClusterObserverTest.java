package dev.dhcpcluster.bootstrap.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dhcpcluster.bootstrap.admin.AdminJson;
import dev.dhcpcluster.bootstrap.cli.StatusCommandAccess;
import dev.dhcpcluster.bootstrap.e2e.Poll;
import dev.dhcpcluster.bootstrap.runtime.ThreeLoopbackNodes;
import dev.dhcpcluster.core.relay.ClusterPicture;
import dev.dhcpcluster.port.model.NodeId;
import dev.dhcpcluster.port.telemetry.ClusterEvents;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real nodes on loopback, in this process, and a relay's {@link ClusterObserver} watching
 * them: what the relay routes by is what the cluster does.
 */
class ClusterObserverTest {

    /** Long enough for an election, the first assignment and its grants on a loaded machine. */
    private static final Duration SETTLE = Duration.ofSeconds(60);
    /** The nodes' failure timeout: the default of a cluster section. */
    private static final Duration FAILURE_TIMEOUT = Duration.ofSeconds(1);
    private static final NodeId ONE = new NodeId(1);

    @TempDir
    Path data;
    private ThreeLoopbackNodes nodes;
    private ClusterObserver observer;

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
    @DisplayName("the observer sees three live nodes owning all 256 buckets; a stopped node drops out within its "
            + "failure timeout, and once the leader reassigns, every bucket has a live owner again")
    void pictureFollowsTheCluster() throws Exception {
        nodes = ThreeLoopbackNodes.start(data);
        Map<NodeId, InetSocketAddress> peers = nodes.peers();
        observer = ClusterObserver.start(ThreeLoopbackNodes.CLUSTER, nodes.secret(), "edge-1", peers,
                ClusterEvents.NONE);

        // The first leader may deal every bucket to itself before the others have joined; the
        // picture settles once the buckets are shared out among the live nodes.
        ClusterPicture settled = Poll.until(SETTLE, "3 live nodes owning every bucket, shared out",
                () -> Optional.of(observer.picture()).filter(p -> p.live().size() == 3 && ownedByLive(p)
                        && owners(p) > 1),
                () -> describe(observer.picture()));
        assertTrue(settled.reached());
        assertEquals(Set.of(ONE, new NodeId(2), new NodeId(3)), settled.live());
        Poll.until(SETTLE, "a round trip measured to every node", () -> Optional.of(observer.picture())
                .filter(p -> peers.keySet().stream().allMatch(node -> p.roundTrip(node).isPresent())),
                () -> describe(observer.picture()));
        JsonNode status = AdminJson.MAPPER.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(nodes.node(2).admin().url() + "status")).build(), HttpResponse.BodyHandlers.ofString()).body());
        JsonNode watching = status.path("cluster").path("observers");
        assertEquals(1, watching.size(), status.toString());
        assertEquals("edge-1", watching.get(0).path("name").asText());
        assertTrue(watching.get(0).path("remote").asText().startsWith("127.0.0.1:"), watching.toString());
        assertTrue(StatusCommandAccess.table(status).stream().anyMatch(line -> line.startsWith("observers  1: edge-1 from "
                + "127.0.0.1:")), StatusCommandAccess.table(status).toString());

        nodes.stop(1);
        long stopped = System.nanoTime();
        Poll.until(FAILURE_TIMEOUT.plusSeconds(2), "node 1 dropped from the picture",
                () -> Optional.of(observer.picture()).filter(p -> !p.live().contains(ONE)),
                () -> describe(observer.picture()));
        Duration dropped = Duration.ofNanos(System.nanoTime() - stopped);
        assertTrue(dropped.compareTo(FAILURE_TIMEOUT) <= 0, "dropped after " + dropped.toMillis() + " ms");

        ClusterPicture reassigned = Poll.until(SETTLE, "every bucket owned by node 2 or 3",
                () -> Optional.of(observer.picture()).filter(p -> p.live().size() == 2 && ownedByLive(p)),
                () -> describe(observer.picture()));
        assertEquals(Set.of(new NodeId(2), new NodeId(3)), reassigned.live());
        assertTrue(IntStream.range(0, 256).allMatch(bucket -> !reassigned.ownerOf(bucket).get().equals(ONE)));
    }

    private static boolean ownedByLive(ClusterPicture picture) {
        return IntStream.range(0, 256).allMatch(bucket -> picture.ownerOf(bucket).filter(picture.live()::contains)
                .isPresent());
    }

    private static long owners(ClusterPicture picture) {
        return IntStream.range(0, 256).mapToObj(picture::ownerOf).flatMap(Optional::stream).distinct().count();
    }

    private static String describe(ClusterPicture picture) {
        Map<String, Long> owners = IntStream.range(0, 256).mapToObj(picture::ownerOf)
                .collect(Collectors.groupingBy(owner -> owner.map(String::valueOf).orElse("none"), TreeMap::new,
                        Collectors.counting()));
        return "live " + picture.live() + ", assignment " + picture.assignmentVersion() + ", bucket owners " + owners;
    }
}
