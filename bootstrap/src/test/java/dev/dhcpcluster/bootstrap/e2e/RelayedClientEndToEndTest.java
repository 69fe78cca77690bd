package dev.dhcpcluster.bootstrap.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The relayed path: dhcpcluster's own load-generating client acts as a relay agent on another
 * subnet (its address is the giaddr), reached by the node through a route, and every lease it gets
 * comes from the subnet behind that relay.
 */
@EndToEnd
class RelayedClientEndToEndTest {

    private static final Duration CLIENT_BOUND = Duration.ofSeconds(90);
    private static final String RELAY_ADDRESS = "198.18.1.1";
    private static final NodeConfigFile.Subnet LAN = new NodeConfigFile.Subnet(
            1, "198.18.0.0/24", "198.18.0.100", "198.18.0.199", "198.18.0.1", List.of());
    private static final NodeConfigFile.Subnet RELAYED = new NodeConfigFile.Subnet(
            2, "198.18.1.0/24", "198.18.1.100", "198.18.1.199", RELAY_ADDRESS, List.of());

    @Test
    void clientsBehindARelayLeaseDistinctAddressesFromTheRelayedSubnet() {
        try (NetworkLab lab = NetworkLab.create()) {
            LabProcess client = runClient(lab, 60, 8);

            assertEquals(0, client.awaitExit(CLIENT_BOUND), client::describe);
        }
    }

    @Test
    void everyAddressOfTheRelayedPoolCanBeLeasedAtOnce() {
        try (NetworkLab lab = NetworkLab.create()) {
            int poolSize = 100;
            LabProcess client = runClient(lab, poolSize, 16);

            assertEquals(0, client.awaitExit(CLIENT_BOUND), client::describe);
        }
    }

    /**
     * Starts a node on 198.18.0.1 with a route to 198.18.1.0/24 through the relay host (198.18.0.2,
     * which also owns the giaddr 198.18.1.1), and the client there, relaying from the giaddr.
     */
    private static LabProcess runClient(NetworkLab lab, int count, int concurrency) {
        LabHost nodeHost = lab.addHost("node", "198.18.0.1/24");
        LabHost relayHost = lab.addHost("relay", "198.18.0.2/24", RELAY_ADDRESS + "/24");
        nodeHost.addRoute("198.18.1.0/24", "198.18.0.2");
        NodeProcess.start(lab, nodeHost, "node", NodeConfigFile.servingInterface(nodeHost.interfaceName())
                .withSubnet(LAN)
                .withSubnet(RELAYED));
        return lab.start("client", relayHost, JavaCommand.of(List.of("-Xmx256m"), "dev.dhcpcluster.bootstrap.Main",
                List.of("client", "--server", "198.18.0.1", "--server-port", "67", "--bind", RELAY_ADDRESS,
                        "--port", "67", "--count", Integer.toString(count),
                        "--concurrency", Integer.toString(concurrency), "--release",
                        "--expect-subnet", RELAYED.cidr())));
    }
}
