package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The relay's network itself, before any relay or node runs in it: the router joins the client
 * LAN to the server LAN both ways, without translating addresses. (Every relay test then starts
 * the three nodes on the server LAN and waits for their leader.)
 */
@EndToEnd(requires = "sysctl")
class RoutedLabTest {

    private static final Duration BOUND = Duration.ofSeconds(30);
    private static final String CLIENT_ADDRESS = "198.18.64.5";
    private static final String SERVER_ADDRESS = "198.18.0.1";

    @Test
    @DisplayName("a host on the client LAN and a host on the server LAN reach each other through the router")
    void theRouterJoinsTheClientLanToTheServerLan() {
        try (NetworkLab lab = NetworkLab.create()) {
            RoutedLab network = RoutedLab.create(lab);
            LabHost server = network.serverLanHost("server", SERVER_ADDRESS);
            LabHost client = network.clientHostWithAddress("client", CLIENT_ADDRESS);
            LabProcess echo = lab.start("echo", server, JavaCommand.of(List.of(), UdpProbe.class.getName(),
                    List.of("serve", SERVER_ADDRESS, "7007")));
            echo.awaitOutput(Pattern.compile("listening"), BOUND);

            LabProcess ask = lab.start("ask", client, JavaCommand.of(List.of(), UdpProbe.class.getName(),
                    List.of("ask", SERVER_ADDRESS, "7007", "across")));

            assertEquals(0, ask.awaitExit(BOUND), ask::describe);
            assertTrue(ask.output().contains("reply: echo:across"), ask::describe);
            // The server saw the client's own address: routed, not masqueraded.
            assertTrue(echo.output().contains("answered /" + CLIENT_ADDRESS), echo::describe);
        }
    }
}
