package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The relay's network itself, before any relay runs in it: the router joins the client LAN to the
 * server LAN both ways, and the three nodes, whose one subnet is the client LAN, form a cluster.
 */
@EndToEnd(requires = "busybox")
class RoutedLabTest {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String CLIENT_ADDRESS = "198.18.64.5";

    @Test
    @DisplayName("a host on the client LAN and each node reach each other through the router; the nodes elect a leader")
    void theRouterJoinsTheClientLanToTheNodesAndTheNodesFormACluster() {
        try (NetworkLab lab = NetworkLab.create()) {
            RoutedLab network = RoutedLab.create(lab);
            LabCluster cluster = network.startCluster(RoutedLab.nodeConfig());
            LabHost client = network.clientHostWithAddress("client", CLIENT_ADDRESS);

            for (int id : LabCluster.all()) {
                LabProcess echo = lab.start("echo" + id, cluster.node(id).host(), JavaCommand.of(List.of(),
                        UdpProbe.class.getName(), List.of("serve", LabCluster.address(id), "7007")));
                echo.awaitOutput(Pattern.compile("listening"), BOUND);
                LabProcess ask = lab.start("ask" + id, client, JavaCommand.of(List.of(), UdpProbe.class.getName(),
                        List.of("ask", LabCluster.address(id), "7007", "across")));
                assertEquals(0, ask.awaitExit(BOUND), ask::describe);
                assertTrue(ask.output().contains("reply: echo:across"), ask::describe);
                // The node saw the client's own address: routed, not masqueraded.
                assertTrue(echo.output().contains(CLIENT_ADDRESS), echo::describe);
            }
            int leader = cluster.awaitSettled(LabCluster.all());

            assertTrue(LabCluster.all().contains(leader), cluster::describe);
        }
    }
}
